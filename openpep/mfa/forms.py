import re

from django import forms

from openpep.forms import GovukForm

from .models import Passkey

NAME_MAX = Passkey._meta.get_field("name").max_length


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code the app shows for OpenPEP now",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-5",
            }
        ),
    )

    def clean_code(self):
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError("Enter the code as 6 digits, like 123456")
        return code

    def wrong(self, message="The code is not right, or it has been used already. Enter the code the app shows now"):
        self.add_error("code", message)


class PasskeyNameForm(GovukForm):
    name = forms.CharField(
        label="Name of the passkey",
        help_text="A name you will recognise, like the computer, phone or security key it is on",
        error_messages={
            "required": "Enter a name for the passkey",
            "max_length": f"Name must be {NAME_MAX} characters or fewer",
        },
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "govuk-input--width-20"}),
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter a name for the passkey")
        if len(name) > NAME_MAX:
            raise forms.ValidationError(f"Name must be {NAME_MAX} characters or fewer")
        return name
