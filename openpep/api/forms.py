from django import forms

from openpep.forms import GovukForm

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
        help_text="It must start with https:// (or http:// for a test)",
    )
    events = forms.MultipleChoiceField(
        label="Events to send", choices=Event.choices, widget=forms.CheckboxSelectMultiple
    )
