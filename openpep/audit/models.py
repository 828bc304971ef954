from django.conf import settings
from django.db import models

from .enums import Verb


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit entries cannot be changed")

    def delete(self):
        raise TypeError("Audit entries cannot be deleted")


class AuditEntry(models.Model):
    """One thing a person did. Written only by ``audit.services.record``,
    inside the transaction of the change it describes; never updated or deleted.

    ``child_id`` and ``pep_id`` are plain integers rather than foreign keys so
    that audit sits below every other app and survives whatever happens to the
    records it describes.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    verb = models.CharField(max_length=20, choices=Verb.choices)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=40)
    child_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    pep_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    summary = models.CharField(max_length=300)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.verb} {self.target_type}:{self.target_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit entries cannot be deleted")
