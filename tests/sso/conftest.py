import pytest

from tests import sso_provider

DOMAIN = "testshire.example"
PROVIDER_PASSWORD = "council-password-1"
# The council's directory: who the provider knows, and how they sign in there.
PROVIDER_USERS = [
    {"email": f"mfa.worker@{DOMAIN}", "password": PROVIDER_PASSWORD, "groups": ["mfa"]},
    {"email": f"plain.worker@{DOMAIN}", "password": PROVIDER_PASSWORD},
    {"email": f"leaver@{DOMAIN}", "password": PROVIDER_PASSWORD, "groups": ["mfa", "disabled"]},
    {"email": f"stranger@{DOMAIN}", "password": PROVIDER_PASSWORD, "groups": ["mfa"]},
    {"email": f"dormant@{DOMAIN}", "password": PROVIDER_PASSWORD, "groups": ["mfa"]},
    {"email": f"skewed.worker@{DOMAIN}", "password": PROVIDER_PASSWORD, "groups": ["mfa", "clock-ahead"]},
    # Someone the provider would vouch for under another council's domain: not the provider's to vouch for.
    {"email": "dt@test.example", "password": PROVIDER_PASSWORD, "groups": ["mfa"]},
]


@pytest.fixture(scope="session")
def oidc_provider():
    """django-oidc-provider on 127.0.0.1, for the whole run: its client's redirect address is the
    Django test client's."""
    provider = sso_provider.start(
        redirect_uris=["http://testserver/sign-in/council/callback/"],
        post_logout_redirect_uris=["http://testserver/sign-in/"],
        users=PROVIDER_USERS,
    )
    yield provider
    provider.stop()
