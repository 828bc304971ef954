"""A child's attendance as the school's register records it, and each academic year's figures."""

from django.db import models

from openpep.children.models import Child
from openpep.people.models import School

from .enums import Code


class AttendanceDay(models.Model):
    """One child's two sessions of one day at one school: one row a day rather than one a
    session halves a national year's ~30 million rows, and a day's codes are read together.
    A session the file has not given yet is blank."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="attendance_days")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    am = models.CharField("Morning", max_length=2, choices=Code.choices, blank=True)
    pm = models.CharField("Afternoon", max_length=2, choices=Code.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "school", "date"], name="attendance_day_once"),
        ]
        # The child's year is read in date order (the runs of suspension); the unique index serves it.

    def __str__(self):
        return f"{self.child_id} at {self.school_id} on {self.date}: {self.am or '-'}{self.pm or '-'}"

    @property
    def audit_child_id(self) -> int:
        return self.child_id


class AttendanceYear(models.Model):
    """One child's figures for one academic year (from 1 September), worked out from their
    ``AttendanceDay`` rows by ``services.recompute`` whenever an import changes them, so that
    pages and dashboards read one row instead of a year of sessions."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="attendance_years")
    year = models.PositiveSmallIntegerField(help_text="The calendar year in which the academic year began")
    to_date = models.DateField(help_text="The last day the school's data covers")
    possible = models.PositiveIntegerField(default=0)
    attended = models.PositiveIntegerField(default=0)
    authorised = models.PositiveIntegerField(default=0)
    unauthorised = models.PositiveIntegerField(default=0)
    suspensions = models.PositiveSmallIntegerField(default=0)
    suspension_sessions = models.PositiveSmallIntegerField(default=0)
    suspension_days = models.DecimalField(max_digits=4, decimal_places=1, default=0)
    attendance_percent = models.DecimalField(max_digits=4, decimal_places=1, null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "year"], name="attendance_year_once")]

    def __str__(self):
        return f"{self.child_id} in {self.year}-{self.year + 1}: {self.attendance_percent}%"

    @property
    def audit_child_id(self) -> int:
        return self.child_id

    @property
    def missed(self) -> int:
        """Sessions missed: possible sessions not attended."""
        return self.possible - self.attended
