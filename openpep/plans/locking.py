"""Optimistic locking: a record is written only if no one else has saved it since
the form was opened (its ``lock_version``). The one place that does this, for
sections, targets, reviews and the meeting alike."""

from django.db import IntegrityError, models, transaction
from django.db.models import F


class Conflict(Exception):
    """Someone else saved the same record since the form was opened. Carries
    their saved version so both can be shown side by side."""

    def __init__(self, current: models.Model):
        super().__init__("Saved by someone else in the meantime")
        self.current = current


def create_once(instance: models.Model, **unique) -> None:
    """Insert ``instance``, of which only one may exist (``unique`` finds it): if someone
    else inserted theirs first, ``Conflict`` carries it and nothing is written."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise Conflict(type(instance).objects.get(**unique)) from None


def update_locked(saved: models.Model, expected_version: int | None, **values) -> int:
    """Write ``values`` to the row of ``saved`` if it is still at ``expected_version``, and
    raise its version; else ``Conflict`` carries the row as it is now. Returns the new version."""
    model = type(saved)
    if saved.lock_version != expected_version:
        raise Conflict(saved)
    written = model.objects.filter(pk=saved.pk, lock_version=expected_version).update(
        lock_version=F("lock_version") + 1, **values
    )
    if not written:
        raise Conflict(model.objects.get(pk=saved.pk))
    return expected_version + 1
