"""A council's sign-in that vouched for a second factor, as a django-otp device: signing in through a
provider whose ID token says multi-factor marks the session verified exactly as an authenticator app's
code does (``django_otp.login``), so ``mfa.middleware.SecondFactorRequiredMiddleware`` keeps its one rule.
It is never offered as one of OpenPEP's own factors (``mfa.services`` counts apps and passkeys only)."""

from django.db import models
from django_otp.models import Device, TimestampMixin


class CouncilSignIn(TimestampMixin, Device):
    authority_code = models.CharField(max_length=3)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "authority_code"], name="one_council_sign_in_a_person")]

    def verify_token(self, token) -> bool:
        return False  # vouched for by the council's provider, never by a typed code
