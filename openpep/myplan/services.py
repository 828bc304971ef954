"""Every write of "My plan", each audited: a share made (a code for the child or the carer, shown
once and e-mailed when asked) or withdrawn; the child's page opened and its PDF downloaded (reads,
audited as such). The codes are ``openpep.voice``'s invitations of purpose ``MY_PLAN``: hashed,
expiring after the council's days, withdrawable, rate-limited where they are typed."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from openpep.audit.enums import Verb
from openpep.audit.services import record, viewed
from openpep.documents.pdf import render_pdf
from openpep.people.models import User
from openpep.plans.models import Pep
from openpep.plans.services import lock_pep
from openpep.voice import services as voice
from openpep.voice.enums import EMAIL_VARIANTS, Audience, InvitationState, Purpose
from openpep.voice.models import Invitation
from openpep.voice.queries import suggested_variant

from . import rules
from .queries import plan_of

log = logging.getLogger("openpep.myplan")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


@transaction.atomic
def share(actor: User, pep: Pep, *, audience: Audience, email: str = "", code: str = "") -> tuple[Invitation, str]:
    """Share ``pep``'s My plan with the child or their carer: a code, to be shown once (and, when
    ``email`` is given, e-mailed as a link). A share of the same PEP with the same person that is
    still open is withdrawn. The child's own address only at secondary and post-16 age. ``code``:
    the demo's fixed code only."""
    pep = lock_pep(pep)
    _require(
        rules.can_share(actor, pep), "Only the child's social worker can share My plan, once the PEP is signed off"
    )
    variant = suggested_variant(pep)
    audience = Audience(audience)
    if email and audience == Audience.CHILD and variant not in EMAIL_VARIANTS:
        raise ValidationError("Only a secondary or post-16 young person can be sent the link by e-mail")
    whom = f"{pep.child.first_name}'s carer" if audience == Audience.CARER else pep.child.first_name
    invitation, code = voice.issue(
        actor,
        pep,
        purpose=Purpose.MY_PLAN,
        audience=audience,
        variant=variant,
        email=email,
        code=code,
        summary=f"Shared My plan with {whom}" + (", the link e-mailed" if email else ", a code given"),
    )
    if email:
        transaction.on_commit(lambda: voice.send_link(invitation.pk, code, "myplan", what="a My plan link"))
    return invitation, code


@transaction.atomic
def withdraw(actor: User, invitation: Invitation) -> None:
    """Stop a share: its code no longer opens My plan (and a page open with it closes)."""
    pep = lock_pep(invitation.pep)
    _require(rules.can_share(actor, pep), "Only the child's social worker can withdraw a share of My plan")
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("child")
        .get(pk=invitation.pk, pep=pep, purpose=Purpose.MY_PLAN)
    )
    if invitation.state() != InvitationState.OPEN:
        raise ValidationError("This share has already ended: there is nothing to withdraw")
    voice.revoke(actor, invitation)


def opened(invitation: Invitation) -> None:
    """The child (or carer) read their My plan page: audited as a view of the PEP."""
    whose = "The carer" if invitation.audience == Audience.CARER else "The child"
    viewed(None, invitation, child_id=invitation.child_id, pep_id=invitation.pep_id, summary=f"{whose} read My plan")


# The PDF ----------------------------------------------------------------------------------------


def plan_html(pep: Pep) -> str:
    """The HTML WeasyPrint renders: tagged (PDF/UA-1), in English, titled; everything escaped."""
    plan = plan_of(pep)
    return render_to_string(
        "myplan/pdf.html",
        {"plan": plan, "title": f"My plan: {plan.first_name}", "made_on": timezone.localdate()},
    )


def filename(pep: Pep) -> str:
    return f"my-plan-{slugify(pep.child.first_name)}-{pep.pk}.pdf"


def pdf_for_staff(actor: User, pep: Pep) -> bytes:
    """The social worker's download of My plan (to print for the child or carer): audited."""
    _require(rules.can_share(actor, pep), "Only the child's social worker can download My plan")
    content = render_pdf(plan_html(pep))
    record(actor, Verb.DOWNLOADED, pep, summary=f"Downloaded {pep.child.first_name}'s My plan (PDF)")
    return content


def pdf_for_child(invitation: Invitation, pep: Pep) -> bytes:
    """The child's (or carer's) download from their page, opened with their code: audited."""
    content = render_pdf(plan_html(pep))
    whose = "The carer" if invitation.audience == Audience.CARER else "The child"
    record(None, Verb.DOWNLOADED, invitation, summary=f"{whose} downloaded My plan (PDF)")
    return content
