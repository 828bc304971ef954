import pytest

from openpep.scim import services

#: The world's council (999, Testshire) maps two groups; the other council (998) one.
GROUPS = {
    "999": {
        "OpenPEP social workers North": {"role": "social_worker", "team": "North"},
        "OpenPEP managers North": {"role": "team_manager", "team": "North"},
        "OpenPEP Virtual School": {"role": "vs_officer"},
        "OpenPEP IROs": {"role": "iro"},
        "OpenPEP social workers West": {"role": "social_worker", "team": "West"},  # no such team
    },
    "998": {"Otherborough officers": {"role": "vs_officer"}},
}


@pytest.fixture(autouse=True)
def group_mapping(settings):
    settings.SCIM_GROUPS = GROUPS


def make_tokens(world) -> dict:
    """A live token of each council and a revoked one of the world's."""
    revoked, revoked_secret = services.make_token(world.vs_admin, world.authority)
    own, own_secret = services.make_token(world.vs_admin, world.authority)  # revokes the first
    other, other_secret = services.make_token(None, world.other_authority)
    return {
        "own": own_secret,
        "other": other_secret,
        "revoked": revoked_secret,
        "own_token": own,
        "other_token": other,
    }


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
