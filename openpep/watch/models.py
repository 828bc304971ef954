from django.conf import settings
from django.db import models


class AccessAlert(models.Model):
    """One person viewed more than ``UNUSUAL_ACCESS_CHILDREN`` different children of one
    authority within an hour. Raised at most once per person, authority and clock hour (the
    worker looks back one hour every few minutes); never changed or deleted."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    local_authority = models.ForeignKey("people.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    hour = models.DateTimeField(help_text="The clock hour in which the alert was raised")
    children = models.PositiveIntegerField(help_text="Different children viewed in the hour before")
    raised_at = models.DateTimeField()

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "local_authority", "hour"], name="one_alert_per_person_hour")
        ]

    def __str__(self):
        return f"{self.person} viewed {self.children} children in the hour to {self.raised_at:%Y-%m-%d %H:%M}"
