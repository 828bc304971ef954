"""The register as CSV: every child the filters leave (no page), values never read as formulas, and each
child's record read audited."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from openpep.audit.models import AuditEntry
from openpep.children.enums import Cohort, CohortKind, FromWhere
from openpep.children.models import Child, CohortMembership
from tests.fixtures import sign_in


@pytest.fixture
def world(module_world, db):
    return module_world


def test_the_register_downloads_with_its_filters_as_csv(world, client):
    adopted = Child.objects.create(
        local_authority=world.authority,
        local_id="CSV1",
        first_name="=HYPERLINK(1)",
        last_name="Adopted",
        date_of_birth=datetime.date(2015, 1, 10),
        gender="2",
    )
    CohortMembership.objects.create(
        child=adopted,
        cohort=Cohort.PREVIOUSLY_LOOKED_AFTER,
        kind=CohortKind.ADOPTION,
        starts_on=datetime.date(2020, 1, 1),
        from_where=FromWhere.ENGLAND,
    )
    sign_in(client, world.vs)
    url = reverse("cohorts:register")
    page = client.get(url, {"cohort": Cohort.PREVIOUSLY_LOOKED_AFTER}).content.decode()
    assert "cohort=previously_looked_after&amp;format=csv" in page

    response = client.get(url, {"cohort": Cohort.PREVIOUSLY_LOOKED_AFTER, "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "Date of birth", "Year group"]
    assert rows[1:] == [
        [
            "'=HYPERLINK(1) Adopted",
            "2015-01-10",
            adopted.year_group_label(),
            "",
            "CSV1",
            "Previously looked after: adoption order",
            "Not on a school roll",
            "",
            "0",
        ]
    ]
    assert AuditEntry.objects.filter(actor=world.vs, verb="viewed", child_id=adopted.pk).count() == 1

    everyone = client.get(url, {"format": "csv"})
    assert len(list(csv.reader(io.StringIO(everyone.content.decode("utf-8-sig"))))) == 1 + 3  # and the two in care
    assert client.get(url, {"format": "xlsx"}).status_code == 404
