"""SCIM 2.0 provisioning of a council's staff (issue 21, item 4), over HTTP with each council's
token: users (create, read, filter, PATCH, PUT, DELETE as deactivation), groups mapped to roles,
one council never reaching another's people nor a school's staff, and bad input answered with
SCIM errors. The world and the tokens are built once for the module; each test runs in a savepoint."""

import json
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openpep.audit.enums import Verb
from openpep.audit.models import AuditEntry
from openpep.people.enums import Role
from openpep.people.models import Membership, Team, User
from openpep.people.queries import roles_of
from openpep.scim import services, views
from openpep.scim.models import ScimGroup, ScimToken
from openpep.scim.services import hash_secret
from tests.fixtures import engine_seed, sign_in
from tests.scim.conftest import GROUPS, bearer, make_tokens

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


@pytest.fixture(scope="module")
def shared(module_world, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(SCIM_GROUPS=GROUPS):
        tokens = make_tokens(module_world)
        Team.objects.create(local_authority=module_world.other_authority, name="North")
        # A group of the world's council, for the made-up bodies (the other tests make their own).
        iros = services.create_group(tokens["own_token"], "OpenPEP IROs", [module_world.iro])
        return module_world, tokens, iros


@pytest.fixture
def world(shared, db):
    return shared[0]


@pytest.fixture
def tokens(shared, db):
    return shared[1]


class Scim:
    """A directory speaking SCIM with one token."""

    def __init__(self, secret):
        self.client = Client()
        self.headers = bearer(secret) if secret else {}

    def get(self, path, **params):
        return self.client.get(f"/scim/v2/{path}", params, **self.headers)

    def send(self, method, path, body, content_type="application/scim+json"):
        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        return getattr(self.client, method)(f"/scim/v2/{path}", data, content_type=content_type, **self.headers)

    def post(self, path, body):
        return self.send("post", path, body)

    def patch(self, path, *operations):
        return self.send("patch", path, {"schemas": [PATCH_SCHEMA], "Operations": list(operations)})

    def put(self, path, body):
        return self.send("put", path, body)

    def delete(self, path):
        return self.client.delete(f"/scim/v2/{path}", **self.headers)


@pytest.fixture
def own(tokens):
    return Scim(tokens["own"])


@pytest.fixture
def other(tokens):
    return Scim(tokens["other"])


def new_user(email="ada.north@testshire.example", name="Ada North", **extra):
    return {
        "schemas": [USER_SCHEMA],
        "userName": email,
        "displayName": name,
        "name": {"givenName": name.split(" ")[0], "familyName": name.split(" ")[-1]},
        "emails": [{"value": email, "type": "work", "primary": True}],
        "title": "Social worker",
        "active": True,
        **extra,
    }


def assert_error(response, status, scim_type=None):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/scim+json"
    body = response.json()
    assert body["schemas"] == [ERROR_SCHEMA]
    assert body["status"] == str(status)
    assert body.get("scimType") == scim_type
    assert body["detail"]
    return body


def roles(user):
    """The roles of ``user`` as the database has them now (``roles_of`` keeps its answer on the object)."""
    return roles_of(User.objects.get(pk=user.pk))


def entries(actor, verb, **lookup):
    return AuditEntry.objects.filter(actor=actor, verb=verb, **lookup)


# Tokens


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Basic dXNlcjpwYXNz", "Bearer scim_nothing_here", "Bearer opep_1234_abc", "Token x y"],
)
def test_a_request_without_a_live_token_is_refused(header, world, tokens):
    client = Client()
    headers = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/scim/v2/Users", **headers)
    assert_error(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_the_scheme_is_case_insensitive(world, tokens):
    assert Client().get("/scim/v2/Users", HTTP_AUTHORIZATION=f"bearer {tokens['own']}").status_code == 200


def test_a_revoked_token_is_refused(world, tokens):
    assert_error(Scim(tokens["revoked"]).get("Users"), 401)


def test_the_token_is_kept_hashed_and_one_per_council(world, tokens):
    live = ScimToken.objects.get(local_authority=world.authority, revoked_at__isnull=True)
    assert live.secret_hash == hash_secret(tokens["own"]) and tokens["own"] not in live.secret_hash
    assert ScimToken.objects.filter(local_authority=world.authority).count() == 2
    assert entries(world.vs_admin, Verb.REVOKED, target_type="scim.scimtoken").count() == 1


def test_the_command_makes_a_token_shown_once_and_revokes_the_last(world, tokens, capsys):
    call_command("scim_token", world.authority.code)
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    assert Scim(secret).get("Users").status_code == 200
    assert_error(Scim(tokens["own"]).get("Users"), 401)
    call_command("scim_token", world.authority.code, "--revoke")
    assert_error(Scim(secret).get("Users"), 401)


def test_service_provider_config(own):
    response = own.get("ServiceProviderConfig")
    assert response.status_code == 200
    assert response.json()["patch"] == {"supported": True}


# Users


#: Testshire's staff sign in with the council's account (openpep.sso) at this domain.
PROVIDER = {
    "999": {
        "issuer": "https://login.testshire.example",
        "client_id": "openpep",
        "client_secret": "not used here",
        "authorization_endpoint": "https://login.testshire.example/authorize",
        "token_endpoint": "https://login.testshire.example/token",
        "jwks_uri": "https://login.testshire.example/keys",
        "domains": ["testshire.example"],
    }
}


def test_create_then_get_and_filter(world, own, tokens, settings, django_capture_on_commit_callbacks):
    settings.OIDC_PROVIDERS = PROVIDER
    with django_capture_on_commit_callbacks(execute=True):
        response = own.post("Users", new_user())
    assert response.status_code == 201, response.content
    body = response.json()
    user = User.objects.get(pk=body["id"])
    assert (user.email, user.full_name, user.job_title, user.is_active) == (
        "ada.north@testshire.example",
        "Ada North",
        "Social worker",
        True,
    )
    assert not user.has_usable_password()
    assert not roles(user).any, "no role but what a group gives"
    assert mail.outbox == [], "no e-mail: they sign in with the council's account"
    assert response["Location"].endswith(f"/scim/v2/Users/{user.pk}")
    assert body["userName"] == user.email and body["active"] is True
    principal = tokens["own_token"].principal
    assert entries(principal, Verb.CREATED, target_type="people.user", target_id=str(user.pk)).exists()

    assert own.get(f"Users/{user.pk}").json()["displayName"] == "Ada North"
    found = own.get("Users", filter='userName eq "ADA.North@testshire.example"').json()
    assert found["totalResults"] == 1 and found["Resources"][0]["id"] == str(user.pk)
    assert own.get("Users", filter='userName eq "nobody.here@testshire.example"').json()["totalResults"] == 0


def test_someone_without_the_councils_sign_in_is_sent_the_set_password_link(
    world, own, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = own.post("Users", new_user(email="cy.east@elsewhere.example", name="Cy East"))
    assert response.status_code == 201, response.content
    [message] = mail.outbox
    assert message.to == ["cy.east@elsewhere.example"] and "/password/set/" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        own.post("Users", new_user(email="di.off@elsewhere.example", name="Di Off", active=False))
    assert len(mail.outbox) == 1, "nothing to someone made turned off"


def test_list_is_the_councils_staff_only(world, own, tokens):
    listed = own.get("Users", count="100").json()
    emails = {resource["userName"] for resource in listed["Resources"]}
    assert {world.sw.email, world.sw_other.email, world.tm.email, world.vs.email, world.iro.email} <= emails
    assert world.dt.email not in emails, "a school's staff are never the council directory's"
    assert world.vs_other.email not in emails and world.nobody.email not in emails
    assert not any(email.endswith(".invalid") for email in emails), "no token's account"
    page = own.get("Users", startIndex="2", count="1").json()
    assert page["startIndex"] == 2 and page["itemsPerPage"] == 1 and page["totalResults"] == listed["totalResults"]


def test_an_address_already_taken_is_a_conflict(world, own):
    assert_error(own.post("Users", new_user(email=world.sw.email)), 409, "uniqueness")
    # Another council's person: the same answer, and they are not touched.
    assert_error(own.post("Users", new_user(email=world.vs_other.email.upper())), 409, "uniqueness")
    world.vs_other.refresh_from_db()
    assert world.vs_other.full_name == "Vic Away"


def test_patch_deactivates_at_once_and_ends_sessions(world, own, tokens):
    browser = Client()
    sign_in(browser, world.sw)
    assert browser.get(reverse("children:list")).status_code == 200
    # Microsoft Entra ID sends the value as a string, and "Replace" capitalised.
    response = own.patch(f"Users/{world.sw.pk}", {"op": "Replace", "path": "active", "value": "False"})
    assert response.status_code == 200, response.content
    assert response.json()["active"] is False
    world.sw.refresh_from_db()
    assert not world.sw.is_active
    assert browser.get(reverse("children:list")).status_code == 302, "the session ended"
    assert entries(tokens["own_token"].principal, Verb.DEACTIVATED, target_id=str(world.sw.pk)).exists()
    # Turned on again: their memberships are as they were.
    own.patch(f"Users/{world.sw.pk}", {"op": "replace", "value": {"active": True}})
    world.sw.refresh_from_db()
    assert world.sw.is_active and roles(world.sw).any


def test_patch_changes_email_and_name(world, own, tokens):
    response = own.patch(
        f"Users/{world.tm.pk}",
        {"op": "replace", "path": 'emails[type eq "work"].value', "value": "tia.manager@testshire.example"},
        {"op": "replace", "path": "displayName", "value": "Tia Manager-Jones"},
    )
    assert response.status_code == 200, response.content
    world.tm.refresh_from_db()
    assert (world.tm.email, world.tm.full_name) == ("tia.manager@testshire.example", "Tia Manager-Jones")
    entry = entries(tokens["own_token"].principal, Verb.UPDATED, target_id=str(world.tm.pk)).get()
    assert entry.before == {"email": "tm@test.example", "full_name": "Tia Manager"}
    own.patch(f"Users/{world.tm.pk}", {"op": "replace", "path": "userName", "value": "tia@testshire.example"})
    world.tm.refresh_from_db()
    assert world.tm.email == "tia@testshire.example"


def test_put_replaces_the_person(world, own):
    response = own.put(f"Users/{world.vs.pk}", new_user(email="val@testshire.example", name="Val School", title=""))
    assert response.status_code == 200, response.content
    world.vs.refresh_from_db()
    assert (world.vs.email, world.vs.job_title, world.vs.is_active) == ("val@testshire.example", "", True)
    own.put(f"Users/{world.vs.pk}", new_user(email="val@testshire.example", name="Val School", active=False))
    world.vs.refresh_from_db()
    assert not world.vs.is_active


def test_delete_deactivates_and_keeps_the_history(world, own, tokens):
    assert own.delete(f"Users/{world.iro.pk}").status_code == 204
    world.iro.refresh_from_db()
    assert not world.iro.is_active
    assert Membership.objects.filter(user=world.iro).exists(), "kept, with the account, for the history"
    assert own.get(f"Users/{world.iro.pk}").json()["active"] is False
    assert own.delete(f"Users/{world.iro.pk}").status_code == 204, "twice is the same"
    assert entries(tokens["own_token"].principal, Verb.DEACTIVATED, target_id=str(world.iro.pk)).count() == 1


ENTRA_USER = {
    # What Microsoft Entra ID's default attribute mapping sends for a new user.
    "schemas": [USER_SCHEMA, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    "externalId": "bo.west",
    "userName": "bo.west@testshire.example",
    "active": True,
    "displayName": "Bo West",
    "title": "Team manager",
    "emails": [{"primary": True, "type": "work", "value": "bo.west@testshire.example"}],
    "name": {"formatted": "Bo West", "familyName": "West", "givenName": "Bo"},
    "addresses": [{"type": "work", "locality": "Testtown", "country": "GB"}],
    "phoneNumbers": [{"type": "work", "value": "01632 960000"}],
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
        "employeeNumber": "7",
        "department": "Children's services",
        "manager": {"value": "5"},
    },
}


def test_entra_ids_default_shapes_are_read_and_what_is_not_kept_is_left_out(world, own):
    response = own.post("Users", ENTRA_USER)
    assert response.status_code == 201, response.content
    user_id = response.json()["id"]
    assert "phoneNumbers" not in response.json()
    response = own.patch(
        f"Users/{user_id}",
        {
            "op": "Replace",
            "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
            "value": "X",
        },
        {"op": "Add", "path": "externalId", "value": "bo.west"},
        {"op": "Replace", "path": 'phoneNumbers[type eq "work"].value', "value": "01632 960001"},
        {"op": "Replace", "path": "name.givenName", "value": "Bo"},
    )
    assert response.status_code == 200, response.content
    response = own.patch(f"Users/{user_id}", {"op": "Replace", "path": "phoneNumbers", "value": []})
    assert response.status_code == 200, response.content
    assert User.objects.get(pk=user_id).full_name == "Bo West"


# One council never reaches another's people


@pytest.mark.parametrize("person", ["sw", "vs_admin", "iro"])
def test_another_councils_token_finds_none_of_this_councils_people(person, world, other):
    target = getattr(world, person)
    path = f"Users/{target.pk}"
    assert_error(other.get(path), 404)
    assert_error(other.patch(path, {"op": "replace", "path": "active", "value": False}), 404)
    assert_error(other.put(path, new_user(email=target.email, name="Taken Over")), 404)
    assert_error(other.delete(path), 404)
    assert other.get("Users", filter=f'userName eq "{target.email}"').json()["totalResults"] == 0
    target.refresh_from_db()
    assert target.is_active and target.full_name != "Taken Over"


@pytest.mark.parametrize("person", ["dt", "dt_other", "vs_other", "nobody"])
def test_school_staff_and_outsiders_are_not_the_councils(person, world, own):
    target = getattr(world, person)
    assert_error(own.get(f"Users/{target.pk}"), 404)
    assert_error(own.patch(f"Users/{target.pk}", {"op": "replace", "path": "active", "value": False}), 404)
    assert_error(own.delete(f"Users/{target.pk}"), 404)
    target.refresh_from_db()
    assert target.is_active


def test_a_council_social_worker_who_is_also_a_designated_teacher_is_left_alone(world, own):
    Membership.objects.create(user=world.sw_other, role=Role.DESIGNATED_TEACHER, school=world.school)
    assert_error(own.patch(f"Users/{world.sw_other.pk}", {"op": "replace", "path": "active", "value": False}), 404)


def test_a_person_made_by_one_council_is_not_the_others(world, own, other):
    made = own.post("Users", new_user()).json()
    assert_error(other.get(f"Users/{made['id']}"), 404)
    assert other.get("Users", filter=f'userName eq "{made["userName"]}"').json()["totalResults"] == 0


def test_a_tokens_own_account_is_not_reachable(world, own, tokens):
    assert_error(own.get(f"Users/{tokens['own_token'].principal_id}"), 404)


# Groups


def members(*users):
    return [{"value": str(user.pk)} for user in users]


def test_a_mapped_group_gives_its_role_and_no_more(world, own, tokens):
    ada = User.objects.get(pk=own.post("Users", new_user()).json()["id"])
    response = own.post(
        "Groups", {"schemas": [GROUP_SCHEMA], "displayName": "OpenPEP social workers North", "members": members(ada)}
    )
    assert response.status_code == 201, response.content
    group = ScimGroup.objects.get(pk=response.json()["id"])
    held = Membership.objects.active().filter(user=ada)
    assert [(m.role, m.team) for m in held] == [(Role.SOCIAL_WORKER, world.team)]
    assert own.get(f"Users/{ada.pk}").json()["groups"] == [{"value": str(group.pk), "display": group.display_name}]
    principal = tokens["own_token"].principal
    assert entries(principal, Verb.CREATED, target_type="people.membership").count() == 1
    assert entries(principal, Verb.CREATED, target_type="scim.scimgroup", target_id=str(group.pk)).count() == 1

    found = own.get("Groups", filter='displayName eq "openpep social workers north"').json()
    assert found["totalResults"] == 1 and found["Resources"][0]["members"][0]["value"] == str(ada.pk)
    assert "members" not in own.get(f"Groups/{group.pk}", excludedAttributes="members").json()


def test_group_patch_adds_and_removes_members(world, own, tokens):
    group_id = own.post("Groups", {"schemas": [GROUP_SCHEMA], "displayName": "OpenPEP Virtual School"}).json()["id"]
    ada = User.objects.get(pk=own.post("Users", new_user()).json()["id"])
    # Entra ID adds with a path and a list; removes with a value filter.
    response = own.patch(f"Groups/{group_id}", {"op": "Add", "path": "members", "value": members(ada, world.sw)})
    assert response.status_code in (200, 204), response.content
    assert roles(ada).virtual_school and roles(world.sw).virtual_school
    response = own.patch(f"Groups/{group_id}", {"op": "Remove", "path": f'members[value eq "{ada.pk}"]'})
    assert response.status_code in (200, 204), response.content
    assert not roles(ada).any, "the role ended today"
    ended = entries(tokens["own_token"].principal, Verb.ENDED, target_type="people.membership").get()
    assert Membership.objects.get(pk=ended.target_id).user == ada
    assert roles(world.sw).social_worker, "their own team role, given in OpenPEP, is untouched"


def test_put_group_sets_members_and_delete_ends_the_roles(world, own):
    group_id = own.post(
        "Groups", {"schemas": [GROUP_SCHEMA], "displayName": "OpenPEP managers North", "members": members(world.sw)}
    ).json()["id"]
    assert roles(world.sw).team_manager
    response = own.put(
        f"Groups/{group_id}",
        {"schemas": [GROUP_SCHEMA], "displayName": "OpenPEP managers North", "members": members(world.sw_other)},
    )
    assert response.status_code == 200, response.content
    assert not roles(world.sw).team_manager
    assert roles(world.sw_other).team_manager
    assert own.delete(f"Groups/{group_id}").status_code == 204
    assert not roles(world.sw_other).team_manager
    assert not ScimGroup.objects.filter(pk=group_id).exists()


def test_groups_refuse_what_is_not_mapped_or_not_the_councils(world, own, other):
    def group(name, *people):
        return {"schemas": [GROUP_SCHEMA], "displayName": name, "members": members(*people)}

    assert_error(own.post("Groups", group("Domain Admins")), 400, "invalidValue")
    assert_error(own.post("Groups", group("OpenPEP social workers West")), 400, "invalidValue")  # no such team
    assert_error(own.post("Groups", group("Otherborough officers")), 400, "invalidValue")  # another council's
    before = Membership.objects.count()
    for outsider in (world.dt, world.vs_other, world.nobody):
        assert_error(own.post("Groups", group("OpenPEP Virtual School", outsider)), 400, "invalidValue")
    assert Membership.objects.count() == before
    assert not ScimGroup.objects.filter(display_name="OpenPEP Virtual School").exists()

    group_id = own.post("Groups", group("OpenPEP Virtual School")).json()["id"]
    assert_error(own.post("Groups", group("openpep virtual school")), 409, "uniqueness")
    assert_error(
        own.patch(f"Groups/{group_id}", {"op": "add", "path": "members", "value": members(world.dt)}),
        400,
        "invalidValue",
    )
    assert_error(
        own.patch(f"Groups/{group_id}", {"op": "replace", "path": "displayName", "value": "Domain Admins"}),
        400,
        "mutability",
    )
    # Another council's token: the group does not exist, and its people cannot be put in its own.
    assert_error(other.get(f"Groups/{group_id}"), 404)
    assert_error(other.delete(f"Groups/{group_id}"), 404)
    assert other.get("Groups").json()["totalResults"] == 0
    other_group = {"schemas": [GROUP_SCHEMA], "displayName": "Otherborough officers", "members": members(world.sw)}
    assert_error(other.post("Groups", other_group), 400, "invalidValue")
    assert not roles(world.sw).virtual_school


# Bad input: SCIM errors, never a 500


@pytest.mark.parametrize(
    ("text", "scim_type"),
    [
        ('userName eq "a@b', "invalidFilter"),
        ("userName eq", "invalidFilter"),
        ("((((", "invalidFilter"),
        ('userName co "a"', "invalidFilter"),
        ('title eq "x"', "invalidFilter"),
        ('userName eq "a" or userName eq "b"', "invalidFilter"),
        ('emails[type eq "work"]', "invalidFilter"),
        ("userName eq 5", "invalidFilter"),
        ("userName pr", "invalidFilter"),
        ('userName eq "' + "a" * 600 + '"', "invalidFilter"),
        ('userName eq "a\x00b"', "invalidFilter"),
    ],
)
def test_filters_are_limited_to_user_name_eq(text, scim_type, own):
    assert_error(own.get("Users", filter=text), 400, scim_type)


@pytest.mark.parametrize("params", [{"count": "x"}, {"startIndex": "-"}, {"count": "99999999999"}])
def test_bad_paging_is_refused(params, own):
    assert_error(own.get("Users", **params), 400, "invalidValue")


@pytest.mark.parametrize(
    ("body", "status", "scim_type"),
    [
        ("{", 400, "invalidSyntax"),
        ("[]", 400, "invalidSyntax"),
        ('{"userName": NaN}', 400, "invalidSyntax"),
        (b"\xff\xfe", 400, "invalidSyntax"),
        ("[" * 20 + "]" * 20, 400, "invalidSyntax"),
        (json.dumps(new_user(title={"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": {}}}}}}}}})), 400, "invalidSyntax"),
        (json.dumps(new_user(email="not an address")), 400, "invalidValue"),
        (json.dumps(new_user(name="")), 400, "invalidValue"),
        (json.dumps(new_user(name="N" * 151)), 400, "invalidValue"),
        (json.dumps(new_user(email="a" * 250 + "@t.example")), 400, "invalidValue"),
        (json.dumps({"schemas": [USER_SCHEMA]}), 400, "invalidValue"),
        (json.dumps(new_user(active="maybe")), 400, "invalidValue"),
        (json.dumps(new_user(emails="x")), 400, "invalidValue"),
        (json.dumps(new_user(name="Nul\x00Name")), 400, "invalidValue"),
        (json.dumps(new_user(title="Nul\x00Title")), 400, "invalidValue"),
    ],
)
def test_bad_user_bodies_are_scim_errors(body, status, scim_type, own):
    before = User.objects.count()
    assert_error(own.post("Users", body), status, scim_type)
    assert User.objects.count() == before


def test_an_oversize_body_is_refused(own, world):
    body = json.dumps(new_user(title="x" * (views.MAX_BODY_BYTES + 1)))
    assert_error(own.post("Users", body), 413)
    assert_error(own.put(f"Users/{world.sw.pk}", body), 413)


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "explode", "path": "active", "value": False},
        {"op": "replace", "path": "emails[[", "value": 1},
        {"op": "remove", "path": "userName"},
        {"op": "replace", "path": "active", "value": {"deep": [1]}},
        {"op": "add"},
    ],
)
def test_bad_patches_are_scim_errors(operation, own, world):
    response = own.patch(f"Users/{world.sw.pk}", operation)
    assert_error(response, 400, response.json().get("scimType"))
    world.sw.refresh_from_db()
    assert world.sw.is_active and world.sw.email == "sw@test.example"


@pytest.mark.parametrize("path", ["Users/abc", "Users/0", "Users/99999999999999999999", "Groups/x", "Groups/0"])
def test_unknown_ids_are_404(path, own):
    assert_error(own.get(path), 404)


def test_methods_not_offered_are_405(own):
    assert_error(own.send("put", "Users", new_user()), 405)
    assert_error(own.send("post", "Users/1", new_user()), 405)
    assert_error(own.send("post", "Groups/1", {}), 405)


def test_the_check_refuses_a_mapping_giving_the_heads_role(settings):
    from openpep.scim.apps import check_groups

    settings.SCIM_GROUPS = {"999": {"Heads": {"role": "vs_admin"}}}
    assert [error.id for error in check_groups(None)] == ["openpep.scim.E001"]
    settings.SCIM_GROUPS = {"999": {"Workers": {"role": "social_worker"}}}  # a team role with no team
    assert [error.id for error in check_groups(None)] == ["openpep.scim.E001"]


# The Virtual School head's page


def test_the_heads_page_shows_the_address_token_and_groups_and_makes_a_token(world, tokens):
    browser = Client()
    sign_in(browser, world.vs_admin)
    page = browser.get(reverse("scim_admin:settings")).content.decode()
    assert "<code>http://testserver/scim/v2</code>" in page
    assert f"scim_{tokens['own_token'].prefix}_" in page and tokens["own"] not in page
    assert "OpenPEP social workers North" in page and "Social worker in North" in page
    assert "Otherborough officers" not in page, "another council's groups are not shown"

    made = browser.post(reverse("scim_admin:token_make")).content.decode()
    secret = re.search(r'id="secret">(scim_[^<]+)<', made).group(1)
    assert Scim(secret).get("Users").status_code == 200
    assert_error(Scim(tokens["own"]).get("Users"), 401)
    assert entries(world.vs_admin, Verb.CREATED, target_type="scim.scimtoken").exists()

    assert browser.post(reverse("scim_admin:token_revoke")).status_code == 302
    assert_error(Scim(secret).get("Users"), 401)
    assert "provisioning is off" in browser.get(reverse("scim_admin:settings")).content.decode()


# Made-up bodies: a SCIM answer every time, never a 500

ATTRIBUTES = [
    "schemas",
    "userName",
    "displayName",
    "name",
    "title",
    "active",
    "emails",
    "externalId",
    "members",
    "Operations",
    "op",
    "path",
    "value",
    "givenName",
    "type",
    "primary",
    "urn:x",
    "phoneNumbers",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(
        ["replace", "add", "remove", "Replace", "members", 'members[value eq "1"]', "active", "a@b.example"]
    ),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(ATTRIBUTES) | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=12,
)


@engine_seed("scim_bodies")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.dictionaries(st.sampled_from(ATTRIBUTES), JSON, max_size=6),
    method=st.sampled_from(["post", "put", "patch"]),
    kind=st.sampled_from(["Users", "Groups"]),
)
def test_made_up_bodies_get_scim_answers(body, method, kind, shared, db, own):
    world, _tokens, iros = shared
    path = kind if method == "post" else f"{kind}/{world.sw.pk if kind == 'Users' else iros.pk}"
    with transaction.atomic():
        response = own.send(method, path, body)
        transaction.set_rollback(True)
    assert response.status_code in (200, 201, 400, 409), response.content[:300]
    assert response["Content-Type"] == "application/scim+json"
