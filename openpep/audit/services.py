"""The one way to write the audit trail (lite-api's ``audit_trail.service.create``)."""

import datetime
import decimal
from collections.abc import Iterable

from django.db import models

from .enums import Verb
from .models import AuditEntry


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """The concrete field values of ``instance`` as JSON-safe data, for before/after."""
    names = fields or [
        f.attname
        for f in instance._meta.concrete_fields
        if not (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
    ]
    return {name: _jsonable(getattr(instance, name)) for name in names}


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose values differ, so an entry shows what changed."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(actor, verb: Verb, target: models.Model, *, summary: str, before=None, after=None) -> AuditEntry:
    """Write one audit entry for ``actor`` doing ``verb`` to ``target``.

    Callers are services, inside the transaction of the change, so the entry
    exists exactly when the change does. The target may say which child and
    which PEP it belongs to through ``audit_child_id`` / ``audit_pep_id``.
    """
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        child_id=getattr(target, "audit_child_id", None),
        pep_id=getattr(target, "audit_pep_id", None),
        summary=summary[:300],
        before=before,
        after=after,
    )


def viewed(actor, target: models.Model, *, child_id: int, pep_id: int | None = None, summary: str) -> AuditEntry:
    """One page view or download of a child's record (ASVS 5.0 §16): who, which child, which PEP.
    Views write no other row, so they are recorded on their own, outside any transaction."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=Verb.VIEWED,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        child_id=child_id,
        pep_id=pep_id,
        summary=summary[:300],
    )


def viewed_many(actor, reads: Iterable[tuple[models.Model, int, int | None]], *, summary: str) -> int:
    """Many records read at once (a page of an API list): one entry per record, so each child's
    trail shows who read it and the unusual-access alerts count it, written in one INSERT for the
    page (the database may split a very large one). ``reads`` are (target, child_id, pep_id).
    Returns how many entries were written."""
    actor = actor if actor is not None and actor.is_authenticated else None
    entries = [
        AuditEntry(
            actor=actor,
            verb=Verb.VIEWED,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            child_id=child_id,
            pep_id=pep_id,
            summary=summary[:300],
        )
        for target, child_id, pep_id in reads
    ]
    AuditEntry.objects.bulk_create(entries)
    return len(entries)


def refused(actor, *, target_type: str, target_id: int, child_id: int, pep_id: int | None = None, summary: str):
    """A request for a record that exists but is not the requester's to see, answered 404 like a
    record that does not exist. Recorded on its own (nothing else was written) so the
    unusual-access alerts can count refusals; the requester is told nothing more."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=Verb.REFUSED,
        target_type=target_type,
        target_id=str(target_id),
        child_id=child_id,
        pep_id=pep_id,
        summary=summary[:300],
    )


def _jsonable(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value
