"""The second step of signing in, in a real browser: a brand-new person sets up an authenticator
app from the QR page (reading the key off it, as they would type it), then signs in with codes;
passkeys through Chromium's virtual authenticator (WebAuthn over the DevTools protocol) — added,
then used to sign in, and set up as a first factor instead of an app."""

import re

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from openpep.mfa.models import Passkey
from openpep.people.enums import Role
from tests.browser.conftest import enter_second_factor
from tests.fixtures import PASSWORD, make_user


def virtual_authenticator(page) -> None:
    """A platform authenticator (like a laptop's fingerprint reader) that says yes at once."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})


def password_step(browse, user, heading) -> None:
    browse.page.get_by_label("Work email address").fill(user.email)
    browse.page.get_by_label("Password").fill(PASSWORD)
    browse.press("Sign in", heading=heading)


def test_a_new_teacher_sets_up_an_app_then_signs_in_with_its_codes(browse, world):
    page = browse.page
    teacher = make_user("new.teacher@test.example", "Nia Newcomer", Role.DESIGNATED_TEACHER, school=world.school)
    browse.goto(f"/children/{world.child.pk}/", heading="Sign in to OpenPEP")
    password_step(browse, teacher, "Set up an authenticator app")
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    code_box = page.get_by_label("Code from your authenticator app")
    expect(code_box).to_have_attribute("autocomplete", "one-time-code")
    expect(code_box).to_have_attribute("inputmode", "numeric")

    code_box.fill("000000")
    browse.press("Continue", heading="Set up an authenticator app")
    browse.expect_errors("The code is not right. Enter the code the app shows for OpenPEP now")
    enter_second_factor(page, teacher)
    browse.press("Continue", heading=re.compile("Amira Test"))  # where they were going
    assert TOTPDevice.objects.get(user=teacher).confirmed

    browse.sign_out()
    password_step(browse, teacher, "Confirm it is you")
    enter_second_factor(page, teacher)  # the same 30 seconds: the next code, or a wait
    browse.press("Continue", heading="Children")


def test_a_passkey_is_added_then_signs_the_person_in(browse, world):
    page = browse.page
    virtual_authenticator(page)
    browse.sign_in(world.vs)
    browse.follow("Sign-in methods", heading="Your sign-in methods")
    expect(page.get_by_text("None added.")).to_be_visible()
    page.get_by_role("button", name="Add a passkey").click()
    # The ceremony runs in the page's script, then the page reloads onto the same heading: wait for
    # the new page's banner before checking it, not for the heading the old page already shows.
    expect(page.get_by_text("Your passkey has been added")).to_be_visible()
    browse.arrive("Your sign-in methods")
    browse.expect_success("Your passkey has been added")
    expect(page.locator("main li", has_text=re.compile(r"Passkey 1, added"))).to_have_count(1)
    assert Passkey.objects.filter(user=world.vs).count() == 1
    # Renamed through a plain form (its link names the passkey for a screen reader).
    browse.follow(re.compile(r"^Rename\s+Passkey 1, added"), heading="Rename a passkey")
    page.get_by_label("Name of the passkey").fill("Office laptop")
    browse.press("Save name", heading="Your sign-in methods")
    browse.expect_success("The passkey has been renamed")
    expect(page.locator("main li", has_text="Office laptop")).to_have_count(1)

    browse.sign_out()
    password_step(browse, world.vs, "Confirm it is you")
    page.get_by_role("button", name="Use a passkey").click()
    browse.arrive("Children")
    expect(page.get_by_text(f"Signed in as {world.vs.full_name}.")).to_be_visible()
    assert Passkey.objects.get(user=world.vs).last_used_at is not None


def test_someone_without_an_authenticator_app_sets_up_a_passkey_instead(browse, world):
    page = browse.page
    virtual_authenticator(page)
    browse.goto("/sign-in/", heading="Sign in to OpenPEP")
    password_step(browse, world.iro, "Set up an authenticator app")
    page.get_by_role("button", name="Set up a passkey").click()
    browse.arrive("Children")
    assert not TOTPDevice.objects.filter(user=world.iro, confirmed=True).exists()

    browse.sign_out()
    password_step(browse, world.iro, "Confirm it is you")
    expect(page.get_by_label("Code from your authenticator app")).to_have_count(0)  # no app: passkey only
    page.get_by_role("button", name="Use a passkey").click()
    browse.arrive("Children")
