from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm

from .forms import GovukFormMixin


class SignInForm(GovukFormMixin, AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Work email address"
        self.fields["username"].widget = forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"})
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"
        self.error_messages["invalid_login"] = "Enter a correct email address and password"


class SetYourPasswordForm(GovukFormMixin, SetPasswordForm):
    """The set-password page's form, drawn inside the page's own <form> (GovukFormMixin: no form tag)."""
