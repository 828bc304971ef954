from django import forms

from openpep.forms import GovukForm, GovukModelForm, date_field

from .imports import decode, read_calendar
from .models import Holiday, Term, Timescales
from .services import problems

MAX_UPLOAD_BYTES = 100_000  # a few years of a council's calendar is a few kilobytes


class CalendarEntryForm(GovukModelForm):
    """A term or a holiday of the admin's authority, checked against the rest of its calendar."""

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.local_authority = authority

    def _post_clean(self):
        # After the model's own checks have filled in the instance: only then can it be
        # compared with the saved calendar.
        super()._post_clean()
        if not self.errors:
            for _entry, field, message in problems(self.instance.local_authority, [self.instance]):
                self.add_error(field, message)


class TermForm(CalendarEntryForm):
    starts_on = date_field("First day of term", help_text="For example, 2 9 2026")
    ends_on = date_field("Last day of term", help_text="For example, 18 12 2026")

    class Meta:
        model = Term
        fields = ["name", "starts_on", "ends_on"]


class HolidayForm(CalendarEntryForm):
    starts_on = date_field("First day", help_text="For example, 26 10 2026")
    ends_on = date_field("Last day", help_text="The same as the first day for a single day, such as an INSET day")

    class Meta:
        model = Holiday
        fields = ["name", "starts_on", "ends_on"]
        labels = {"name": "Name"}


class TimescalesForm(GovukModelForm):
    class Meta:
        model = Timescales
        fields = list(Timescales.FIELDS)
        widgets = {
            name: forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3", "min": 1})
            for name in Timescales.FIELDS
        }


class CalendarImportForm(GovukForm):
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "One term or holiday a line, with the columns type (term or holiday), name, starts_on and ends_on. "
            "Dates like 02/09/2026 or 2026-09-02."
        ),
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.authority = authority
        self.entries = []

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 100 KB")
        entries, errors = read_calendar(self.authority, decode(upload.read()))
        if errors:
            raise forms.ValidationError([str(error) for error in errors])
        if not entries:
            raise forms.ValidationError("The selected file has no terms or holidays")
        self.entries = entries
        return upload
