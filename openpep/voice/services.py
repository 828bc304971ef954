"""Every write of the child's "Have your say", each audited: an invitation made, e-mailed,
withdrawn; a code typed (a wrong one is kept for the limits and audited); the child's answers
saved and sent; what the child sent taken into Section B by the adult who records it."""

import datetime
import io
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from openpep.audit.enums import Verb
from openpep.audit.services import record, viewed
from openpep.mail import render_subject, render_text
from openpep.people.models import User
from openpep.people.services import save_council_settings
from openpep.plans.enums import HowGathered, Section, TookPart
from openpep.plans.models import ChildViews, Pep
from openpep.plans.services import lock_pep, save_section

from . import rules
from .enums import (
    CODE_ALPHABET,
    CODE_LENGTH,
    EMAIL_VARIANTS,
    INTO_SECTION_B,
    Audience,
    InvitationState,
    Purpose,
    Variant,
)
from .models import CodeAttempt, Contribution, Invitation, VoiceSettings
from .queries import invitation_days, too_many_guesses

log = logging.getLogger("openpep.voice")

#: A picture may be this big at most, and only these kinds (checked by what the file holds, not its name).
PICTURE_MAX_BYTES = 5 * 1024 * 1024
PICTURE_FORMATS = {"PNG": "png", "JPEG": "jpg"}
PICTURE_MAX_PIXELS = 40_000_000

#: What a code that cannot be used says: plainly, and nothing about whose it is.
REFUSALS = {
    None: "That code did not work. Check the letters and numbers and try again.",
    InvitationState.EXPIRED: "That code has run out. Ask the adult who gave it to you for a new one.",
    InvitationState.WITHDRAWN: "That code has been stopped. Ask the adult who gave it to you for a new one.",
    InvitationState.SUBMITTED: "That code has already been used to send your answers. Thank you.",
}


#: A code typed on the other purpose's page: where it goes instead.
WRONG_PAGE = {
    Purpose.MY_PLAN: "That code is for My plan. Type it on the My plan page instead.",
    Purpose.HAVE_YOUR_SAY: "That code is for Have your say. Type it on the Have your say page instead.",
}
#: What the audit says when a code is opened.
OPENED = {
    (Purpose.HAVE_YOUR_SAY, Audience.CHILD): "The child opened Have your say with their code",
    (Purpose.MY_PLAN, Audience.CHILD): "The child opened My plan with their code",
    (Purpose.MY_PLAN, Audience.CARER): "The carer opened the child's My plan with their code",
}


class CodeRefused(Exception):
    """A code that opens nothing; ``str()`` is what the page says."""


class TooManyGuesses(Exception):
    """Too many wrong codes from this address, or from everywhere, lately."""


def normalise(code: str) -> str:
    """What the child typed, as a code: case, spaces and dashes do not matter."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def hash_code(code: str) -> str:
    """The keyed hash kept in place of the code (HMAC-SHA-256 with the project's secret key), so the
    table alone cannot be searched for the codes."""
    return salted_hmac("openpep.voice.code", normalise(code), algorithm="sha256").hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def shown(code: str) -> str:
    """The code as people read it: two groups of four."""
    return f"{code[:4]}-{code[4:]}"


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def issue(
    actor: User,
    pep: Pep,
    *,
    purpose: Purpose,
    variant: Variant,
    audience: Audience = Audience.CHILD,
    email: str = "",
    code: str = "",
    summary: str,
) -> tuple[Invitation, str]:
    """Make a code for ``pep`` of ``purpose`` for ``audience``, withdrawing the PEP's open one of the
    same purpose and audience (one at a time); audited with ``summary``. For the services of each
    purpose, inside their transaction, **after** they have locked the PEP and checked the actor's
    right (``make_invitation`` here, ``openpep.myplan.services.share``). ``code``: the demo's only.
    The code expires after the council's ``VoiceSettings.invitation_days``."""
    now = timezone.now()
    open_ones = Invitation.objects.select_for_update().filter(
        pep=pep, purpose=purpose, audience=audience, withdrawn_at=None, submitted_at=None
    )
    for earlier in open_ones:
        if earlier.state(now) == InvitationState.OPEN:
            revoke(actor, earlier, because="a new one was made", now=now)
    code = normalise(code) or new_code()
    invitation = Invitation.objects.create(
        pep=pep,
        child=pep.child,
        code_hash=hash_code(code),
        purpose=purpose,
        audience=audience,
        variant=variant,
        email=email,
        made_by=actor,
        made_at=now,
        expires_at=now + datetime.timedelta(days=invitation_days(pep.child.local_authority_id)),
    )
    record(actor, Verb.CREATED, invitation, summary=summary)
    return invitation, code


@transaction.atomic
def make_invitation(
    actor: User, pep: Pep, *, variant: Variant, email: str = "", code: str = ""
) -> tuple[Invitation, str]:
    """Invite the child to "Have your say" on ``pep``: the code, to be shown once. An open invitation
    of the same PEP is withdrawn (one at a time). ``email`` only for secondary and post-16 pages.
    ``code`` is for the demo's fixed code only."""
    lock_pep(pep)
    _require(rules.can_invite(actor, pep), "Only whoever records Section B can invite the child, while it can change")
    if email and variant not in EMAIL_VARIANTS:
        raise ValidationError("Only a secondary or post-16 young person can be sent the link by e-mail")
    invitation, code = issue(
        actor,
        pep,
        purpose=Purpose.HAVE_YOUR_SAY,
        variant=variant,
        email=email,
        code=code,
        summary=f"Invited {pep.child.first_name} to have their say ({Variant(variant).label} pages)"
        + (", the link e-mailed to their own address" if email else ""),
    )
    if email:
        transaction.on_commit(lambda: send_link(invitation.pk, code, "voice", what="a child's Have your say link"))
    return invitation, code


def send_link(invitation_id: int, code: str, app: str, *, what: str) -> None:
    """E-mail a code's link (after the commit that made it): ``app``'s ``email/link`` templates (Have
    your say's, My plan's), with the first name, the code, the link to ``app``'s start page and when it
    ends. A failure is logged as ``what``, never raised: the code was shown on the page as well."""
    invitation = Invitation.objects.select_related("child").get(pk=invitation_id)
    start = f"{settings.SITE_URL}{reverse(f'{app}:start')}"
    context = {
        "first_name": invitation.child.first_name,
        "carer": invitation.audience == Audience.CARER,
        "code": shown(code),
        "start": start,
        "link": f"{start}?code={code}",
        "expires": timezone.localtime(invitation.expires_at),
        "service": settings.SERVICE_NAME,
    }
    try:
        send_mail(
            subject=render_subject(f"{app}/email/link_subject.txt", context),
            message=render_text(f"{app}/email/link.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
    except Exception:
        log.exception("Could not e-mail %s", what)


def revoke(actor: User, invitation: Invitation, *, because: str = "", now=None) -> None:
    """Withdraw a code (audited). For the services of each purpose, after they have checked the
    actor's right on the locked PEP (``withdraw`` here, ``openpep.myplan.services.withdraw``)."""
    invitation.withdrawn_at = now or timezone.now()
    invitation.withdrawn_by = actor
    invitation.save(update_fields=["withdrawn_at", "withdrawn_by"])
    what = "Have your say code" if invitation.purpose == Purpose.HAVE_YOUR_SAY else "My plan code"
    whose = invitation.child.first_name + ("'s carer's" if invitation.audience == Audience.CARER else "'s")
    record(
        actor,
        Verb.REVOKED,
        invitation,
        summary=f"Withdrew {whose} {what}" + (f": {because}" if because else ""),
    )


@transaction.atomic
def withdraw(actor: User, invitation: Invitation) -> None:
    lock_pep(invitation.pep)
    _require(rules.can_invite(actor, invitation.pep), "Only whoever records Section B can withdraw the code")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk, purpose=Purpose.HAVE_YOUR_SAY)
    if invitation.state() != InvitationState.OPEN:
        raise ValidationError("This code can no longer be used: there is nothing to withdraw")
    revoke(actor, invitation)


def open_with_code(code: str, ip_address: str, *, purpose: Purpose) -> Invitation:
    """The open invitation of ``purpose`` whose code this is, or ``CodeRefused`` saying plainly why
    not, or ``TooManyGuesses``. A code that matches nothing is kept (for the limits) and audited; so
    is a code that no longer works, or one typed on the other purpose's page (which says where it
    goes). Not one transaction: the refusal's records stay."""
    if too_many_guesses(ip_address):
        raise TooManyGuesses
    invitation = Invitation.objects.select_related("child").filter(code_hash=hash_code(code)).first()
    if invitation is None:
        with transaction.atomic():  # kept, though the page refuses the code
            attempt = CodeAttempt.objects.create(ip_address=ip_address or None)
            record(
                None,
                Verb.REFUSED,
                attempt,
                summary=f"A Have your say code that matches nothing was typed from {ip_address}",
            )
        raise CodeRefused(REFUSALS[None])
    if invitation.purpose != purpose:
        other = Purpose(invitation.purpose)
        record(
            None,
            Verb.REFUSED,
            invitation,
            summary=f"A {other.label} code was typed on the {purpose.label} page from {ip_address}",
        )
        raise CodeRefused(WRONG_PAGE[other])
    state = invitation.state()
    if state != InvitationState.OPEN:
        record(
            None,
            Verb.REFUSED,
            invitation,
            summary=f"A {purpose.label} code that is {state.label.lower()} was typed from {ip_address}",
        )
        raise CodeRefused(REFUSALS[state])
    viewed(
        None,
        invitation,
        child_id=invitation.child_id,
        pep_id=invitation.pep_id,
        summary=OPENED[purpose, Audience(invitation.audience)],
    )
    return invitation


def _picture_kind(upload) -> str:
    """The picture's extension, if the file is a PNG or JPEG image that opens and is within the limits."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > PICTURE_MAX_BYTES:
        raise ValidationError("The picture must be smaller than 5 MB")
    data = upload.read()
    if len(data) > PICTURE_MAX_BYTES:
        raise ValidationError("The picture must be smaller than 5 MB")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            width, height = image.size
            if width * height > PICTURE_MAX_PIXELS:
                raise ValidationError("The picture is too big. Choose a smaller one")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError("The picture must be a PNG or JPG photo or drawing") from None
    if kind not in PICTURE_FORMATS:
        raise ValidationError("The picture must be a PNG or JPG photo or drawing")
    upload.seek(0)
    return PICTURE_FORMATS[kind], data


def check_picture(upload) -> None:
    """Raises ``ValidationError`` unless ``upload`` is a PNG or JPEG within the limits (the form's check)."""
    _picture_kind(upload)


def _open_invitation(invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("child")
        .get(pk=invitation_id, purpose=Purpose.HAVE_YOUR_SAY)
    )
    if invitation.state() != InvitationState.OPEN:
        raise CodeRefused(REFUSALS[invitation.state()])
    return invitation


@transaction.atomic
def save_answers(invitation_id: int, answers: dict, picture=None) -> Contribution:
    """The child's answers, saved as they go (not yet sent). Audited without what was written."""
    invitation = _open_invitation(invitation_id)
    contribution = Contribution.objects.filter(invitation=invitation).first() or Contribution(
        invitation=invitation, pep_id=invitation.pep_id, child_id=invitation.child_id
    )
    for name, value in answers.items():
        setattr(contribution, name, value)
    storage = storages["documents"]
    old = contribution.picture
    if picture is not None:
        extension, data = _picture_kind(picture)
        contribution.picture = storage.save(f"voice/{invitation.pk}/picture.{extension}", ContentFile(data))
        contribution.picture_type = "image/png" if extension == "png" else "image/jpeg"
        if old:
            transaction.on_commit(lambda: storage.delete(old))
    contribution.save()
    record(
        None, Verb.UPDATED, contribution, summary=f"{invitation.child.first_name} saved their answers to Have your say"
    )
    return contribution


@transaction.atomic
def submit(invitation_id: int) -> Contribution:
    """The child sends their answers: the invitation ends, and the adult who made it is told."""
    invitation = _open_invitation(invitation_id)
    contribution = Contribution.objects.filter(invitation=invitation).first()
    if contribution is None:
        raise ValidationError("Answer at least one question before you send")
    now = timezone.now()
    invitation.submitted_at = contribution.submitted_at = now
    invitation.save(update_fields=["submitted_at"])
    contribution.save(update_fields=["submitted_at"])
    record(
        None, Verb.SUBMITTED, contribution, summary=f"{invitation.child.first_name} sent their views (Have your say)"
    )
    transaction.on_commit(lambda: _tell_the_adult(invitation.pk))
    return contribution


def _tell_the_adult(invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("child", "made_by").get(pk=invitation_id)
    context = {
        "first_name": invitation.child.first_name,
        "link": f"{settings.SITE_URL}{reverse('plans:whole', args=[invitation.pep_id])}#own-words",
        "service": settings.SERVICE_NAME,
    }
    try:
        send_mail(
            subject=render_subject("voice/email/sent_subject.txt", context),
            message=render_text("voice/email/sent.txt", context),
            from_email=None,
            recipient_list=[invitation.made_by.email],
        )
    except Exception:
        log.exception("Could not tell the adult that a child sent their views")


@transaction.atomic
def take_in(actor: User, contribution: Contribution, answers: list[str]) -> ChildViews:
    """Take what the child sent into Section B, whole or in part (``answers``, of ``INTO_SECTION_B``).
    The contribution is kept word for word and shown as the child's own; an answer chosen fills its
    Section B question when that is empty (what the adult wrote is never replaced), and Section B
    records that the child took part by the form. Saved through ``plans.services.save_section``
    (audited, optimistically locked)."""
    pep = lock_pep(contribution.pep)
    _require(rules.can_invite(actor, pep), "Only whoever records Section B can take the child's words into it")
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if contribution.submitted_at is None or contribution.taken_at is not None:
        raise ValidationError("These words have already been taken into Section B")
    chosen = [name for name in INTO_SECTION_B if name in answers and getattr(contribution, name).strip()]
    if not chosen:
        raise ValidationError("Choose at least one answer to take into Section B")
    views = ChildViews.objects.filter(pep=pep).first()
    expected = views.lock_version if views else None
    views = views or ChildViews(pep=pep, how_gathered=HowGathered.OWN_WORDS)
    for name in chosen:
        question = INTO_SECTION_B[name]
        if not getattr(views, question).strip():
            setattr(views, question, getattr(contribution, name))
    if not views.took_part:
        views.took_part = TookPart.FORM
    views = save_section(actor, pep, views, section=Section.B, expected_version=expected)
    contribution.taken = chosen
    contribution.taken_at = timezone.now()
    contribution.taken_by = actor
    contribution.save(update_fields=["taken", "taken_at", "taken_by"])
    record(
        actor,
        Verb.UPDATED,
        contribution,
        summary=f"Took {len(chosen)} of {contribution.child.first_name}'s answers into Section B, in their own words",
    )
    return views


def prune_code_attempts(now=None) -> int:
    """The worker's daily job: delete the wrong codes kept for the limits once older than
    ``LOCKOUT_LOG_DAYS`` (their audit entries stay). One audit entry if any were deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.LOCKOUT_LOG_DAYS)
    old = CodeAttempt.objects.filter(at__lt=cutoff)
    newest = old.order_by("-at", "-pk").first()
    if newest is None:
        return 0
    count, _ = old.delete()
    record(
        None,
        Verb.DELETED,
        newest,
        summary=f"Deleted {count} wrong Have your say codes older than {settings.LOCKOUT_LOG_DAYS} days",
        after={"count": count, "before": cutoff.isoformat()},
    )
    return count


def save_settings(actor: User, voice_settings: VoiceSettings) -> VoiceSettings:
    """Save a council's choices about the child's codes (how many days a code works; codes made
    before keep their date): the council's Virtual School Head only. Side effects: one audit entry
    with what changed."""
    return save_council_settings(actor, voice_settings, summary="Changed how long the child's codes work")
