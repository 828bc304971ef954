from django import forms

from openpep.forms import GovukForm

#: A council's looked-after children's sessions for a half-term are a few megabytes.
MAX_UPLOAD_BYTES = 10_000_000


class AttendanceImportForm(GovukForm):
    file = forms.FileField(
        label="CSV file",
        help_text="One session a line, with the columns UPN, URN, DATE, SESSION (AM or PM) and CODE.",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )
    check_only = forms.BooleanField(
        label="Only check the file: import nothing",
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 10 MB")
        return upload
