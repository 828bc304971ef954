from decimal import Decimal

from django import forms

from openpep.forms import GovukForm, GovukModelForm, yes_no_field

from .enums import RequestMode, RequestStatus
from .models import PENNY, FundingRequest, FundingSettings, money
from .years import validate_financial_year


def money_input(label: str, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        help_text=help_text,
        min_value=PENNY,
        max_digits=10,
        decimal_places=2,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", "inputmode": "decimal"}),
        error_messages={
            "invalid": "Enter an amount in pounds and pence, like 540 or 540.50",
            "max_decimal_places": "Enter an amount in pounds and pence, like 540 or 540.50",
            "min_value": "Enter an amount above £0",
        },
    )


class SettingsForm(GovukModelForm):
    release_after_qa = yes_no_field(
        "Hold payment until the PEP passes quality assurance?",
        help_text="Approved requests are then paid only once the PEP's latest quality assurance is green or gold",
    )

    class Meta:
        model = FundingSettings
        fields = list(FundingSettings.FIELDS)
        widgets = {
            "top_slice_percent": forms.TextInput(
                attrs={"class": "govuk-input govuk-input--width-4", "inputmode": "decimal"}
            ),
        }


class RateForm(GovukForm):
    financial_year = forms.CharField(
        label="Financial year",
        max_length=7,
        validators=[validate_financial_year],
        help_text="April to March, written like 2026-27",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5"}),
    )
    amount = money_input("Rate per child (£)", help_text="As the Department for Education publishes it, like 2630")


class RequestForm(GovukForm):
    """The DT picks a target (and, where the authority uses bands, a band)."""

    def __init__(self, *args, targets, funding_settings: FundingSettings, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {str(target.pk): target for target in targets}
        bands = funding_settings.request_mode == RequestMode.BANDS

        def label(target):
            cost = "" if bands or target.pupil_premium_cost is None else f" – {money(target.pupil_premium_cost)}"
            return f"{target.outcome}{cost}"

        self.fields["target"] = forms.ChoiceField(
            label="Which target is the PP+ for?",
            choices=[(key, label(target)) for key, target in self.targets.items()],
            widget=forms.RadioSelect,
            error_messages={"required": "Select the target the PP+ is for"},
        )
        if bands:
            self.fields["amount"] = forms.TypedChoiceField(
                label="Which band?",
                choices=[(str(amount), money(amount)) for amount in funding_settings.band_amounts if amount > 0],
                coerce=Decimal,
                widget=forms.RadioSelect,
                help_text="The amount for this term",
                error_messages={"required": "Select a band"},
            )

    def clean_target(self):
        return self.targets[self.cleaned_data["target"]]


class DecisionForm(GovukForm):
    """Approve in full, approve in part or decline a request."""

    reason = forms.CharField(
        label="Reasons",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=FundingRequest._meta.get_field("reason").max_length,
        help_text="Needed when you approve in part or decline: the school sees them",
    )
    override_reason = forms.CharField(
        label="If this goes beyond the child's allocation: why approve it anyway",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=FundingRequest._meta.get_field("override_reason").max_length,
        help_text="Leave blank unless you mean to approve more than is left of the allocation",
    )

    def __init__(self, *args, funding_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "decision": forms.ChoiceField(
                label="Decision",
                choices=[
                    (RequestStatus.APPROVED.value, f"Approve the {money(funding_request.amount)} in full"),
                    (RequestStatus.PART_APPROVED.value, "Approve part of it"),
                    (RequestStatus.DECLINED.value, "Decline it"),
                ],
                widget=forms.RadioSelect,
                error_messages={"required": "Select whether to approve or decline the request"},
            ),
            "amount": money_input(
                "Amount approved, when approving in part (£)",
                required=False,
                help_text=f"Less than the {money(funding_request.amount)} requested",
            ),
            **self.fields,
        }

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == RequestStatus.PART_APPROVED and cleaned.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", "Enter the amount approved")
        if decision in (RequestStatus.PART_APPROVED, RequestStatus.DECLINED) and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Enter the reasons, so the school knows why")
        return cleaned


class PaymentForm(GovukForm):
    reference = forms.CharField(
        label="Payment reference (optional)",
        required=False,
        max_length=100,
        help_text="The finance system's reference, if there is one",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
