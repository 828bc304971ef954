"""An impostor's key: a fresh RSA key published under the provider's own key id (``urls.other_jwks``)."""

import functools

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from oidc_provider.models import RSAKey


@functools.cache
def _impostor():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key().public_numbers()


def impostor_jwk() -> dict:
    numbers = _impostor()
    return {
        "kty": "RSA",
        "alg": "RS256",
        "use": "sig",
        "kid": RSAKey.objects.order_by("id").first().kid,
        "n": jwt.utils.to_base64url_uint(numbers.n).decode("ascii"),
        "e": jwt.utils.to_base64url_uint(numbers.e).decode("ascii"),
    }
