from django import forms

from openpep.forms import GovukForm

from .models import ExportJob


class ExportForm(GovukForm):
    include_carer_details = forms.BooleanField(
        label="Include carer details",
        required=False,
        help_text="Carers are third parties: include their names only when the request needs them.",
    )
    carer_details_reason = forms.CharField(
        label="Why the carer details must be included",
        required=False,
        widget=forms.Textarea,
        max_length=ExportJob._meta.get_field("carer_details_reason").max_length,
        help_text="Recorded in the audit trail and in the export. Leave blank if you are not including them.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("include_carer_details") and not cleaned.get("carer_details_reason", "").strip():
            self.add_error("carer_details_reason", "Enter why the carer details must be included")
        return cleaned
