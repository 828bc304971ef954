"""An imported document's references (a PEP it corrects, a target it continues or reviews) are
followed only to what the importing token may see: another council's rows are refused, nothing written."""

import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from openpep.api import exchange, services
from openpep.api.enums import Scope
from openpep.audit.models import AuditEntry
from openpep.children.models import Child
from openpep.plans.enums import Status
from openpep.plans.models import Pep, Target, TargetReview
from tests.api.conftest import bearer
from tests.builders import cast_of, pep_in


def _theirs(world):
    """A signed-off PEP of the world's council, with a target: what the other council must not reach."""
    pep = pep_in(cast_of(world), Status.SIGNED_OFF, targets=1)
    return pep, pep.targets.get()


def _crafted(world) -> dict:
    """A document of a new child, made as another OpenPEP would (its own IDs), with one PEP and one target."""
    document = exchange.export_history(world.child)
    document = json.loads(json.dumps(document).replace(f'"{settings.OPENPEP_INSTANCE_ID}/', '"elsewhere.example/'))
    document["child"].update(upn="", local_id="CRAFT1", first_name="Cara")
    return document


def _refs(world, pep, target):
    here = settings.OPENPEP_INSTANCE_ID
    return {"pep": f"{here}/pep/{pep.pk}", "target": f"{here}/target/{target.pk}"}


def _counts():
    return (
        Child.objects.count(),
        Pep.objects.count(),
        Target.objects.count(),
        TargetReview.objects.count(),
        AuditEntry.objects.count(),
        Pep.objects.filter(corrects__isnull=False).count(),
    )


ATTACKS = {
    "corrects another council's signed-off PEP": lambda doc, refs: doc["peps"][-1].update(corrects=refs["pep"]),
    "continues another council's target": lambda doc, refs: doc["peps"][-1]["targets"][0].update(
        continues=refs["target"]
    ),
    "reviews another council's target": lambda doc, refs: doc["peps"][-1]["target_reviews"].append(
        _review(refs["target"])
    ),
}


def _review(target_ref: str) -> dict:
    return {"id": "elsewhere.example/review/x", "target": target_ref, "rating": "achieved", "evidence": "Read daily"}


@pytest.mark.parametrize("attack", ATTACKS)
def test_import_through_the_api_refuses_a_reference_to_another_councils_row(world, client, attack):
    pep, target = _theirs(world)
    document = _crafted(world)
    ATTACKS[attack](document, _refs(world, pep, target))
    _, secret = services.create_token(world.vs_admin, world.other_authority, name="Elsewhere", scope=Scope.READ_WRITE)
    before = _counts()

    response = client.post(
        "/api/v1/exchange/import/", json.dumps(document), content_type="application/json", **bearer(secret)
    )

    assert response.status_code == 400, response.content
    assert any("is not in this document's history" in p for p in response.json()["detail"]), response.json()
    assert _counts() == before
    assert not Pep.objects.filter(corrects=pep).exists()
    assert not TargetReview.objects.filter(target=target).exclude(pep__child=world.child).exists()


@pytest.mark.parametrize("attack", ATTACKS)
def test_import_by_command_refuses_a_reference_to_another_councils_row(world, tmp_path, attack):
    pep, target = _theirs(world)
    document = _crafted(world)
    ATTACKS[attack](document, _refs(world, pep, target))
    path = tmp_path / "crafted.json"
    path.write_text(json.dumps(document))
    before = _counts()

    with pytest.raises(CommandError, match="is not in this document's history"):
        call_command("import_pep_history", str(path), "--authority", world.other_authority.code)

    assert _counts() == before


def test_the_same_document_without_the_foreign_reference_imports(world, client):
    _theirs(world)
    document = _crafted(world)
    own_target = document["peps"][-1]["targets"][0]["id"]
    document["peps"][-1]["target_reviews"].append(_review(own_target))
    _, secret = services.create_token(world.vs_admin, world.other_authority, name="Elsewhere", scope=Scope.READ_WRITE)

    response = client.post(
        "/api/v1/exchange/import/", json.dumps(document), content_type="application/json", **bearer(secret)
    )

    assert response.status_code == 200, response.content
    made = Child.objects.get(pk=response.json()["child"])
    assert made.local_authority == world.other_authority
    reviews = TargetReview.objects.filter(pep__child=made)
    assert reviews.count() == 1 and reviews.get().target.pep.child == made


def test_a_history_coming_home_finds_its_own_rows_not_those_another_council_made_of_them(world, client):
    """Council B of the same OpenPEP imported A's child; B's export names the rows by A's IDs. When the
    child comes back, A's import finds A's own rows (within its reach), not B's copies of them."""
    pep, _ = _theirs(world)
    _, a_secret = services.create_token(world.vs_admin, world.authority, name="A", scope=Scope.READ_WRITE)
    _, b_secret = services.create_token(world.vs_admin, world.other_authority, name="B", scope=Scope.READ_WRITE)
    a_document = client.get(f"/api/v1/children/{world.child.pk}/pep-history/", **bearer(a_secret)).json()
    into_b = client.post(
        "/api/v1/exchange/import/", json.dumps(a_document), content_type="application/json", **bearer(b_secret)
    )
    assert into_b.status_code == 200, into_b.content
    b_document = client.get(f"/api/v1/children/{into_b.json()['child']}/pep-history/", **bearer(b_secret)).json()
    before = _counts()

    home = client.post(
        "/api/v1/exchange/import/", json.dumps(b_document), content_type="application/json", **bearer(a_secret)
    )

    assert home.status_code == 200, home.content
    assert home.json() == {"child": world.child.pk, "created": {}, "skipped": {"child": 1, "enrolment": 1, "pep": 1}}
    assert _counts()[:4] == before[:4]
