from django import forms

from openpep.forms import GovukForm, GovukModelForm, yes_no_field
from openpep.text_limits import SHORT

from .models import WarningRules

_PERCENT_INPUT = forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"})


class RulesForm(GovukModelForm):
    """A council's early warnings: each kind on or off, with its threshold."""

    persistent_on = yes_no_field("Warn of persistent absence?")
    severe_on = yes_no_field("Warn of severe absence?")
    fall_on = yes_no_field("Warn when attendance falls?")
    exclusion_on = yes_no_field(
        "Warn of a suspension or permanent exclusion?",
        help_text="Attendance code E in the school's data, or a suspension or exclusion entered in Section D",
    )
    school_change_on = yes_no_field("Warn of a change of school since the last PEP?")
    placement_change_on = yes_no_field(
        "Warn of a change of placement since the last PEP?",
        help_text="A new SSDA903 episode with another type of placement or carer, not a change of legal status alone",
    )
    no_school_on = yes_no_field("Warn of a child of compulsory school age with no school place?")
    overdue_on = yes_no_field("Warn of a PEP overdue by the statutory clock?")

    class Meta:
        model = WarningRules
        fields = list(WarningRules.FIELDS)
        widgets = {name: _PERCENT_INPUT for name in ("persistent_below", "severe_below", "fall_points")}

    def clean(self):
        cleaned = super().clean()
        persistent, severe = cleaned.get("persistent_below"), cleaned.get("severe_below")
        if persistent is not None and severe is not None and severe >= persistent:
            self.add_error("severe_below", "Severe absence must be a lower attendance than persistent absence")
        return cleaned


class AcknowledgeForm(GovukForm):
    note = forms.CharField(
        label="What is being done",
        help_text="For example, who you have spoken to and what was agreed. Optional",
        max_length=SHORT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
