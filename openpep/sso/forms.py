from django import forms

from openpep.forms_auth import SetYourPasswordForm, SignInForm

from .config import provider_for_email, providers


class CouncilAwareSignInForm(SignInForm):
    """The e-mail address first: someone whose council signs them in with its own account is sent there
    (``views.SignInView``), and a password typed for them is refused, never checked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if providers():
            self.fields["username"].help_text = (
                "If your council signs you in with your council account, leave the password empty: "
                "you will be sent to your council's sign-in page"
            )
            self.fields["password"].required = False
            self.fields["password"].help_text = "Not needed if your council signs you in with your council account"

    def clean(self):
        email = self.cleaned_data.get("username") or ""
        provider = provider_for_email(email)
        if provider is not None:
            raise forms.ValidationError(
                f"You sign in with {provider.name}, not a password for OpenPEP. "
                "Leave the password empty and press Sign in to go to your council's sign-in page",
                code="council_account",
            )
        if not self.cleaned_data.get("password"):
            self.add_error("password", "Enter your password")
            return self.cleaned_data
        return super().clean()


class CouncilAwareSetPasswordForm(SetYourPasswordForm):
    """Nobody who signs in with their council's account sets a password here (a leaver's council account
    is closed by the council; a local password would outlive it)."""

    def clean(self):
        provider = provider_for_email(self.user.email)
        if provider is not None:
            raise forms.ValidationError(
                f"You sign in to OpenPEP with {provider.name}, so you do not set a password here. "
                "Go to the sign-in page and enter your email address",
                code="council_account",
            )
        return super().clean()
