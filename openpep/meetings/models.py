import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone

from openpep import text_limits
from openpep.plans.models import Pep
from openpep.text_limits import BoundedTextField

from .enums import Attendance, ChildAttending, MeetingRole, Response, VenueKind

#: Meetings are held in England: their dates and times are London's wall clock.
LONDON = ZoneInfo("Europe/London")


class Meeting(models.Model):
    """The PEP meeting: first its arrangements, when the social worker schedules it
    and invites people; then the record of what happened — who chaired, who took
    notes (both agreed at the start of the meeting), and whether the pre-drafted
    plan was agreed.

    A meeting recorded without being scheduled has no ``venue_kind``. Every change
    of date, time, length or place of a scheduled meeting raises ``sequence``, the
    iCalendar SEQUENCE the invitations carry, so calendars replace the old entry."""

    pep = models.OneToOneField(Pep, on_delete=models.CASCADE, related_name="meeting")
    held_on = models.DateField("Date of the meeting")
    start_time = models.TimeField("Start time")
    planned_minutes = models.PositiveSmallIntegerField("Planned length (minutes)", default=60)
    venue_kind = models.CharField("Where the meeting is", max_length=10, choices=VenueKind.choices, blank=True)
    venue = models.CharField(max_length=200)
    online_link = models.URLField("Link to join online", max_length=500, blank=True)
    child_attending = models.CharField(
        "Will the child attend", max_length=10, choices=ChildAttending.choices, blank=True
    )
    child_input = BoundedTextField("How the child's input is secured", blank=True, max_length=text_limits.SHORT)
    chair = models.CharField(max_length=150, blank=True)
    note_taker = models.CharField(max_length=150, blank=True)
    notes = BoundedTextField("Notes of the discussion", blank=True, max_length=text_limits.NOTES)
    agreed = models.BooleanField("The plan was agreed at the meeting", default=False)
    sequence = models.PositiveIntegerField(default=0, help_text="The iCalendar SEQUENCE of the invitations")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    #: The fields whose change reschedules the meeting: invitees are sent an update.
    WHEN_AND_WHERE = ("held_on", "start_time", "planned_minutes", "venue_kind", "venue", "online_link")

    def __str__(self):
        return f"Meeting on {self.held_on} for {self.pep}"

    @property
    def audit_child_id(self):
        return self.pep.child_id

    @property
    def audit_pep_id(self):
        return self.pep_id

    @property
    def scheduled(self) -> bool:
        return bool(self.venue_kind)

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def recorded(self) -> bool:
        """Whether anything of what happened at the meeting has been written down."""
        return bool(self.chair or self.note_taker or self.notes or self.agreed)

    @property
    def starts_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.held_on, self.start_time, tzinfo=LONDON)

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.planned_minutes)

    def has_started(self, now: datetime.datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())

    def not_started_message(self, doing: str) -> str:
        """Why ``doing`` must wait: the meeting has not started yet (one wording for the
        record form, its service, the attendees and the sign-off move)."""
        day = formats.date_format(self.held_on, "l j F Y")
        return f"The PEP meeting is on {day} at {self.start_time:%H:%M}: {doing} until it has started"

    @property
    def where(self) -> str:
        """The venue as an invitation gives it: a room at school with the school's
        name, an online meeting with its link."""
        if self.venue_kind == VenueKind.ONLINE:
            return f"{self.venue}: {self.online_link}" if self.online_link else self.venue
        if self.venue_kind == VenueKind.SCHOOL:
            school = self.pep.working_school
            if school is not None and school.name.lower() not in self.venue.lower():
                return f"{self.venue}, {school.name}"
        return self.venue


class Attendee(models.Model):
    """Who came to the meeting, as recorded afterwards (the invitations say who was asked)."""

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


class Invitation(models.Model):
    """One person asked to the meeting, by e-mail. ``user`` is their account when
    they have one, so they answer in OpenPEP; the social worker records the answer
    of someone without one (a carer, a parent)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    name = models.CharField(max_length=150)
    email = models.EmailField("Email address")
    role = models.CharField(max_length=20, choices=MeetingRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_invitations",
    )
    response = models.CharField(max_length=10, choices=Response.choices, default=Response.PENDING)
    responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "email"], name="one_invitation_per_email"),
            models.CheckConstraint(
                condition=Q(response=Response.PENDING, responded_at__isnull=True)
                | (~Q(response=Response.PENDING) & Q(responded_at__isnull=False)),
                name="invitation_answered_when_it_has_an_answer",
            ),
        ]
        indexes = [models.Index(fields=["user", "response"])]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"

    @property
    def audit_child_id(self):
        return self.meeting.pep.child_id

    @property
    def audit_pep_id(self):
        return self.meeting.pep_id
