from .models import AuditEntry


def history_of_pep(pep_id: int):
    return AuditEntry.objects.filter(pep_id=pep_id).select_related("actor").order_by("at", "id")


def history_of_child(child_id: int):
    return AuditEntry.objects.filter(child_id=child_id).select_related("actor").order_by("-at", "-id")
