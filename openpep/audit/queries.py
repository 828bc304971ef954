from .enums import Verb
from .models import AuditEntry


def history_of_pep(pep_id: int):
    """What was done to a PEP: not who looked at it (or was refused it), nor anyone's unsaved drafts."""
    return (
        AuditEntry.objects.filter(pep_id=pep_id)
        .exclude(verb__in=[Verb.VIEWED, Verb.REFUSED])
        .exclude(target_type="drafts.draft")
        .select_related("actor")
        .order_by("at", "id")
    )


def history_of_child(child_id: int):
    return AuditEntry.objects.filter(child_id=child_id).select_related("actor").order_by("-at", "-id")
