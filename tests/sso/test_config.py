"""Each council's provider as the deployment writes it: checked at start-up (``manage.py check``)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from openpep.sso.apps import check_providers
from openpep.sso.config import provider_for_email, providers

ENTRY = {
    "issuer": "https://login.example/tenant/v2.0",
    "client_id": "client",
    "client_secret": "secret",
    "authorization_endpoint": "https://login.example/authorize",
    "token_endpoint": "https://login.example/token",
    "jwks_uri": "https://login.example/keys",
    "domains": ["Testshire.example", "@children.testshire.example"],
}


def test_an_e_mail_finds_its_councils_provider_by_domain(settings):
    settings.OIDC_PROVIDERS = {"999": ENTRY}
    assert provider_for_email("A.Person@TESTSHIRE.example").authority_code == "999"
    assert provider_for_email("someone@children.testshire.example").authority_code == "999"
    for other in ("someone@sub.testshire.example", "testshire.example", "@testshire.example", ""):
        assert provider_for_email(other) is None
    assert providers()["999"].mfa_claim == "amr" and providers()["999"].mfa_values == ("mfa",)
    assert check_providers(None) == []


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"999": {k: v for k, v in ENTRY.items() if k != "jwks_uri"}}, "missing jwks_uri"),
        ({"999": ENTRY | {"client_scret": "typo"}}, "unknown client_scret"),
        ({"999": ENTRY | {"mfa_claim": "amr_values"}}, "mfa_claim must be amr or acr"),
        ({"999": ENTRY | {"domains": "testshire.example"}}, "domains must be a list"),
        ({"999": ENTRY, "998": ENTRY}, "given to both 999 and 998"),
    ],
)
def test_a_malformed_configuration_stops_the_service(settings, config, message):
    settings.OIDC_PROVIDERS = config
    with pytest.raises(ImproperlyConfigured, match=message):
        providers()
    assert message in check_providers(None)[0].msg
