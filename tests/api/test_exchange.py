"""The PEP exchange document: exported, imported into an empty database, the same pages."""

import datetime
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection

from openpep.api import exchange, services
from openpep.api.enums import Scope
from openpep.children.models import Child
from openpep.people.enums import Role
from openpep.people.models import LocalAuthority, Membership
from openpep.plans.enums import Status
from openpep.plans.models import Pep, Target
from tests.api.conftest import bearer
from tests.builders import add_target, cast_of, complete_section_d, pep_in, start
from tests.fixtures import make_user, sign_in


def shown(html: str) -> list[str]:
    """The text of a PEP page's sections and targets, without who did what."""
    main = html[html.index("<main") :]
    text = re.sub(r"<[^>]+>", " ", main)
    return [line for line in (" ".join(text.split())).split("  ") if line]


def _history(world):
    cast = cast_of(world)
    first = pep_in(cast, Status.SIGNED_OFF, targets=2)
    second = start(cast, occasion="review")
    carried = first.targets.first()
    from openpep.plans import services as plan_services
    from openpep.plans.models import Target as T

    plan_services.add_target(
        world.dt,
        second,
        T(
            outcome="I will read every night",
            area="reading",
            success_measure="Log",
            actions="Reading",
            who="Carer",
            by_when="2026-07-01",
        ),
        continues=carried,
    )
    complete_section_d(second, world.dt, education_story="Moved up a reading band")
    return first, second


def test_export_validates_and_imports_into_an_empty_database_with_the_same_pages(world, client, tmp_path):
    first, second = _history(world)
    sign_in(client, world.vs)
    before = {p.pk: client.get(f"/peps/{p.pk}/whole/").content.decode() for p in (first, second)}
    out = tmp_path / "history.json"
    call_command("export_pep_history", str(world.child.pk), "--output", str(out))
    document = json.loads(out.read_text())
    exchange.validate(document)
    outcomes = [t.outcome for t in Target.objects.filter(pep__child=world.child).order_by("pk")]
    targets_of = {p.pk: [t.outcome for t in p.targets.all()] for p in (first, second)}

    if connection.vendor == "postgresql":  # TRUNCATE waits for no deferred check inside the test's transaction
        connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)  # an empty database: another OpenPEP
    assert not Child.objects.exists()
    authority = LocalAuthority.objects.create(code="997", name="Newshire", virtual_school_name="Newshire VS")
    officer = make_user("vs@new.example", "Nia Officer", Role.VS_OFFICER, local_authority=authority)
    call_command("import_pep_history", str(out), "--authority", "997")
    call_command("import_pep_history", str(out), "--authority", "997")  # a second import makes nothing twice

    child = Child.objects.get()
    assert child.local_authority == authority
    peps = list(Pep.objects.order_by("created_at", "pk"))
    assert len(peps) == 2
    assert sorted(t.outcome for t in Target.objects.all()) == sorted(outcomes)
    continued = Target.objects.get(continues__isnull=False)
    assert continued.pep == peps[1] and continued.continues.pep == peps[0]

    sign_in(client, officer)
    for old_pk, pep in zip((first.pk, second.pk), peps, strict=True):
        after = client.get(f"/peps/{pep.pk}/whole/").content.decode()
        for outcome in targets_of[old_pk]:
            assert outcome in after
        for text in ("Moved up a reading band", "Reading with my carer", "Settled and happy"):
            assert (text in before[old_pk]) == (text in after), text
    assert Membership.objects.filter(user=officer).exists()


def test_a_document_that_does_not_match_the_schema_is_refused_clearly(world, client):
    _, secret = services.create_token(world.vs_admin, world.other_authority, name="New council", scope=Scope.READ_WRITE)
    document = exchange.export_history(world.child)
    document["child"]["date_of_birth"] = "not a date"
    del document["peps"]
    response = client.post(
        "/api/v1/exchange/import/", json.dumps(document), content_type="application/json", **bearer(secret)
    )
    assert response.status_code == 400
    problems = response.json()["detail"]
    assert "(document): 'peps' is a required property" in problems
    assert any(p.startswith("child/date_of_birth:") for p in problems)


def test_import_through_the_api_is_idempotent(world, client):
    start(cast_of(world))
    add_target(Pep.objects.get(child=world.child), world.dt)
    _, own = services.create_token(world.vs_admin, world.authority, name="Old council", scope=Scope.READ)
    document = client.get(f"/api/v1/children/{world.child.pk}/pep-history/", **bearer(own)).json()
    _, secret = services.create_token(world.vs_admin, world.other_authority, name="New council", scope=Scope.READ_WRITE)
    # The other council takes the child over: a copy under its own authority (the UPN is unique, so none here).
    first = client.post(
        "/api/v1/exchange/import/", json.dumps(document), content_type="application/json", **bearer(secret)
    )
    second = client.post(
        "/api/v1/exchange/import/", json.dumps(document), content_type="application/json", **bearer(secret)
    )
    assert first.status_code == 200, first.content
    assert first.json()["created"]["pep"] == 1 and first.json()["created"]["target"] == 1
    assert second.json()["created"] == {} and second.json()["skipped"]["pep"] == 1
    assert Child.objects.filter(local_authority=world.other_authority).count() == 1


@pytest.mark.parametrize("path", ["openpep/api/exchange-schema.json", "docs/pep-exchange-schema.json"])
def test_the_published_schema_is_the_one_served(path, client):
    from django.conf import settings

    served = client.get("/api/v1/exchange/schema.json").json()
    assert json.loads((settings.BASE_DIR / path).read_text()) == served


def test_a_child_never_in_care_exports_and_imports_without_a_care_date_but_a_pep_needs_one(world):
    child = Child.objects.create(
        local_authority=world.authority,
        local_id="NEVER1",
        first_name="Nell",
        last_name="Wider",
        date_of_birth=datetime.date(2015, 2, 2),
        gender="2",
        care_start_date=None,
    )
    document = exchange.export_history(child)
    assert document["child"]["care_start_date"] is None and document["peps"] == []
    exchange.validate(document)  # valid: no PEP, no care date
    del document["child"]["care_start_date"]
    exchange.validate(document)  # absent is the same as null
    with_a_pep = exchange.export_history(world.child)
    with_a_pep["child"]["care_start_date"] = None
    if not with_a_pep["peps"]:
        with_a_pep["peps"] = [{}]  # any PEP at all: the care date is asked for before the PEP's own fields
    with pytest.raises(exchange.InvalidDocument) as refused:
        exchange.validate(with_a_pep)
    assert any("child/care_start_date" in p for p in refused.value.problems), refused.value.problems
    imported = exchange.import_history(document, world.other_authority)
    assert imported.child.local_authority == world.other_authority and imported.child.care_start_date is None
