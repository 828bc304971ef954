"""mozilla-django-oidc's backend, for the council that the sign-in started with (``request.sso_provider``,
set by ``views.CallbackView``): the library exchanges the code (with the PKCE verifier), fetches the
provider's keys and checks the ID token's signature and nonce; this subclass adds what it leaves out —
audience, issuer and expiry with a clock-skew leeway — and signs in only an existing active account with
an active membership, whose e-mail is of one of the council's domains. No account is ever made here."""

import jwt
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from openpep.people.models import Membership, User

ALGORITHM = "RS256"


class CouncilBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # The library reads one provider from settings here; ours is chosen per sign-in (authenticate).
        self.UserModel = User
        self.provider = None

    def authenticate(self, request, **kwargs):
        provider = getattr(request, "sso_provider", None) if request is not None else None
        if provider is None or "code_verifier" not in kwargs:  # a password, or not our callback
            return None
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = provider.jwks_uri
        self.OIDC_OP_USER_ENDPOINT = None
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = ALGORITHM
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        if jwt.get_unverified_header(payload).get("alg") != ALGORITHM:
            raise SuspiciousOperation("The ID token is not signed with RS256")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[ALGORITHM],
                audience=self.provider.client_id,
                issuer=self.provider.issuer,
                leeway=settings.OIDC_CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"The ID token was refused: {error}") from error

    def get_userinfo(self, access_token, id_token, payload):
        # The verified ID token's claims are what the person is signed in as (amr/acr are only there).
        self.request.sso_claims = payload
        return payload

    def verify_claims(self, claims):
        email = self.provider.email_of(claims)
        return bool(email) and self.provider.covers(email)

    def filter_users_by_claims(self, claims):
        email = self.provider.email_of(claims)
        if not email:
            return User.objects.none()
        return User.objects.filter(
            email__iexact=email, is_active=True, pk__in=Membership.objects.active().values("user_id")
        )

    def describe_user_by_claims(self, claims):
        return "e-mail " + self.provider.email_of(claims)

    def get_user(self, user_id):
        return ModelBackend.get_user(self, user_id)  # an inactive account's session is no one's
