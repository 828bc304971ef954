from django.db import transaction

from openpep.audit.enums import Verb
from openpep.audit.services import record
from openpep.people.models import User

from .models import Download


@transaction.atomic
def record_download(
    actor: User, *, list_name: str, title: str, filters: dict, row_count: int, file_format: str
) -> Download:
    """Log that ``actor`` downloaded a list. Side effects: a ``Download`` row and its audit entry."""
    download = Download.objects.create(
        actor=actor, list_name=list_name, title=title, filters=filters, row_count=row_count, file_format=file_format
    )
    record(
        actor,
        Verb.CREATED,
        download,
        summary=f"Downloaded {title} as {file_format.upper()}: {row_count} row{'s' if row_count != 1 else ''}",
        after={"list": list_name, "filters": filters, "rows": row_count, "format": file_format},
    )
    return download
