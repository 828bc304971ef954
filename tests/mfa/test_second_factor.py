"""The second step of signing in, on the Django test client: a code from an authenticator app
(TOTP, each code used once), setting one up on first sign-in, replacing it, and that a session
with only the password reaches nothing else."""

import base64
import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db.models import F
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from openpep.audit.models import AuditEntry
from openpep.mfa.middleware import EXEMPT
from openpep.mfa.models import Passkey
from tests.fixtures import PASSWORD, sign_in, totp_code
from tests.test_permission_matrix import GET, OWN, PARAMS, _url, takes_object

VERIFY = reverse("mfa:verify")


def password_step(client, user, next_url=""):
    """The first step, as the sign-in form does it: e-mail and password."""
    query = f"?next={next_url}" if next_url else ""
    return client.post(reverse("login") + query, {"username": user.email, "password": PASSWORD, "next": next_url})


def app_of(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def wrong_code(device) -> str:
    right = totp_code(device)
    return "000000" if right != "000000" else "111111"


def app_from(page) -> TOTPDevice:
    """The authenticator app a person adds from the set-up page, by the key it shows (not saved)."""
    secret = re.search(r'id="secret">([A-Z2-7 ]+)<', page.content.decode()).group(1).replace(" ", "")
    return TOTPDevice(key=base64.b32decode(secret).hex(), last_t=-1)


def after_throttle(device):
    """django-otp refuses every code for a while after a wrong one (1 s, then doubling): the wrong
    one's time is moved back past that wait, as sleeping through it would."""
    device.refresh_from_db()
    wait = device.get_throttle_factor() * 2 ** (device.throttling_failure_count - 1) + 1
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=F("throttling_failure_timestamp") - datetime.timedelta(seconds=wait)
    )


def test_the_password_alone_leads_to_the_second_step_and_a_code_to_the_page_asked_for(world, client):
    app = app_of(world.sw)
    wanted = f"/children/{world.child.pk}/"
    response = password_step(client, world.sw, wanted)
    assert response.status_code == 302
    response = client.get(response["Location"])  # the page asked for sends the session to the second step
    assert (response.status_code, urlsplit(response["Location"]).path) == (302, VERIFY)
    assert parse_qs(urlsplit(response["Location"]).query) == {"next": [wanted]}

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    response = client.post(VERIFY, {"code": totp_code(app), "next": wanted})
    assert response["Location"] == wanted
    assert client.get(wanted).status_code == 200
    assert client.session[DEVICE_ID_SESSION_KEY] == app.persistent_id


def test_a_code_works_once(world, client):
    app = app_of(world.sw)
    code = totp_code(app)
    password_step(client, world.sw)
    assert client.post(VERIFY, {"code": code})["Location"] == reverse("home")

    other = client.__class__()
    password_step(other, world.sw)
    response = other.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "The code is not right, or it has been used already" in response.content.decode()
    assert other.get("/children/").status_code == 302  # still not through


def test_a_wrong_code_is_refused_and_kept_in_the_box(world, client):
    app_of(world.sw)
    password_step(client, world.sw)
    response = client.post(VERIFY, {"code": "12345x"})
    assert response.status_code == 200
    assert "Enter the code as 6 digits" in response.content.decode()
    assert 'value="12345x"' in response.content.decode()
    assert client.get("/children/")["Location"].startswith(VERIFY)


def test_someone_with_no_app_sets_one_up_then_lands_where_they_were_going(world, client):
    wanted = "/tasks/"
    password_step(client, world.dt, wanted)
    response = client.get(f"{VERIFY}?next={wanted}")
    assert urlsplit(response["Location"]).path == reverse("mfa:setup")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "<svg" in html and 'role="img"' in html  # the QR code, drawn on the server
    app = app_from(page)
    assert app_from(client.get(response["Location"])).key == app.key  # the same while they scan it
    assert not TOTPDevice.objects.filter(user=world.dt).exists()  # showing the page wrote nothing

    response = client.post(reverse("mfa:setup"), {"code": wrong_code(app), "next": wanted})
    assert response.status_code == 200 and not TOTPDevice.objects.filter(user=world.dt).exists()
    response = client.post(reverse("mfa:setup"), {"code": totp_code(app), "next": wanted})
    assert response["Location"] == wanted
    assert client.get(wanted).status_code == 200
    assert TOTPDevice.objects.get(user=world.dt).confirmed
    assert AuditEntry.objects.filter(actor=world.dt, target_type="otp_totp.totpdevice", verb="created").count() == 1


def test_the_password_alone_cannot_add_a_factor_to_an_account_that_has_one(world, client):
    app_of(world.sw)
    password_step(client, world.sw)
    assert urlsplit(client.get(reverse("mfa:setup"))["Location"]).path == VERIFY
    assert client.post(reverse("mfa:passkey_register_options")).status_code == 403
    assert client.post(reverse("mfa:passkey_register"), b"{}", content_type="application/json").status_code == 403
    assert not TOTPDevice.objects.filter(user=world.sw, confirmed=False).exists()


def test_a_new_authenticator_app_needs_a_code_from_the_current_one(world, client):
    sign_in(client, world.vs)
    old = TOTPDevice.objects.get(user=world.vs)
    assert client.get(reverse("mfa:setup"))["Location"] == reverse("mfa:manage")  # not without the code
    response = client.post(reverse("mfa:reset_app"), {"code": wrong_code(old)})
    assert response.status_code == 200 and "The code is not right" in response.content.decode()
    after_throttle(old)
    assert client.post(reverse("mfa:reset_app"), {"code": totp_code(old)})["Location"] == reverse("mfa:setup")
    new = app_from(client.get(reverse("mfa:setup")))
    assert client.post(reverse("mfa:setup"), {"code": totp_code(new)})["Location"] == reverse("mfa:manage")
    new = TOTPDevice.objects.get(user=world.vs)
    assert new.pk != old.pk
    assert list(TOTPDevice.objects.filter(user=world.vs).values_list("pk", "confirmed")) == [(new.pk, True)]
    assert client.get("/children/").status_code == 200  # still verified, by the new app


def test_a_passkey_is_removed_only_by_its_owner_and_never_the_last_factor(world, client):
    passkey = Passkey.objects.create(user=world.vs, name="Passkey 1", credential_id="abc", public_key=b"k")
    sign_in(client, world.sw)
    assert client.post(reverse("mfa:passkey_remove"), {"passkey": passkey.pk}).status_code == 404
    sign_in(client, world.vs)  # an authenticator app (sign_in makes one) and a passkey
    client.post(reverse("mfa:passkey_remove"), {"passkey": passkey.pk})
    assert not Passkey.objects.filter(pk=passkey.pk).exists()
    assert AuditEntry.objects.filter(actor=world.vs, target_type="mfa.passkey", verb="deleted").count() == 1

    TOTPDevice.objects.filter(user=world.vs).delete()
    last = Passkey.objects.create(user=world.vs, name="Passkey 2", credential_id="def", public_key=b"k")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = last.persistent_id  # verified by this passkey, the only factor left
    session.save()
    response = client.post(reverse("mfa:passkey_remove"), {"passkey": last.pk}, follow=True)
    assert "You cannot remove your only way" in response.content.decode()
    assert Passkey.objects.filter(pk=last.pk).exists()


def test_password_reset_never_skips_the_second_factor(world, client):
    app = app_of(world.sw)
    link = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(world.sw.pk)),
            "token": default_token_generator.make_token(world.sw),
        },
    )
    form = client.get(link, follow=True)
    new_password = "a-new-long-passphrase-42"
    response = client.post(form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert client.get("/children/")["Location"].startswith(reverse("login"))  # not signed in after the reset
    client.post(reverse("login"), {"username": world.sw.email, "password": new_password})
    assert client.get("/children/")["Location"].startswith(VERIFY)  # the new password alone is not enough
    client.post(VERIFY, {"code": totp_code(app)})
    assert client.get("/children/").status_code == 200


@pytest.mark.parametrize("name", sorted(GET))
def test_a_session_with_only_the_password_reaches_no_signed_in_page(name, world, client):
    """Every URL pattern, asked for by someone who gave their password but not their second factor,
    sends them to the second step (and back here after it) — except the steps of signing in,
    signing out and the public pages."""
    url = _url(name, OWN if takes_object(name) else "-", world)
    app_of(world.vs_admin)
    sign_in(client, world.vs_admin, second_factor=False)
    response = client.get(url)
    if name in EXEMPT:  # the steps of signing in decide for themselves (tested above)
        assert response.status_code < 500
        return
    assert response.status_code == 302, name
    location = urlsplit(response["Location"])
    assert (location.path, parse_qs(location.query)) == (VERIFY, {"next": [url]})
    if PARAMS[name]:
        assert client.post(url).status_code == 302


def test_a_passkey_is_renamed_by_its_owner_only_without_javascript_and_audited(world, client):
    passkey = Passkey.objects.create(
        user=world.vs, name="Passkey 1, added 1 May 2026", credential_id="abc", public_key=b"k", confirmed=True
    )
    url = reverse("mfa:passkey_rename", args=[passkey.pk])
    sign_in(client, world.sw)
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Mine now"}).status_code == 404
    sign_in(client, world.vs)

    listed = client.get(reverse("mfa:manage")).content.decode()
    assert f'href="{url}"' in listed  # a plain link to a plain form: no script needed
    form = client.get(url).content.decode()
    assert 'value="Passkey 1, added 1 May 2026"' in form
    assert "<script" not in form.split("<main")[1].split("</main>")[0]

    response = client.post(url, {"name": "  Office   laptop  "}, follow=True)

    passkey.refresh_from_db()
    assert passkey.name == "Office laptop"
    assert response.redirect_chain[-1][0] == reverse("mfa:manage")
    assert "Office laptop" in response.content.decode() and "The passkey has been renamed" in response.content.decode()
    entry = AuditEntry.objects.get(actor=world.vs, target_type="mfa.passkey", verb="updated")
    assert (entry.before, entry.after) == ({"name": "Passkey 1, added 1 May 2026"}, {"name": "Office laptop"})


@pytest.mark.parametrize(
    ("typed", "message"),
    [("   ", "Enter a name for the passkey"), ("x" * 65, "Name must be 64 characters or fewer")],
)
def test_a_name_empty_or_too_long_is_refused_with_the_error_summary_keeping_what_was_typed(
    typed, message, world, client
):
    passkey = Passkey.objects.create(user=world.vs, name="Passkey 1", credential_id="abc", public_key=b"k")
    sign_in(client, world.vs)

    response = client.post(reverse("mfa:passkey_rename", args=[passkey.pk]), {"name": typed})

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and message in page
    assert 'href="#id_name"' in page  # the summary links to the field
    if typed.strip():
        assert f'value="{typed}"' in page
    passkey.refresh_from_db()
    assert passkey.name == "Passkey 1"
    assert not AuditEntry.objects.filter(target_type="mfa.passkey", verb="updated").exists()
