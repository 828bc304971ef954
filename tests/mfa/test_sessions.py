"""Sessions: a new key at sign-in, and signing out or being disabled ends every session of the
person, on every device (tested with two clients)."""

from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from openpep.audit.models import AuditEntry
from openpep.people.services import deactivate
from tests.fixtures import PASSWORD, password_accepted, sign_in, totp_code


def test_the_session_key_changes_at_sign_in(world, client):
    app = TOTPDevice.objects.create(user=world.sw, name="Authenticator app", confirmed=True)
    session = client.session
    session["seen"] = True
    session.save()
    before = client.cookies["sessionid"].value
    client.post(reverse("login"), {"username": world.sw.email, "password": PASSWORD})
    after_password = client.cookies["sessionid"].value
    assert after_password != before
    client.post(reverse("mfa:verify"), {"code": totp_code(app)})  # the second step: a new key again
    assert client.cookies["sessionid"].value not in (before, after_password)
    assert client.get("/children/").status_code == 200


def test_signing_out_ends_every_session_of_the_person(world):
    laptop, phone, colleague = Client(), Client(), Client()
    sign_in(laptop, world.sw)
    sign_in(phone, world.sw)
    sign_in(colleague, world.dt)
    assert phone.get("/children/").status_code == 200

    laptop.post(reverse("logout"))

    assert phone.get("/children/")["Location"].startswith(reverse("login"))
    assert laptop.get("/children/")["Location"].startswith(reverse("login"))
    assert colleague.get("/children/").status_code == 200  # nobody else's
    sign_in(phone, world.sw)  # signing in again works
    assert phone.get("/children/").status_code == 200


def test_deactivation_ends_every_session_of_the_person_and_is_audited(world):
    laptop, phone = Client(), Client()
    sign_in(laptop, world.sw)
    sign_in(phone, world.sw)

    assert password_accepted(world.sw)
    deactivate(world.vs_admin, world.sw)  # the admin's person page

    for client in (laptop, phone):
        assert client.get("/children/")["Location"].startswith(reverse("login"))
    assert not password_accepted(world.sw)
    entry = AuditEntry.objects.get(target_type="people.user", target_id=str(world.sw.pk), verb="deactivated")
    assert entry.actor == world.vs_admin
    assert entry.summary == f"Deactivated Sam Worker ({world.sw.email}): every access ended"
