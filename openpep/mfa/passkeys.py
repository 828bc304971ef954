"""WebAuthn ceremonies through py_webauthn: options for the browser, then checking its answer.
The challenge of each ceremony is kept in the session and used once."""

import json

from django.conf import settings
from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from .models import Passkey

CHALLENGE_KEY = "mfa_webauthn_challenge"


def rp_id(request) -> str:
    return settings.WEBAUTHN_RP_ID or request.get_host().rsplit(":", 1)[0]


def origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _descriptors(user):
    passkeys = Passkey.objects.filter(user=user)
    return [PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id)) for p in passkeys]


def registration_options(request) -> str:
    user = request.user
    options = generate_registration_options(
        rp_id=rp_id(request),
        rp_name=settings.SERVICE_NAME,
        user_id=str(user.pk).encode(),
        user_name=user.email,
        user_display_name=user.full_name,
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED, user_verification=UserVerificationRequirement.PREFERRED
        ),
    )
    request.session[CHALLENGE_KEY] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


def verify_registration(request, body: bytes) -> dict:
    """The new credential's fields for ``services.add_passkey``; raises ValueError when it fails."""
    challenge = request.session.pop(CHALLENGE_KEY, None)
    if challenge is None:
        raise ValueError("no ceremony started")
    try:
        data = json.loads(body)
        verified = verify_registration_response(
            credential=data,
            expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=rp_id(request),
            expected_origin=origin(request),
        )
    except Exception as error:  # py_webauthn raises several kinds; each means "not accepted"
        raise ValueError(str(error)) from error
    return {
        "credential_id": bytes_to_base64url(verified.credential_id),
        "public_key": verified.credential_public_key,
        "sign_count": verified.sign_count,
        "transports": [str(t) for t in data.get("response", {}).get("transports", []) if isinstance(t, str)][:10],
    }


def authentication_options(request) -> str:
    options = generate_authentication_options(
        rp_id=rp_id(request),
        allow_credentials=_descriptors(request.user),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    request.session[CHALLENGE_KEY] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


def verify_authentication(request, body: bytes) -> tuple[Passkey, int]:
    """The signed-in person's passkey that answered, and its new signature count; ValueError otherwise."""
    challenge = request.session.pop(CHALLENGE_KEY, None)
    if challenge is None:
        raise ValueError("no ceremony started")
    try:
        data = json.loads(body)
        passkey = Passkey.objects.get(user=request.user, credential_id=str(data.get("id", "")))
        verified = verify_authentication_response(
            credential=data,
            expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=rp_id(request),
            expected_origin=origin(request),
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
        )
    except Exception as error:
        raise ValueError(str(error)) from error
    return passkey, verified.new_sign_count
