"""Passkeys: a WebAuthn credential is a django-otp device, so that signing in with one marks the
session verified the same way an authenticator app's code does (``django_otp.login``)."""

from django.db import models
from django_otp.models import Device, TimestampMixin


class Passkey(TimestampMixin, Device):
    credential_id = models.CharField(max_length=1400, unique=True, help_text="base64url, as the browser sends it")
    public_key = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)

    def verify_token(self, token) -> bool:
        return False  # a passkey answers a challenge (openpep.mfa.webauthn), never a typed code
