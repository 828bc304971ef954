from openpep.forms import GovukModelForm, VersionedFormMixin, date_field, time_field

from .models import Attendee, Meeting


class MeetingForm(VersionedFormMixin, GovukModelForm):
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


class AttendeeForm(GovukModelForm):
    class Meta:
        model = Attendee
        fields = ["name", "role", "attendance"]
        labels = {"attendance": "Did they attend?"}
