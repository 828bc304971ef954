"""The shared test data is shared without leaking: a module's world is there for each of its tests
but what one test writes is gone for the next; and a test never sleeps for a code from an
authenticator app. (A loaded demo is the demo as built: tests/test_demo_snapshot.py, a module
without a module world, which would be in the demo's tables too.)"""

import time

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from openpep.people.models import LocalAuthority, User
from tests.fixtures import totp_code


@pytest.fixture
def world(module_world, db):
    return module_world


def test_a_test_writes_into_the_module_world(world):
    User.objects.filter(pk=world.sw.pk).update(full_name="Changed by the first test")
    LocalAuthority.objects.create(code="997", name="Left behind?")

    assert User.objects.get(pk=world.sw.pk).full_name == "Changed by the first test"


def test_the_next_test_sees_the_module_world_as_built(world):
    """Runs after the test above (the order of the file): its writes were rolled back, the world was not."""
    assert User.objects.get(pk=world.sw.pk).full_name == "Sam Worker"
    assert set(LocalAuthority.objects.values_list("code", flat=True)) == {"999", "998"}


def test_a_code_comes_at_once_when_every_step_accepted_now_is_used(world):
    """No sleeping for a fresh TOTP step: the device's clock is moved on instead, and the code is one
    django-otp's own check (what the second step of signing in calls) accepts."""
    device = TOTPDevice.objects.create(user=world.sw, name="Authenticator app", confirmed=True)
    device.last_t = (int(time.time()) - device.t0) // device.step + device.tolerance  # now and the next used
    device.save()
    started = time.monotonic()

    code = totp_code(device)

    assert time.monotonic() - started < 1
    assert TOTPDevice.objects.get(pk=device.pk).verify_token(code)
