"""Every write of early warnings: a council's rules, raising, acknowledging, answering with an
interim PEP. Each is audited here, inside its transaction."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from openpep.audit.enums import Verb
from openpep.audit.services import record, snapshot
from openpep.children.queries import is_looked_after
from openpep.people.models import User
from openpep.people.services import save_council_settings
from openpep.plans.enums import Occasion
from openpep.plans.models import Pep
from openpep.plans.rules import can_start_pep
from openpep.plans.services import NOT_LOOKED_AFTER, default_phase, start_pep

from . import queries, rules
from .models import EarlyWarning, WarningRules


@transaction.atomic
def save_rules(actor: User, warning_rules: WarningRules) -> WarningRules:
    """Save a council's warning rules. Side effects: one audit entry with what changed."""
    return save_council_settings(actor, warning_rules, summary="Changed the early warning rules")


def raise_warnings(today: datetime.date | None = None, authority_ids=None) -> list[EarlyWarning]:
    """Raise every warning the rules call for today that has not been raised before (the worker's
    daily job and ``manage.py raise_warnings``). Each is inserted with its audit entry in a
    transaction of its own; the unique (child, kind, occurrence) lets one worker only insert it, so
    running this twice, or in two workers at once, raises each warning exactly once.
    Returns the warnings this run raised."""
    candidates = queries.found(today, authority_ids)
    known = set(
        EarlyWarning.objects.filter(child_id__in={c.child_id for c in candidates}).values_list(
            "child_id", "kind", "occurrence"
        )
    )
    raised = []
    for candidate in candidates:
        if candidate.key in known:
            continue
        known.add(candidate.key)
        try:
            with transaction.atomic():
                warning, created = EarlyWarning.objects.get_or_create(
                    child_id=candidate.child_id,
                    kind=candidate.kind,
                    occurrence=candidate.occurrence,
                    defaults={"school_id": candidate.school_id, "detail": candidate.detail[:200]},
                )
                if created:
                    record(
                        None,
                        Verb.RAISED,
                        warning,
                        summary=f"Raised the early warning ‘{warning.get_kind_display()}’: {warning.detail}",
                        after=snapshot(warning, ["kind", "occurrence", "school_id", "detail"]),
                    )
        except IntegrityError:
            continue  # another worker inserted it between our look and our insert: it is raised
        if created:
            raised.append(warning)
    return raised


def _locked(actor: User, warning: EarlyWarning) -> EarlyWarning:
    """The warning, locked for the transaction, when it is sent to ``actor``; else not found."""
    if not queries.warnings_for(actor).filter(pk=warning.pk).exists():
        raise EarlyWarning.DoesNotExist
    return EarlyWarning.objects.select_for_update().select_related("child").get(pk=warning.pk)


@transaction.atomic
def acknowledge(actor: User, warning: EarlyWarning, note: str = "") -> EarlyWarning:
    """``actor`` has seen the warning and says what is being done (``note``). Side effects: keeps
    who and when; one audit entry."""
    warning = _locked(actor, warning)
    if not rules.can_acknowledge(actor, warning):
        raise ValidationError("This warning has been acknowledged already")
    warning.acknowledged_at = timezone.now()
    warning.acknowledged_by = actor
    warning.note = note
    warning.save(update_fields=["acknowledged_at", "acknowledged_by", "note"])
    record(
        actor,
        Verb.ACKNOWLEDGED,
        warning,
        summary=f"Acknowledged the early warning ‘{warning.get_kind_display()}’",
        after={"note": note},
    )
    return warning


@transaction.atomic
def start_interim(actor: User, warning: EarlyWarning) -> Pep:
    """Answer the warning by starting an interim PEP for the child (``plans.services.start_pep``,
    which checks and audits the start), and acknowledge the warning with it. Side effects: a PEP;
    two audit entries."""
    warning = _locked(actor, warning)
    if not rules.can_start_interim(actor, warning):
        if warning.acknowledged_at is not None:
            raise ValidationError("This warning has been acknowledged already")
        if not can_start_pep(actor, warning.child):
            raise PermissionDenied("Only the allocated social worker can start a PEP")
        if not is_looked_after(warning.child):
            raise ValidationError(NOT_LOOKED_AFTER.format(name=warning.child.full_name))
        raise ValidationError("This child already has a PEP in progress: finish it before starting another")
    pep = start_pep(actor, warning.child, Pep(phase=default_phase(warning.child), occasion=Occasion.INTERIM))
    warning.acknowledged_at = timezone.now()
    warning.acknowledged_by = actor
    warning.interim_pep = pep
    warning.note = "Answered by starting an interim PEP"
    warning.save(update_fields=["acknowledged_at", "acknowledged_by", "interim_pep", "note"])
    record(
        actor,
        Verb.ACKNOWLEDGED,
        warning,
        summary=f"Answered the early warning ‘{warning.get_kind_display()}’ by starting an interim PEP",
        after={"interim_pep_id": pep.pk},
    )
    return pep
