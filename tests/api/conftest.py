import pytest

from openpep.api import services
from openpep.api.enums import Scope


@pytest.fixture
def tokens(world):
    return make_tokens(world)


def make_tokens(world) -> dict:
    """Tokens of the world's authority (read-write, read only, revoked) and of the other authority."""
    own, own_secret = services.create_token(world.vs_admin, world.authority, name="Case system", scope=Scope.READ_WRITE)
    _, read_secret = services.create_token(world.vs_admin, world.authority, name="Reports", scope=Scope.READ)
    revoked, revoked_secret = services.create_token(world.vs_admin, world.authority, name="Old", scope=Scope.READ)
    services.revoke_token(world.vs_admin, revoked)
    _, other_secret = services.create_token(
        world.vs_admin, world.other_authority, name="Elsewhere", scope=Scope.READ_WRITE
    )
    return {"own": own_secret, "read_only": read_secret, "revoked": revoked_secret, "other": other_secret}


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
