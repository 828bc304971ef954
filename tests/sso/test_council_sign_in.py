"""Signing in with the council's own account against a real OpenID Connect provider (django-oidc-provider,
started on 127.0.0.1 by tests/fixtures.py's ``oidc_provider``): OpenPEP's pages through the Django test client, the
provider over HTTP, and OpenPEP's back channel (token, keys) to the provider over HTTP too."""

import datetime
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from openpep.audit.enums import Verb
from openpep.audit.models import AuditEntry
from openpep.people.enums import Role
from openpep.people.models import Membership, User
from openpep.sso.models import CouncilSignIn
from tests.council_sign_in import CALLBACK, DOMAIN, at_the_provider, back_at_openpep, sign_in_with_council, start
from tests.fixtures import PASSWORD, make_user


@pytest.fixture(autouse=True)
def world(module_world, db):
    return module_world


@pytest.fixture(scope="module")
def staff(module_world, django_db_blocker):
    """OpenPEP's own accounts of the council's staff: access still comes from their memberships."""
    with django_db_blocker.unblock():
        people = {
            name: make_user(f"{name}@{DOMAIN}", f"{name.title()} Person", Role.SOCIAL_WORKER, team=module_world.team)
            for name in ("mfa.worker", "plain.worker", "leaver", "dormant", "skewed.worker")
        }
        User.objects.filter(pk=people["dormant"].pk).update(is_active=False)  # disabled for dormancy
        return people


@pytest.fixture
def council(settings, oidc_provider, db):
    settings.OIDC_PROVIDERS = {"999": oidc_provider.config(domains=[DOMAIN])}
    return oidc_provider


def signed_in_as(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def refusals():
    return AuditEntry.objects.filter(verb=Verb.REFUSED, summary__startswith="Council sign-in")


def assert_refused(client, response):
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert signed_in_as(client) is None
    page = client.get(reverse("login"))
    assert "Signing in with your council account did not work" in page.content.decode()


def test_the_authorization_request_carries_state_nonce_and_pkce(council, staff):
    query = parse_qs(urlparse(start(Client(), staff["mfa.worker"].email)).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert query["response_type"] == ["code"] and query["login_hint"] == [staff["mfa.worker"].email]


def test_a_sign_in_the_provider_vouches_for_with_mfa_needs_no_second_factor_here(council, staff, world):
    client = Client()
    response = sign_in_with_council(client, staff["mfa.worker"].email)
    assert response.status_code == 302 and response["Location"] == "/children/"
    assert signed_in_as(client) == staff["mfa.worker"]
    device = CouncilSignIn.objects.get(user=staff["mfa.worker"])
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/children/").status_code == 200  # no second step
    assert not refusals().exists()
    # One of OpenPEP's own factors it is not: the person still has none to manage or remove.
    from openpep.mfa.services import has_any_device

    assert not has_any_device(staff["mfa.worker"])


def test_without_mfa_in_amr_openpep_asks_for_its_own_second_factor(council, staff):
    client = Client()
    response = sign_in_with_council(client, staff["plain.worker"].email)
    assert response.status_code == 302 and signed_in_as(client) == staff["plain.worker"]
    assert DEVICE_ID_SESSION_KEY not in client.session
    page = client.get("/children/")
    assert page.status_code == 302 and page["Location"].startswith(reverse("mfa:verify"))


def test_acr_can_be_the_claim_that_counts(settings, oidc_provider, staff):
    # The provider sends amr ["pwd", "mfa"] and no acr: configured to read acr, OpenPEP asks its own.
    settings.OIDC_PROVIDERS = {"999": oidc_provider.config(domains=[DOMAIN]) | {"mfa_claim": "acr"}}
    client = Client()
    sign_in_with_council(client, staff["mfa.worker"].email)
    assert signed_in_as(client) == staff["mfa.worker"] and DEVICE_ID_SESSION_KEY not in client.session


def test_a_wrong_state_is_refused(council, staff):
    client = Client()
    callback = at_the_provider(start(client, staff["mfa.worker"].email), staff["mfa.worker"].email)
    forged = callback.replace("state=", "state=x")
    assert_refused(client, back_at_openpep(client, forged))
    assert refusals().count() == 1


def test_a_code_is_used_once(council, staff):
    client = Client()
    callback = at_the_provider(start(client, staff["mfa.worker"].email), staff["mfa.worker"].email)
    assert back_at_openpep(client, callback).status_code == 302 and signed_in_as(client) is not None
    # The same answer again, in another browser: its state is not that browser's.
    other = Client()
    assert_refused(other, back_at_openpep(other, callback))
    # The same code with a sign-in that browser did start: the provider refuses the used code.
    code = parse_qs(urlparse(callback).query)["code"][0]
    state = parse_qs(urlparse(start(other, staff["mfa.worker"].email)).query)["state"][0]
    assert_refused(other, back_at_openpep(other, f"{CALLBACK}?{urlencode({'code': code, 'state': state})}"))
    assert any("400" in entry.summary or "invalid_grant" in entry.summary for entry in refusals())


def test_an_id_token_signed_by_another_key_is_refused(settings, oidc_provider, staff):
    impostor = oidc_provider.config(domains=[DOMAIN], jwks_uri=f"{oidc_provider.url}/test/other-jwks/")
    settings.OIDC_PROVIDERS = {"999": impostor}
    client = Client()
    assert_refused(client, sign_in_with_council(client, staff["mfa.worker"].email))
    assert "Signature verification failed" in refusals().get().summary


def test_an_id_token_of_another_issuer_is_refused(settings, oidc_provider, staff):
    settings.OIDC_PROVIDERS = {"999": oidc_provider.config(domains=[DOMAIN]) | {"issuer": "https://elsewhere.example"}}
    client = Client()
    assert_refused(client, sign_in_with_council(client, staff["mfa.worker"].email))


def test_a_provider_clock_a_minute_fast_is_tolerated_within_the_skew(council, staff, settings):
    client = Client()
    sign_in_with_council(client, staff["skewed.worker"].email)  # issued 60 s ahead; 120 s tolerated
    assert signed_in_as(client) == staff["skewed.worker"]
    settings.OIDC_CLOCK_SKEW_SECONDS = 10
    client = Client()
    assert_refused(client, sign_in_with_council(client, staff["skewed.worker"].email))
    assert "iat" in refusals().get().summary


def test_no_account_is_made_for_an_e_mail_openpep_does_not_know(council, staff):
    client = Client()
    assert_refused(client, sign_in_with_council(client, f"stranger@{DOMAIN}"))
    assert not User.objects.filter(email=f"stranger@{DOMAIN}").exists()


def test_the_provider_cannot_vouch_for_another_councils_domain(council, staff, world):
    client = Client()
    callback = at_the_provider(start(client, staff["mfa.worker"].email), world.dt.email)
    assert_refused(client, back_at_openpep(client, callback))


def test_an_account_disabled_at_the_council_is_refused_and_audited(council, staff):
    client = Client()
    callback = at_the_provider(start(client, staff["leaver"].email), staff["leaver"].email)
    assert "error=access_denied" in callback
    assert_refused(client, back_at_openpep(client, callback))
    entry = refusals().get()
    assert entry.actor == staff["leaver"] and "access_denied" in entry.summary
    assert (entry.target_type, entry.target_id) == (
        "people.localauthority",
        str(staff["leaver"].memberships.get().team.local_authority_id),
    )


def test_dormancy_and_memberships_still_decide(council, staff):
    client = Client()
    assert_refused(client, sign_in_with_council(client, staff["dormant"].email))  # disabled here for dormancy
    Membership.objects.filter(user=staff["mfa.worker"]).update(ends_on=datetime.date(2021, 1, 1))
    assert_refused(client, sign_in_with_council(client, staff["mfa.worker"].email))  # no active role


def test_a_council_account_has_no_local_password(council, staff):
    client = Client()
    worker = User.objects.get(pk=staff["mfa.worker"].pk)  # not the module's object: it outlives this test
    worker.set_password(PASSWORD)
    worker.save()
    page = client.post(reverse("login"), {"username": staff["mfa.worker"].email, "password": PASSWORD})
    assert page.status_code == 200 and signed_in_as(client) is None
    assert "not a password for OpenPEP" in page.content.decode()
    # Nor can a set-password link give them one.
    from openpep.people.services import set_password_link

    link = set_password_link(worker, "").removeprefix("http://testserver")
    form = client.get(link, follow=True)
    new = "a-new-local-password-42"
    page = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert "you do not set a password here" in page.content.decode()
    worker.refresh_from_db()
    assert not worker.check_password(new)


def test_other_people_still_sign_in_with_their_password(council, world):
    client = Client()
    client.post(reverse("login"), {"username": world.dt.email, "password": PASSWORD})
    assert signed_in_as(client) == world.dt
    page = Client().post(reverse("login"), {"username": world.dt.email, "password": ""})
    assert page.status_code == 200 and "Enter your password" in page.content.decode()


def test_signing_out_offers_the_councils_sign_out(council, staff):
    client = Client()
    sign_in_with_council(client, staff["mfa.worker"].email)
    epoch = User.objects.get(pk=staff["mfa.worker"].pk).session_epoch
    page = client.post(reverse("logout"), follow=True)
    assert signed_in_as(client) is None
    assert User.objects.get(pk=staff["mfa.worker"].pk).session_epoch == epoch + 1  # every session ended
    html = page.content.decode()
    assert "Sign out of your Testshire council account too" in html
    link = html.split('href="', 1)[1] if False else [part for part in html.split('"') if "/end-session?" in part][0]
    query = parse_qs(urlparse(link.replace("&amp;", "&")).query)
    assert link.startswith(council.url + "/end-session?")
    assert query["post_logout_redirect_uri"] == ["http://testserver/sign-in/"] and query["id_token_hint"]
    # The provider accepts it: it knows the token and the address to send the person back to.
    answer = requests.get(link.replace("&amp;", "&"), allow_redirects=False, timeout=10)
    assert answer.status_code in (200, 302)
    assert "Sign out of" not in client.get(reverse("login")).content.decode()  # shown once


def test_the_head_sees_the_councils_provider_without_its_secret(council, world):
    from tests.fixtures import sign_in

    client = Client()
    sign_in(client, world.vs_admin)
    html = client.get(reverse("sso_admin:settings")).content.decode()
    assert council.url in html and "openpep-test" in html and DOMAIN in html
    assert "a-test-client-secret" not in html


def test_failed_council_sign_ins_count_against_that_account_only(council, staff, settings):
    # Refused council sign-ins count in the sign-in lockout against the address they started with, as
    # wrong passwords do: that account is locked out from here, the next person at the office is not.
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client = Client()
        assert_refused(client, sign_in_with_council(client, f"stranger@{DOMAIN}"))
    assert sign_in_with_council(Client(), f"stranger@{DOMAIN}").status_code == 429  # the one that reaches it
    client = Client()
    sign_in_with_council(client, staff["mfa.worker"].email)
    assert signed_in_as(client) == staff["mfa.worker"]


def test_a_council_sign_in_reaches_exactly_what_the_same_person_signed_in_here_does(council, staff, world):
    # The permission matrix signs people in with OpenPEP's own factors; a council sign-in is the same
    # session with another device, so every answer is the same (scoping comes from the memberships).
    from tests.fixtures import sign_in

    Membership.objects.create(user=staff["mfa.worker"], role=Role.TEAM_MANAGER, team=world.team)
    council_session, own_session = Client(), Client()
    sign_in_with_council(council_session, staff["mfa.worker"].email)
    sign_in(own_session, User.objects.get(pk=staff["mfa.worker"].pk))
    urls = [
        reverse("children:list"),
        reverse("children:detail", args=[world.child.pk]),
        reverse("children:detail", args=[world.other_child.pk]),
        reverse("reminders:tasks"),
        reverse("sso_admin:settings"),
        reverse("mfa:manage"),
    ]
    answers = {url: (council_session.get(url).status_code, own_session.get(url).status_code) for url in urls}
    assert all(council == own for council, own in answers.values()), answers
    assert answers[reverse("children:detail", args=[world.child.pk])] == (200, 200)  # a child of their team
    assert answers[reverse("children:detail", args=[world.other_child.pk])] == (404, 404)


@pytest.mark.parametrize(
    "query",
    ["code=x", "state=x", "error=access_denied", "code=x&state=", "error=x&state=y", "state=" + "é" * 5000, "x=1"],
)
def test_whatever_comes_back_without_a_sign_in_started_is_refused_quietly(council, query):
    client = Client()
    response = client.get(f"{reverse('sso:callback')}?{query}")
    assert response.status_code == 302 and signed_in_as(client) is None


def test_an_answer_to_a_started_sign_in_that_is_not_a_code_is_refused(council, staff):
    client = Client()
    state = parse_qs(urlparse(start(client, staff["mfa.worker"].email)).query)["state"][0]
    for query in ({"state": state}, {"state": state, "code": "not-a-code"}):
        assert_refused(client, client.get(f"{reverse('sso:callback')}?{urlencode(query)}"))
        state = parse_qs(urlparse(start(client, staff["mfa.worker"].email)).query)["state"][0]
