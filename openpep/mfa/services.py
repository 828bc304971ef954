"""Every change to a person's second factors: setting up an authenticator app (TOTP through
django-otp), adding, renaming or removing a passkey. Each is audited in the transaction that makes it."""

import base64

from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from openpep.audit.enums import Verb
from openpep.audit.services import record

from .models import Passkey

APP_NAME = "Authenticator app"


def has_any_device(user) -> bool:
    """One of OpenPEP's own factors (an app, a passkey); a council's sign-in that vouched for a second
    factor (``sso.CouncilSignIn``) is not one: it is not there when the council's sign-in does not vouch."""
    return own_factor_count(user) > 0


def own_factor_count(user) -> int:
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).count()
        + Passkey.objects.filter(user=user, confirmed=True).count()
    )


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def new_app(user, key: str | None = None) -> TOTPDevice:
    """An authenticator app being set up, not saved: its key (hex) is kept in the session until a
    code from it confirms it, so showing the QR code writes nothing."""
    return TOTPDevice(user=user, name=APP_NAME, key=key or random_hex(20), confirmed=False)


def secret_of(device: TOTPDevice) -> str:
    """The key as base32, as authenticator apps take it when typed."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def check_code(user, code: str) -> TOTPDevice | None:
    """The person's authenticator app that accepts `code`, which it then never accepts again
    (django-otp keeps the last time step used: ``last_t``)."""
    with transaction.atomic():
        for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
    return None


def confirm_totp(user, key: str, code: str) -> TOTPDevice | None:
    """Confirm the authenticator app being set up (key in hex) with a code from it; it replaces any
    earlier app. The code counts as used: the new device starts from its time step."""
    device = new_app(user, key)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not totp.verify(int(code), device.tolerance):
        return None
    device.last_t, device.drift, device.confirmed = totp.t(), totp.drift, True
    with transaction.atomic():
        for old in TOTPDevice.objects.select_for_update().filter(user=user):
            if old.confirmed:
                record(user, Verb.DELETED, old, summary=f"Replaced the authenticator app of {user.full_name}")
            old.delete()
        device.save()
        record(user, Verb.CREATED, device, summary=f"Set up an authenticator app for {user.full_name}")
    return device


@transaction.atomic
def add_passkey(user, *, credential_id: str, public_key: bytes, sign_count: int, transports: list) -> Passkey:
    count = Passkey.objects.filter(user=user).count()
    passkey = Passkey.objects.create(
        user=user,
        name=f"Passkey {count + 1}, added {timezone.localdate():%-d %B %Y}",
        confirmed=True,
        credential_id=credential_id,
        public_key=public_key,
        sign_count=sign_count,
        transports=transports,
    )
    record(user, Verb.CREATED, passkey, summary=f"Added a passkey for {user.full_name}")
    return passkey


class LastFactor(Exception):
    """Removing it would leave the person with no second factor."""


@transaction.atomic
def remove_passkey(user, passkey: Passkey) -> None:
    if own_factor_count(user) <= 1:
        raise LastFactor
    record(user, Verb.DELETED, passkey, summary=f"Removed a passkey of {user.full_name}")
    passkey.delete()


@transaction.atomic
def rename_passkey(user, passkey: Passkey, name: str) -> Passkey:
    """Give one of ``user``'s own passkeys a name they will recognise. Side effects: audit entry."""
    passkey = Passkey.objects.select_for_update().get(pk=passkey.pk, user=user)
    before = passkey.name
    passkey.name = name
    passkey.save(update_fields=["name"])
    record(
        user,
        Verb.UPDATED,
        passkey,
        summary=f"Renamed a passkey of {user.full_name}",
        before={"name": before},
        after={"name": name},
    )
    return passkey


@transaction.atomic
def used_passkey(passkey: Passkey, sign_count: int) -> None:
    Passkey.objects.filter(pk=passkey.pk).update(sign_count=sign_count, last_used_at=timezone.now())


def demo_totp(user, base32_secret: str) -> TOTPDevice:
    """A confirmed authenticator app with a fixed, published secret: only ``openpep.demo`` calls this."""
    key = base64.b32decode(base32_secret + "=" * (-len(base32_secret) % 8)).hex()
    device = TOTPDevice.objects.create(user=user, name=APP_NAME, key=key, confirmed=True)
    record(user, Verb.CREATED, device, summary=f"Set up the demo authenticator app of {user.full_name}")
    return device
