"""The demo accounts' authenticator apps: a fixed key each, different for each, published in the
README, and a device made from it gives the codes an app given that key shows."""

import base64
from pathlib import Path

from django_otp.oath import TOTP

from openpep.demo import TOTP_SECRETS, USERS
from openpep.mfa.services import demo_totp
from tests.fixtures import totp_code

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_demo_account_has_its_own_published_key():
    assert set(TOTP_SECRETS) == {key for key, *_ in USERS}
    assert len(set(TOTP_SECRETS.values())) == len(TOTP_SECRETS)
    readme = README.read_text()
    for key, secret in TOTP_SECRETS.items():
        assert f"| `{key}@demo.openpep.test` |" in readme
        assert f"`{secret}`" in readme.split(f"`{key}@demo.openpep.test`", 1)[1].split("\n", 1)[0]


def test_a_demo_device_gives_the_codes_of_its_published_key(world):
    device = demo_totp(world.sw, TOTP_SECRETS["sw"])
    assert device.confirmed
    app = TOTP(base64.b32decode(TOTP_SECRETS["sw"]))
    assert totp_code(device) in {f"{app.token():06d}", f"{TOTP(app.key, drift=1).token():06d}"}
