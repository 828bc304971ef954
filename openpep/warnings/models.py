"""Early warnings: a council's rules (``WarningRules``) and each warning raised (``Warning``)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from openpep.children.models import Child
from openpep.people.models import LocalAuthority, School
from openpep.plans.models import Pep
from openpep.text_limits import SHORT, BoundedTextField

from .enums import Kind

PERCENT = [MinValueValidator(1), MaxValueValidator(100)]


class WarningRules(models.Model):
    """Which warnings a council raises, and at what threshold. An authority with no row raises
    every kind at the national thresholds (``for_authority_id``), so reading never writes."""

    local_authority = models.OneToOneField(LocalAuthority, on_delete=models.CASCADE, related_name="warning_rules")
    persistent_on = models.BooleanField("Warn of persistent absence", default=True)
    persistent_below = models.PositiveSmallIntegerField(
        "Persistently absent: attendance this term below (%)",
        default=90,
        validators=PERCENT,
        help_text="Nationally, missing 10% or more of possible sessions: below 90",
    )
    severe_on = models.BooleanField("Warn of severe absence", default=True)
    severe_below = models.PositiveSmallIntegerField(
        "Severely absent: attendance this term below (%)",
        default=50,
        validators=PERCENT,
        help_text="Nationally, missing 50% or more of possible sessions: below 50",
    )
    fall_on = models.BooleanField("Warn of attendance falling", default=True)
    fall_points = models.PositiveSmallIntegerField(
        "Attendance falling: a fall of more than (percentage points)",
        default=10,
        validators=PERCENT,
        help_text="Attendance over the last 4 weeks compared with the academic year before them",
    )
    exclusion_on = models.BooleanField("Warn of a suspension or permanent exclusion", default=True)
    school_change_on = models.BooleanField("Warn of a change of school since the last PEP", default=True)
    placement_change_on = models.BooleanField("Warn of a change of placement since the last PEP", default=True)
    no_school_on = models.BooleanField("Warn of a child of compulsory school age with no school place", default=True)
    overdue_on = models.BooleanField("Warn of a PEP overdue by the statutory clock", default=True)

    FIELDS = (
        "persistent_on",
        "persistent_below",
        "severe_on",
        "severe_below",
        "fall_on",
        "fall_points",
        "exclusion_on",
        "school_change_on",
        "placement_change_on",
        "no_school_on",
        "overdue_on",
    )

    class Meta:
        verbose_name_plural = "warning rules"

    def __str__(self):
        return f"Early warning rules of {self.local_authority}"

    @classmethod
    def for_authority_id(cls, authority_id: int) -> "WarningRules":
        return cls.objects.filter(local_authority_id=authority_id).first() or cls(local_authority_id=authority_id)

    def raises(self, kind: Kind) -> bool:
        return {
            Kind.PERSISTENT_ABSENCE: self.persistent_on,
            Kind.SEVERE_ABSENCE: self.severe_on,
            Kind.ATTENDANCE_FALL: self.fall_on,
            Kind.EXCLUSION: self.exclusion_on,
            Kind.SCHOOL_CHANGE: self.school_change_on,
            Kind.PLACEMENT_CHANGE: self.placement_change_on,
            Kind.NO_SCHOOL: self.no_school_on,
            Kind.PEP_OVERDUE: self.overdue_on,
        }[Kind(kind)]


class EarlyWarning(models.Model):
    """One occurrence of something a council wants to know early, about one child.

    Unique by child, kind and occurrence (the term, the first day of a suspension, the due date...):
    the job that raises warnings inserts and lets the database refuse a second one, so each is
    raised exactly once however many workers run it."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="early_warnings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    occurrence = models.CharField(max_length=40, help_text="What makes this warning one of its kind")
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+", help_text="The school it concerns"
    )
    detail = models.CharField(max_length=200)
    raised_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = BoundedTextField("Note", max_length=SHORT, blank=True)
    interim_pep = models.ForeignKey(Pep, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["child", "kind", "occurrence"], name="warning_once_per_occurrence"),
        ]
        indexes = [models.Index(fields=["child", "acknowledged_at"], name="warning_child_open")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.occurrence}) for {self.child_id}"

    @property
    def audit_child_id(self) -> int:
        return self.child_id

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None
