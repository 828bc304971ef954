"""Foreign IDs (issue 15, point 1): every endpoint and importer that takes an ID is tried with another
council's objects' IDs, and with a same-council object out of the sender's scope. Each must be refused
— a 404, a form error or a refused import — with nothing written. What was tried is tallied.

The lists are derived from the code, so a new endpoint is tried without anyone adding it here:
- the pages: every URL pattern with an ID in its path (the objects built by the permission matrix's
  ``_url``, which fails on a parameter it does not know), as another council's Virtual School head and
  as each same-council role the matrix refuses;
- the API: every route with an ID in its path, each of its methods, with another council's token (a
  route missing from ``API_ROUTES`` fails ``test_every_api_route_with_an_id_is_tried``), and the write
  bodies, whose serializers may hold no writable reference;
- the PEP exchange import, by the API and by ``import_pep_history``: every ID the exporter writes
  (found in a real document, so a new kind of reference fails ``test_every_id_of_the_document_is_tried``)
  set to another council's row;
- the forms that carry IDs: every ``ModelChoiceField`` of every form (one missing from ``FORM_FIELDS``
  fails), and the hidden ``continues`` of a carried-forward target;
- drafts' paths: every form that keeps drafts, with another council's PEP, and a path that is not the
  form's own address.
"""

import datetime
import importlib
import json
import pkgutil
import re

import pytest
from django import forms
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter
from rest_framework import serializers as drf_serializers

import openpep
from openpep.api import exchange
from openpep.api import services as api_services
from openpep.api.enums import Scope
from openpep.children.models import Child, Enrolment
from openpep.cohorts.models import CaseworkTopic
from openpep.drafts.models import Draft
from openpep.mfa.models import Passkey
from openpep.people.enums import Role
from openpep.people.models import Team
from openpep.plans import services as plan_services
from openpep.plans.enums import ViewsRecordedBy
from openpep.plans.models import Attainment, Decision, Pep, Target, TargetReview
from tests.api.conftest import bearer
from tests.api.test_exchange import _history
from tests.builders import add_attainment
from tests.fixtures import make_user, sign_in
from tests.security.test_no_writes import State
from tests.test_permission_matrix import ANY, GET, OWN, POST, _objects, _url, takes_object

SAME_COUNCIL_ROLES = ("sw", "sw_other", "tm", "dt", "vs", "vs_admin", "iro")


def _id_urls(resolver=None, namespace="", params=()):
    """(namespaced name, names of its integer parameters) of every URL pattern."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        converters = getattr(pattern.pattern, "converters", {})
        found = params + tuple(name for name, conv in converters.items() if isinstance(conv, IntConverter))
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _id_urls(pattern, inner, found)
        elif isinstance(pattern, URLPattern) and found:
            yield f"{namespace}{pattern.name}", (found, pattern.callback)


ID_URLS = {name: params for name, (params, _) in _id_urls()}
VIEWS = {name: view for name, (_, view) in _id_urls()}
PAGE_URLS = sorted(name for name in ID_URLS if not name.startswith("api:"))


def other_head(world):
    """The Virtual School head of another council: the strongest account that must see none of it."""
    return make_user("head@other.example", "Olu Head", Role.VS_ADMIN, local_authority=world.other_authority)


def _foreign_post_data(world) -> dict:
    """What a crafted form post carries: IDs of the world's rows in every field that could take one."""
    return {
        "continues": "1",
        "school": world.school.pk,
        "social_worker": world.sw.pk,
        "delegate": world.dt.pk,
        "children": [world.child.pk],
        "team": world.team.pk,
        "passkey": "1",
        "lock_version": "1",
        "note": "x",
        "reason": "x",
        "confirm": "yes",
    }


# Pages


@pytest.mark.parametrize("name", PAGE_URLS)
def test_every_page_with_an_id_refuses_another_councils_and_an_out_of_scope_id(name, world, client, tally):
    column = OWN if takes_object(name) else ANY
    url = _url(name, column, world)
    post_only = name in POST
    cells = (POST if post_only else GET)[name][column]
    outsiders = [("another council", other_head(world))] + [
        ("same council, out of scope", getattr(world, role)) for role in SAME_COUNCIL_ROLES if cells[role] == 404
    ]
    data = _foreign_post_data(world)
    for kind, outsider in outsiders:
        client.logout()
        sign_in(client, outsider)
        before = State()

        got = client.get(url).status_code
        posted = client.post(url, data).status_code

        assert (got, posted) == (405 if post_only else 404, 404), f"{url} as {outsider.email}"
        assert State().changes_since(before) == [], f"{url} as {outsider.email}"
        tally(f"page URLs given an ID of {kind} (GET and POST)", 2)


# The API

API_ROUTES = {
    "api:child": lambda found: {"pk": found.child.pk},
    "api:pep_history": lambda found: {"pk": found.child.pk},
    "api:pep": lambda found: {"pk": found.draft.pk},
    "api:child_views": lambda found: {"pk": found.draft.pk},
    "api:arrangements": lambda found: {"pk": found.draft.pk},
    "api:school_section": lambda found: {"pk": found.draft.pk},
    "api:target": lambda found: {"pk": found.draft.pk, "target_id": found.target.pk},
    "api:meeting": lambda found: {"pk": found.draft.meeting.pk},
}
METHODS = ("get", "post", "put", "patch", "delete")


#: What any API request may change: the throttle's counts (a cache table), kept per token.
API_BOOKKEEPING = {settings.CACHES["api"]["LOCATION"]}


def _api_changes(before: State) -> list[str]:
    return [table for table in State().changes_since(before) if table not in API_BOOKKEEPING]


def test_every_api_route_with_an_id_is_tried():
    assert sorted(name for name in ID_URLS if name.startswith("api:")) == sorted(API_ROUTES)


def _token(world, authority, scope=Scope.READ_WRITE) -> str:
    """A token, used once already (its last use is noted at most once a minute, not by every request)."""
    secret = api_services.create_token(world.vs_admin, authority, name="Probe", scope=scope)[1]
    api_services.authenticate(secret)
    return secret


def _methods(url: str) -> list[str]:
    view = resolve(url).func.view_class
    return [method for method in METHODS if hasattr(view, method)]


def _send(client, method: str, url: str, found, secret: str):
    """The request, with a body of IDs for a method that takes one, and an If-Match a write needs."""
    if method == "get":
        return client.get(url, **bearer(secret))
    body = {"pep": found.draft.pk, "target": found.target.pk, "continues": found.target.pk, "child": found.child.pk}
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", HTTP_IF_MATCH='"1"', **bearer(secret)
    )


@pytest.mark.parametrize("name", sorted(API_ROUTES))
def test_every_api_route_refuses_another_councils_id(name, world, client, tally):
    found = _objects(world, world.child, ViewsRecordedBy.SCHOOL)
    url = reverse(name, kwargs=API_ROUTES[name](found))
    missing = reverse(name, kwargs=dict.fromkeys(ID_URLS[name], 99_999_999))
    secret = _token(world, world.other_authority)
    before = State()
    for method in _methods(url):
        response = _send(client, method, url, found, secret)
        assert response.status_code == 404, f"{method.upper()} {url}"
        # The same answer as for an ID that is nobody's: nothing tells that the row exists.
        assert response.json() == _send(client, method, missing, found, secret).json()
        tally("API requests given another council's ID", 1)
    assert _api_changes(before) == []


def test_a_target_of_another_pep_of_the_same_council_is_not_found_under_this_one(world, client, tally):
    found = _objects(world, world.child, ViewsRecordedBy.SCHOOL)
    url = reverse("api:target", kwargs={"pk": found.signed_off.pk, "target_id": found.target.pk})
    secret = _token(world, world.authority)
    before = State()
    for method in _methods(url):
        response = _send(client, method, url, found, secret)
        assert response.status_code == 404, method
        tally("API requests given an ID out of scope in the same council", 1)
    assert _api_changes(before) == []


def test_the_api_list_filter_finds_nothing_of_another_council(world, client, tally):
    found = _objects(world, world.child, ViewsRecordedBy.SCHOOL)
    response = client.get(f"/api/v1/peps/?child={found.child.pk}", **bearer(_token(world, world.other_authority)))
    assert response.status_code == 200 and response.json()["count"] == 0
    tally("API requests given another council's ID", 1)


def _write_serializers():
    for name in API_ROUTES:
        view = get_resolver().resolve(
            reverse(name, kwargs={"pk": 1, "target_id": 1} if "target" in name else {"pk": 1})
        )
        view_class = view.func.view_class
        if any(hasattr(view_class, m) for m in ("post", "put", "patch")) and view_class.serializer_class:
            yield name, view_class.serializer_class


def test_no_api_write_body_takes_a_reference():
    """A reference in a body would be an ID resolved outside the views' scoped lookups."""
    writable = {
        (name, field_name)
        for name, serializer in _write_serializers()
        for field_name, field in serializer().fields.items()
        if isinstance(field, drf_serializers.RelatedField | drf_serializers.ManyRelatedField) and not field.read_only
    }
    assert writable == set()


def test_ids_in_a_write_body_are_ignored(world, client, tally):
    own = _objects(world, world.child, ViewsRecordedBy.SCHOOL)
    foreign_pep = Pep.objects.create(child=make_child_elsewhere(world), created_by=world.vs_other)
    foreign_target = Target.objects.create(
        pep=foreign_pep, outcome="Theirs", area="reading", who="Them", by_when=datetime.date(2026, 7, 1)
    )
    url = reverse("api:target", kwargs={"pk": own.draft.pk, "target_id": own.target.pk})
    body = {"outcome": "I will read every night", "pep": foreign_pep.pk, "continues": foreign_target.pk}
    body["id"] = foreign_target.pk
    version = Target.objects.get(pk=own.target.pk).lock_version

    response = client.patch(
        url,
        json.dumps(body),
        content_type="application/json",
        HTTP_IF_MATCH=f'"{version}"',
        **bearer(_token(world, world.authority)),
    )

    assert response.status_code == 200, response.content
    target = Target.objects.get(pk=own.target.pk)
    assert (target.outcome, target.pep_id, target.continues_id) == ("I will read every night", own.draft.pk, None)
    assert Target.objects.get(pk=foreign_target.pk).outcome == "Theirs"
    tally("API write bodies carrying another council's IDs", 1)


def make_child_elsewhere(world) -> Child:
    return Child.objects.create(
        local_authority=world.other_authority,
        first_name="Olly",
        last_name="Away",
        date_of_birth=datetime.date(2013, 1, 1),
        gender="1",
        local_id="AWAY1",
        care_start_date=datetime.date(2022, 1, 1),
    )


# The PEP exchange import

INSTANCE_ID = re.compile(r"^" + re.escape(settings.OPENPEP_INSTANCE_ID) + r"/(\w+)/\d+$")
#: Where a document holds an ID, and the kind of row it names. References name another row of the
#: document (the import must refuse one that names anything else); the rest name the object itself.
EXCHANGE_IDS = {
    "child/id": "child",
    "enrolments/*/id": "enrolment",
    "peps/*/id": "pep",
    "peps/*/corrects": "pep",
    "peps/*/targets/*/id": "target",
    "peps/*/targets/*/continues": "target",
    "peps/*/target_reviews/*/id": "review",
    "peps/*/target_reviews/*/target": "target",
    "peps/*/attainment/*/id": "attainment",
    "peps/*/decisions/*/id": "decision",
}
REFERENCES = {"peps/*/corrects", "peps/*/targets/*/continues", "peps/*/target_reviews/*/target"}


def _id_paths(node, path=()):
    """(generic path, concrete path) of every string in ``node`` that is one of this OpenPEP's IDs."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _id_paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _id_paths(value, (*path, index))
    elif isinstance(node, str) and INSTANCE_ID.match(node):
        yield "/".join("*" if isinstance(p, int) else p for p in path), path


def _world_history(world):
    """The world's child with a signed-off PEP, a review PEP carrying a target forward and a correction
    of the signed-off one: a document with every kind of ID."""
    first, second = _history(world)
    add_attainment(second, world.dt)
    plan_services.start_correction(world.vs, first)
    return first, second


def _rows_of(authority) -> list:
    """Every row of the council's children and their PEPs, as they stand."""
    return [
        list(Child.objects.filter(local_authority=authority).order_by("pk").values()),
        list(Enrolment.objects.filter(child__local_authority=authority).order_by("pk").values()),
        list(Pep.objects.filter(child__local_authority=authority).order_by("pk").values()),
        list(Target.objects.filter(pep__child__local_authority=authority).order_by("pk").values()),
        list(TargetReview.objects.filter(pep__child__local_authority=authority).order_by("pk").values()),
        list(Attainment.objects.filter(pep__child__local_authority=authority).order_by("pk").values()),
        list(Decision.objects.filter(pep__child__local_authority=authority).order_by("pk").values()),
    ]


def _set(document, path, value):
    node = document
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def _ids_of_world(world) -> dict:
    """One real row of the world's council per kind, by this OpenPEP's ID for it."""
    here = settings.OPENPEP_INSTANCE_ID
    pep = Pep.objects.filter(child=world.child).order_by("pk").first()
    target = Target.objects.filter(pep__child=world.child).order_by("pk").first()
    review = TargetReview.objects.filter(pep__child=world.child).order_by("pk").first()
    rows = {
        "child": world.child,
        "enrolment": world.child.enrolments.first(),
        "pep": pep,
        "target": target,
        "review": review,
        "attainment": Attainment.objects.filter(pep__child=world.child).first(),
        "decision": Decision.objects.filter(pep__child=world.child).first(),
    }
    return {kind: f"{here}/{kind}/{row.pk}" for kind, row in rows.items() if row is not None}


def _documents(world):
    """The world child's real document, and a copy as another OpenPEP would have written it (its own IDs),
    for a new child: the base each attack changes one ID of."""
    _world_history(world)
    real = json.loads(json.dumps(exchange.export_history(world.child)))
    crafted = json.loads(json.dumps(real).replace(f'"{settings.OPENPEP_INSTANCE_ID}/', '"elsewhere.example/'))
    crafted["child"].update(upn="", local_id="CRAFT1", first_name="Cara")
    return real, crafted


def test_every_id_of_the_document_is_tried(world):
    real, _ = _documents(world)
    assert {generic for generic, _ in _id_paths(real)} == set(EXCHANGE_IDS)


def _attacks(world):
    real, crafted = _documents(world)
    theirs = _ids_of_world(world)
    paths = {}
    for generic, concrete in _id_paths(real):
        paths.setdefault(generic, concrete)
    for generic, concrete in sorted(paths.items()):
        document = json.loads(json.dumps(crafted))
        _set(document, concrete, theirs[EXCHANGE_IDS[generic]])
        yield generic, document


def _check_import(world, generic, refused: bool, made_child_id=None):
    if generic in REFERENCES:
        assert refused, f"{generic} naming another council's row was followed"
    if made_child_id is not None:  # an ID naming another council's row made a new row of the importer's own
        child = Child.objects.get(pk=made_child_id)
        assert child.local_authority == world.other_authority
        assert not TargetReview.objects.filter(pep__child=child).exclude(target__pep__child=child).exists()
        assert (
            not Target.objects.filter(pep__child=child, continues__isnull=False)
            .exclude(continues__pep__child=child)
            .exists()
        )
        assert not Pep.objects.filter(child=child, corrects__isnull=False).exclude(corrects__child=child).exists()


def test_the_exchange_import_by_api_never_follows_an_id_to_another_council(world, client, tally):
    secret = _token(world, world.other_authority)
    for generic, document in _attacks(world):
        before = _rows_of(world.authority)
        response = client.post(
            "/api/v1/exchange/import/", json.dumps(document), content_type="application/json", **bearer(secret)
        )
        assert response.status_code in (200, 400), response.content
        _check_import(world, generic, response.status_code == 400, response.json().get("child"))
        assert _rows_of(world.authority) == before, generic
        if response.status_code == 200:  # the next attempt starts afresh
            Child.objects.filter(pk=response.json()["child"]).update(local_id=f"DONE{Child.objects.count()}")
        tally("exchange imports (API) naming another council's row", 1)


def test_the_exchange_import_command_never_follows_an_id_to_another_council(world, tmp_path, tally):
    for n, (generic, document) in enumerate(_attacks(world)):
        document["child"]["local_id"] = f"CMD{n}"
        path = tmp_path / f"attack-{n}.json"
        path.write_text(json.dumps(document))
        before = _rows_of(world.authority)
        try:
            call_command("import_pep_history", str(path), "--authority", world.other_authority.code)
        except CommandError:
            refused = True
        else:
            refused = False
        made = Child.objects.filter(local_authority=world.other_authority, local_id=f"CMD{n}").first()
        _check_import(world, generic, refused, made.pk if made else None)
        assert _rows_of(world.authority) == before, generic
        tally("exchange imports (command) naming another council's row", 1)


# Forms that carry IDs

#: Every ModelChoiceField of every form: the page that posts it, who posts, and the field's value that
#: must be refused (another council's row, or a row out of the sender's scope).
FORM_FIELDS = {
    ("NewChildForm", "social_worker"): "new child: another council's social worker",
    ("NewChildForm", "iro"): "new child: another council's IRO",
    ("NewChildForm", "school"): "new child: a school id that is no school",
    ("ChildDetailsForm", "iro"): "child's details: another council's IRO",
    ("SchoolChangeForm", "school"): "school change: a school id that is no school",
    ("ReallocateForm", "social_worker"): "reallocate: another council's social worker",
    ("DelegationForm", "delegate"): "delegate: staff of another school",
    ("DelegationForm", "children"): "delegate: a child not on the school's roll",
    ("StaffForm", "team"): "staff: another council's team",
    ("AccessRequestForm", "school"): "access request: a school id that is no school",
    ("CaseworkForm", "topic"): "advice given: another council's topic of advice",
}


def _forms_with_ids():
    for module_info in pkgutil.walk_packages(openpep.__path__, "openpep."):
        if not module_info.name.endswith("forms"):
            continue
        module = importlib.import_module(module_info.name)
        for name, cls in vars(module).items():
            if isinstance(cls, type) and issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                for field_name, field in cls.base_fields.items():
                    if isinstance(field, forms.ModelChoiceField):
                        yield name, field_name


def test_every_form_field_that_takes_an_id_is_tried():
    assert sorted(set(_forms_with_ids())) == sorted(FORM_FIELDS)


def _another_councils_staff(world) -> dict:
    team = Team.objects.create(local_authority=world.other_authority, name="Far")
    return {
        "team": team,
        "sw": make_user("sw@other.example", "Sid Far", Role.SOCIAL_WORKER, team=team),
        "iro": make_user("iro@other.example", "Isa Far", Role.IRO, local_authority=world.other_authority),
        "school_staff": make_user("ta@other.example", "Tom Far", Role.SCHOOL_STAFF, school=world.other_school),
    }


def _form_cases(world):
    """(form field, page, who posts, value to refuse, value the same field takes)."""
    far = _another_councils_staff(world)
    colleague = make_user("senco@test.example", "Sen Colleague", Role.SCHOOL_STAFF, school=world.school)
    child = world.child.pk
    no_school = ["99999999", "²", "9" * 30]
    return [
        (("NewChildForm", "social_worker"), "/children/add/", world.vs, [far["sw"].pk], world.sw.pk),
        (("NewChildForm", "iro"), "/children/add/", world.vs, [far["iro"].pk], world.iro.pk),
        (("NewChildForm", "school"), "/children/add/", world.vs, no_school, world.other_school.pk),
        (("ChildDetailsForm", "iro"), f"/children/{child}/edit/", world.sw, [far["iro"].pk], world.iro.pk),
        (("SchoolChangeForm", "school"), f"/children/{child}/school/", world.sw, no_school, world.other_school.pk),
        (
            ("ReallocateForm", "social_worker"),
            f"/children/{child}/social-worker/",
            world.tm,
            [far["sw"].pk],
            world.sw_other.pk,
        ),
        (
            ("DelegationForm", "delegate"),
            "/children/delegations/add/",
            world.dt,
            [far["school_staff"].pk],
            colleague.pk,
        ),
        (("DelegationForm", "children"), "/children/delegations/add/", world.dt, [world.other_child.pk], child),
        (("StaffForm", "team"), "/admin/staff/add/", world.vs_admin, [far["team"].pk], world.team.pk),
        (("AccessRequestForm", "school"), "/request-access/", None, no_school, world.other_school.pk),
        (
            ("CaseworkForm", "topic"),
            f"/children/{child}/advice/add/",
            world.vs,
            [CaseworkTopic.objects.filter(local_authority=world.other_authority).first().pk],
            CaseworkTopic.objects.filter(local_authority=world.authority).first().pk,
        ),
    ]


def test_every_form_field_with_an_id_refuses_another_councils_row(world, client, tally):
    cases = _form_cases(world)
    assert sorted(key for key, *_ in cases) == sorted(FORM_FIELDS)
    for (form_name, field), url, who, refused, taken in cases:
        client.logout()
        if who is not None:
            sign_in(client, who)
        for value in refused:
            before = State()

            response = client.post(url, {field: value})

            assert response.status_code == 200, f"{form_name}.{field} = {value!r}: {response.status_code}"
            assert response.context["form"].errors.get(field), f"{form_name}.{field} = {value!r}"
            assert State().changes_since(before) == [], f"{form_name}.{field} = {value!r}"
        # The control: the same field takes a row the sender may choose (the form may then be complete).
        response = client.post(url, {field: taken})
        assert response.status_code == 302 or not response.context["form"].errors.get(field), f"{form_name}.{field}"
        tally("form fields given another council's or no row's ID", len(refused))


def test_a_target_cannot_carry_forward_a_review_of_another_pep(world, client, tally):
    """The hidden ``continues`` of "Carry forward a target": a review of this PEP only."""
    own = _objects(world, world.child, ViewsRecordedBy.SCHOOL)
    other = _objects(world, world.other_child, ViewsRecordedBy.SCHOOL)
    sign_in(client, world.dt)
    url = reverse("plans:target_add", kwargs={"pep_id": own.draft.pk})
    target = {"outcome": "Mine", "area": "reading", "success_measure": "Log", "actions": "Read", "who": "Me"}
    for review in (other.review.pk, "²", "9" * 30):
        before = State()

        got = client.get(url, {"continues": review}).status_code
        posted = client.post(url, {**target, "continues": review}).status_code

        assert (got, posted) == (404, 404), review
        assert State().changes_since(before) == []
        tally("hidden IDs given another PEP's or no row's ID", 2)


def test_a_passkey_of_someone_else_or_no_passkey_is_not_found(world, client, tally):
    theirs = Passkey.objects.create(
        user=world.vs, name="Theirs", credential_id="theirs", public_key=b"k", confirmed=True
    )
    sign_in(client, world.vs_other)
    for passkey in (theirs.pk, "abc", "²", "9" * 30):
        before = State()

        response = client.post(reverse("mfa:passkey_remove"), {"passkey": passkey})

        assert response.status_code == 404, passkey
        assert State().changes_since(before) == []
        tally("hidden IDs given another person's or no row's ID", 1)
    assert Passkey.objects.filter(pk=theirs.pk).exists()


def test_a_designated_teachers_school_choice_is_theirs_only(world, client, tally):
    sign_in(client, world.dt)
    for school in (world.other_school.pk, "²", "9" * 30):
        response = client.get(reverse("children:delegation_add"), {"school": school})
        assert response.status_code == 200, school
        assert world.other_school.name not in response.content.decode()
        tally("query IDs given another school's or no row's ID", 1)


# Drafts' paths

DRAFT_FORMS = sorted(name for name, view in VIEWS.items() if getattr(view, "keeps_drafts", None) is not None)


def test_there_are_forms_that_keep_drafts():
    assert "plans:section_b" in DRAFT_FORMS and len(DRAFT_FORMS) >= 5


@pytest.mark.parametrize("name", DRAFT_FORMS)
def test_a_draft_of_another_councils_or_an_out_of_scope_pep_is_refused(name, world, client, tally):
    found = _objects(world, world.child, ViewsRecordedBy.SCHOOL)
    values = {"pep_id": found.draft.pk, "target_id": found.target.pk, "review_id": found.review.pk}
    path = reverse(name, kwargs={param: values[param] for param in ID_URLS[name]})
    for outsider in (other_head(world), world.sw_other, world.dt_other):
        client.logout()
        sign_in(client, outsider)
        before = State()

        kept = client.post(reverse("drafts:autosave"), {"path": path, "outcome": "x", "going_well": "x"})
        discarded = client.post(reverse("drafts:discard"), {"path": path})

        assert (kept.status_code, discarded.status_code) == (404, 404), f"{path} as {outsider.email}"
        assert State().changes_since(before) == []
        tally("draft paths naming another council's or an out-of-scope PEP", 2)


def test_a_draft_path_that_is_not_the_forms_own_address_is_refused(world, client, tally):
    found = _objects(world, world.child, ViewsRecordedBy.SCHOOL)
    sign_in(client, world.dt)
    own = reverse("plans:section_b", kwargs={"pep_id": found.draft.pk})
    for path in (
        own.replace(f"/{found.draft.pk}/", f"/0{found.draft.pk}/"),
        own.replace(f"/{found.draft.pk}/", "/" + "0" * 300 + f"{found.draft.pk}/"),
    ):
        response = client.post(reverse("drafts:autosave"), {"path": path, "going_well": "x"})
        assert response.status_code == 404, path
        tally("draft paths naming another council's or an out-of-scope PEP", 1)
    assert not Draft.objects.exists()
    assert client.post(reverse("drafts:autosave"), {"path": own, "going_well": "x"}).status_code == 200


# IDs in query strings: filters

BAD_IDS = ("²", "9" * 30)


def test_the_api_child_filter_takes_a_plain_id_only(world, client, tally):
    secret = _token(world, world.authority)
    for child in BAD_IDS:
        response = client.get("/api/v1/peps/", {"child": child}, **bearer(secret))
        assert response.status_code in (200, 400), child
        assert response.status_code == 400 or response.json()["count"] == 0
        tally("query IDs given another school's or no row's ID", 1)


@pytest.mark.parametrize("measure", ["allocated", "approved"])
def test_a_dashboard_figure_of_another_or_no_school_lists_none_of_it(world, client, tally, measure):
    sign_in(client, world.vs_other)
    for school in (world.school.pk, *BAD_IDS):
        response = client.get(reverse("dashboards:children"), {"figure": f"pp:{measure}:school:{school}"})
        assert response.status_code in (200, 404), school
        assert world.child.first_name not in response.content.decode()
        tally("query IDs given another school's or no row's ID", 1)
