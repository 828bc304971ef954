from django.conf import settings
from django.db import models

from openpep.plans.models import Pep

from .enums import Attendance, MeetingRole


class Meeting(models.Model):
    """The record of a PEP meeting: who chaired, who came, and whether the
    pre-drafted plan was agreed."""

    pep = models.OneToOneField(Pep, on_delete=models.CASCADE, related_name="meeting")
    held_on = models.DateField("Date of the meeting")
    start_time = models.TimeField("Start time")
    planned_minutes = models.PositiveSmallIntegerField("Planned length (minutes)", default=60)
    venue = models.CharField(max_length=200)
    chair = models.CharField(max_length=150)
    note_taker = models.CharField(max_length=150)
    notes = models.TextField("Notes of the discussion", blank=True)
    agreed = models.BooleanField("The plan was agreed at the meeting", default=False)
    lock_version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Meeting on {self.held_on} for {self.pep}"

    @property
    def audit_child_id(self):
        return self.pep.child_id

    @property
    def audit_pep_id(self):
        return self.pep_id


class Attendee(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=MeetingRole.choices)
    attendance = models.CharField(max_length=20, choices=Attendance.choices, default=Attendance.PRESENT)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"

    @property
    def audit_child_id(self):
        return self.meeting.pep.child_id

    @property
    def audit_pep_id(self):
        return self.meeting.pep_id
