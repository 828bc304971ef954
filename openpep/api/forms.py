from django import forms
from django.conf import settings

from openpep.forms import GovukForm

from . import addresses
from .enums import Event, Scope


class TokenForm(GovukForm):
    name = forms.CharField(
        label="Name of the connected system", max_length=100, help_text="For example, Mosaic case management"
    )
    scope = forms.ChoiceField(
        label="What it may do",
        choices=Scope.choices,
        help_text="Read and write lets it change the open sections of a PEP, as the person who owns them would",
    )


class WebhookForm(GovukForm):
    name = forms.CharField(label="Name of the connected system", max_length=100)
    url = forms.URLField(
        label="Address to send events to",
        max_length=500,
        assume_scheme="https",
        help_text="It must start with https://",
    )
    events = forms.MultipleChoiceField(
        label="Events to send", choices=Event.choices, widget=forms.CheckboxSelectMultiple
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith("https://") and not settings.WEBHOOK_ALLOW_HTTP:
            raise forms.ValidationError("Enter an address that starts with https://, so that events are sent encrypted")
        try:
            addresses.check(url)
        except addresses.RefusedAddress as refused:
            raise forms.ValidationError(f"Enter the address of a system on the internet: {refused}") from None
        return url
