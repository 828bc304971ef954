from django.conf import settings
from django.db import models


class AlertKind(models.TextChoices):
    READS = "reads", "viewed"
    REFUSALS = "refusals", "was refused"


class AccessAlert(models.Model):
    """One person (or a connected system's token) viewed more than ``UNUSUAL_ACCESS_CHILDREN``
    different children of one authority within an hour (kind ``reads``), or was refused the
    records of more than ``UNUSUAL_ACCESS_REFUSALS`` different children of it (kind ``refusals``).
    Raised at most once per person, authority, kind and clock hour (the worker looks back one hour
    every few minutes); never changed or deleted."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    local_authority = models.ForeignKey("people.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=AlertKind.choices, default=AlertKind.READS)
    hour = models.DateTimeField(help_text="The clock hour in which the alert was raised")
    children = models.PositiveIntegerField(help_text="Different children viewed (or refused) in the hour before")
    raised_at = models.DateTimeField()

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "local_authority", "kind", "hour"], name="one_alert_per_person_kind_hour"
            )
        ]

    def __str__(self):
        return (
            f"{self.person} {self.get_kind_display()} {self.children} children's records "
            f"in the hour to {self.raised_at:%Y-%m-%d %H:%M}"
        )
