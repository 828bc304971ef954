from django import forms
from django.utils import timezone
from django.utils.html import format_html

from openpep.forms import GovukModelForm, VersionedFormMixin, date_field, time_field

from .enums import INVITABLE_ROLES, Attendance, VenueKind
from .models import Attendee, Invitation, Meeting


class MeetingForm(VersionedFormMixin, GovukModelForm):
    """The record of what happened at the meeting."""

    held_on = date_field("Date of the meeting")
    start_time = time_field("Start time")

    class Meta:
        model = Meeting
        fields = [
            "held_on",
            "start_time",
            "planned_minutes",
            "venue",
            "chair",
            "note_taker",
            "notes",
            "agreed",
        ]
        help_texts = {
            "chair": "Agree at the start who will chair",
            "agreed": "Tick when the pre-drafted sections were shared and the plan agreed together",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["planned_minutes"].widget.attrs["class"] = "govuk-input govuk-input--width-3"

    def clean(self):
        cleaned = super().clean()
        # The record is of a meeting that has been held: not before it starts (the service checks again).
        typed = ("held_on", "start_time", "chair", "note_taker", "notes")
        meeting = Meeting(**{name: cleaned.get(name) for name in typed})
        meeting.agreed = bool(cleaned.get("agreed"))
        if meeting.held_on and meeting.start_time and meeting.recorded and not meeting.has_started():
            raise forms.ValidationError(meeting.not_started_message("it cannot be recorded as held"))
        return cleaned


class ScheduleForm(VersionedFormMixin, GovukModelForm):
    """The social worker's arrangements for the meeting, before it is held."""

    held_on = date_field("Date of the meeting")
    start_time = time_field("Start time")
    planned_minutes = forms.IntegerField(
        label="Planned length (minutes)",
        min_value=15,
        max_value=300,
        help_text="For example, 60",
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
        error_messages={
            "required": "Enter the planned length of the meeting in minutes",
            "invalid": "Enter the planned length as a number of minutes, like 60",
            "min_value": "A PEP meeting is planned for at least 15 minutes",
            "max_value": "Plan the meeting for 300 minutes (5 hours) at most",
        },
    )
    online_link = forms.URLField(
        label="Link to join the meeting online",
        help_text="For an online meeting",
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "govuk-input"}),
        error_messages={"invalid": "Enter the link in full, like https://meet.example.org/pep-meeting"},
    )

    class Meta:
        model = Meeting
        fields = [
            "held_on",
            "start_time",
            "planned_minutes",
            "venue_kind",
            "venue",
            "online_link",
            "child_attending",
            "child_input",
        ]
        labels = {
            "venue_kind": "Where will the meeting be?",
            "venue": "Room or address",
        }
        help_texts = {
            "venue": "For a room at school, which room; somewhere else, the address. Everyone invited is sent this, "
            "so do not give the carer's home address.",
        }
        error_messages = {
            "venue_kind": {"required": "Select where the meeting will be"},
            "child_attending": {"required": "Select whether the child will attend, or that it is not decided yet"},
        }

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        name = child.first_name
        for required in ("venue_kind", "child_attending"):
            self.fields[required].required = True
        self.fields["venue"].required = False
        # crispy-forms-gds renders labels and help text as markup: a name typed by a person is escaped.
        self.fields["child_attending"].label = format_html("Will {} attend?", name)
        self.fields[
            "child_attending"
        ].help_text = (
            "Decide with the people who know them best and their wishes: there is no ‘must’, only ‘as appropriate’."
        )
        self.fields["child_input"].label = format_html("How will {}'s input be secured?", name)
        self.fields["child_input"].help_text = format_html(
            "Talk to {} about how best to give their views: coming for part of the meeting, "
            "their views written down beforehand (Section B), or someone speaking for them.",
            name,
        )
        self.fields["child_input"].required = True
        self.fields["child_input"].error_messages["required"] = f"Say how {name}'s input will be secured"
        self.fields["held_on"].error_messages["required"] = "Enter the date of the meeting"
        self.fields["start_time"].error_messages["required"] = "Enter the start time of the meeting"

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError("The date of the meeting must be today or in the future")
        return day

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("venue_kind")
        venue = (cleaned.get("venue") or "").strip()
        if kind == VenueKind.ONLINE:
            if not cleaned.get("online_link") and "online_link" not in self.errors:
                self.add_error("online_link", "Enter the link to join the meeting online")
            cleaned["venue"] = venue or "Online meeting"
        elif kind in (VenueKind.SCHOOL, VenueKind.ELSEWHERE):
            if not venue:
                self.add_error("venue", "Enter the room at school" if kind == VenueKind.SCHOOL else "Enter the address")
            cleaned["online_link"] = ""
        return cleaned


class InvitationForm(GovukModelForm):
    class Meta:
        model = Invitation
        fields = ["name", "email", "role"]
        labels = {"name": "Full name", "role": "Who are they?"}
        help_texts = {"email": "The invitation and any changes are sent here"}
        error_messages = {
            "name": {"required": "Enter their full name"},
            "email": {
                "required": "Enter their email address",
                "invalid": "Enter an email address like name@example.com",
            },
            "role": {"required": "Select who they are"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in INVITABLE_ROLES]


class AttendeeForm(GovukModelForm):
    class Meta:
        model = Attendee
        fields = ["name", "role", "attendance"]
        labels = {"attendance": "Did they attend?"}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("attendance") == Attendance.PRESENT and not self.meeting.has_started():
            self.add_error("attendance", self.meeting.not_started_message("nobody can be recorded as present"))
        return cleaned
