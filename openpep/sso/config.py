"""Each council's identity provider, as the deployment configures it (``settings.OIDC_PROVIDERS``,
read from ``OPENPEP_OIDC_PROVIDERS`` or the file ``OPENPEP_OIDC_PROVIDERS_FILE``: docs/deployment.md),
keyed by the authority's LA code. Nothing here is stored in the database: a council's provider is
the deployment's to set, and the Virtual School head sees it (without its secret) on a read-only page."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

REQUIRED = ("issuer", "client_id", "client_secret", "authorization_endpoint", "token_endpoint", "jwks_uri", "domains")
OPTIONAL = ("name", "end_session_endpoint", "mfa_claim", "mfa_values", "email_claim", "scopes")


@dataclass(frozen=True)
class Provider:
    authority_code: str
    name: str  # what the person is told they sign in with, e.g. "your Testshire County Council account"
    issuer: str
    client_id: str
    client_secret: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    domains: tuple[str, ...]  # e-mail domains whose people sign in here, lower case
    end_session_endpoint: str = ""
    mfa_claim: str = "amr"  # "amr" (a list of methods) or "acr" (one value)
    mfa_values: tuple[str, ...] = ("mfa",)  # any of these in the claim means the provider asked a second factor
    email_claim: str = "email"  # Entra ID: "email" (an optional claim) or "preferred_username"
    scopes: str = "openid email profile"

    def vouches_for_second_factor(self, claims: dict) -> bool:
        """The one rule: the ID token's ``mfa_claim`` holds one of ``mfa_values``."""
        value = claims.get(self.mfa_claim)
        given = value if isinstance(value, list) else [value]
        return any(isinstance(v, str) and v in self.mfa_values for v in given)

    def email_of(self, claims: dict) -> str:
        value = claims.get(self.email_claim)
        return value.strip().lower() if isinstance(value, str) else ""

    def covers(self, email: str) -> bool:
        return domain_of(email) in self.domains


def domain_of(email: str) -> str:
    local, at, domain = (email or "").strip().lower().rpartition("@")
    return domain if local and at else ""


def _provider(code, raw) -> Provider:
    if not isinstance(raw, dict):
        raise ImproperlyConfigured(f"OIDC provider {code}: expected an object")
    unknown = set(raw) - set(REQUIRED) - set(OPTIONAL)
    missing = [key for key in REQUIRED if not raw.get(key)]
    if unknown or missing:
        raise ImproperlyConfigured(
            f"OIDC provider {code}: missing {', '.join(missing) or 'nothing'}; "
            f"unknown {', '.join(sorted(unknown)) or 'nothing'}"
        )
    for key in ("domains", "mfa_values"):
        if key in raw and not (isinstance(raw[key], list) and all(isinstance(v, str) and v for v in raw[key])):
            raise ImproperlyConfigured(f"OIDC provider {code}: {key} must be a list of strings")
    if raw.get("mfa_claim", "amr") not in ("amr", "acr"):
        raise ImproperlyConfigured(f"OIDC provider {code}: mfa_claim must be amr or acr")
    fields = {key: raw[key] for key in REQUIRED + OPTIONAL if key in raw}
    fields["domains"] = tuple(d.strip().lower().lstrip("@") for d in raw["domains"])
    if "mfa_values" in raw:
        fields["mfa_values"] = tuple(raw["mfa_values"])
    fields.setdefault("name", "your council account")
    return Provider(authority_code=str(code), **fields)


def providers() -> dict[str, Provider]:
    """Every configured provider by LA code; ``ImproperlyConfigured`` on a malformed one or a domain
    claimed by two councils."""
    raw = getattr(settings, "OIDC_PROVIDERS", None) or {}
    if not isinstance(raw, dict):
        raise ImproperlyConfigured("OIDC_PROVIDERS must map LA codes to providers")
    found = {str(code): _provider(code, value) for code, value in raw.items()}
    seen: dict[str, str] = {}
    for code, provider in found.items():
        for domain in provider.domains:
            if domain in seen:
                raise ImproperlyConfigured(f"The e-mail domain {domain} is given to both {seen[domain]} and {code}")
            seen[domain] = code
    return found


def provider_for_email(email: str) -> Provider | None:
    """The provider of the council whose staff use this e-mail's domain, if it has one."""
    domain = domain_of(email)
    if not domain:
        return None
    return next((p for p in providers().values() if domain in p.domains), None)


def is_council_account(email: str) -> bool:
    """A person who signs in with their council's account: no local password for them."""
    return provider_for_email(email) is not None


def council_account(email: str) -> str | None:
    """The account a person with this e-mail signs in with, named as they are told ("your Northmere
    council account"), when their council has single sign-on (``people.sign_in_elsewhere``)."""
    provider = provider_for_email(email)
    return provider.name if provider else None
