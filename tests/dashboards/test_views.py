"""The dashboard page, the list behind each figure, the PP+ ledger list and their downloads."""

import csv
import io
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from openpep.audit.models import AuditEntry
from openpep.children.models import Placement
from openpep.dashboards.models import Download
from openpep.funding import services as funding_services
from openpep.funding.enums import RequestStatus
from openpep.plans.models import Target
from tests.builders import Cast, add_target, start
from tests.fixtures import make_child, sign_in

from .conftest import RATE, flat_calendar, section_d, this_year


def _links(html: str) -> list[str]:
    import re

    return re.findall(r'href="(/dashboard/children/\?[^"]+)"', html)


def test_the_dashboard_shows_the_figures_each_linking_to_its_list(world, cohort, client):
    sign_in(client, world.vs)

    response = client.get(reverse("dashboards:dashboard"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Testshire VS" in html
    assert "£18,410.00" in html and "£2,040.00" in html and "£690.00" in html and "£540.00" in html
    assert "<strong>50%</strong>" in html  # initial PEPs in time
    figures = {parse_qs(urlsplit(link.replace("&amp;", "&")).query)["figure"][0] for link in _links(html)}
    assert {"cohort", "due:overdue", "due:due_soon", "initial:within", "attendance:persistent", "sen:K"} <= figures
    assert {"pp:allocated", "pp:paid", f"pp:paid:school:{world.school.pk}", "suspended", "excluded"} <= figures
    for link in _links(html):  # every figure's list opens
        assert client.get(link.replace("&amp;", "&")).status_code == 200


def test_a_figures_list_names_its_children_with_the_filters_kept(world, cohort, client):
    sign_in(client, world.vs)

    response = client.get(reverse("dashboards:children"), {"figure": "due:overdue", "school": world.school.pk})

    html = response.content.decode()
    assert "Children whose PEP is overdue" in html
    assert "2 children" in html
    assert "Amira Test" in html and "Gus Test" in html and "Bea Test" not in html
    assert f"school={world.school.pk}" in html  # the download links keep the filters


def test_a_team_manager_and_a_designated_teacher_see_their_own_children(world, cohort, client):
    for person, count in ((world.tm, 7), (world.dt, 7), (world.dt_other, 1)):
        sign_in(client, person)
        html = client.get(reverse("dashboards:children"), {"figure": "cohort"}).content.decode()
        assert f"{count} child" in html
    sign_in(client, world.dt_other)
    assert "Amira" not in client.get(reverse("dashboards:children"), {"figure": "cohort"}).content.decode()


def test_an_invalid_filter_is_shown_and_left_out(world, cohort, client):
    sign_in(client, world.vs)

    html = client.get(reverse("dashboards:children"), {"figure": "cohort", "school": "99999"}).content.decode()

    assert "There is a problem" in html
    assert "8 children" in html


# --- downloads ---------------------------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_list_downloads_as_csv_matching_the_list_and_is_audited(world, cohort, client):
    sign_in(client, world.vs)
    query = {"figure": "attendance:persistent", "team": world.team.pk}

    response = client.get(reverse("dashboards:children"), {**query, "format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="children-')
    rows = _csv(response)
    assert rows[0][:3] == ["Name", "Date of birth", "Year group"]
    assert [row[0] for row in rows[1:]] == ["Amira Test", "Dev Test", "Eli Test"]
    amira = dict(zip(rows[0], rows[1], strict=True))
    assert (amira["Attendance (%)"], amira["SEN status"], amira["PP+ allocated (£)"], amira["PP+ approved (£)"]) == (
        "85.0",
        "K – SEN support",
        "2630.00",
        "540.00",
    )
    download = Download.objects.get()
    assert (download.actor, download.list_name, download.row_count, download.file_format) == (
        world.vs,
        "children",
        3,
        "csv",
    )
    assert download.filters == {
        "team": str(world.team.pk),
        "financial_year": this_year(),
        "figure": "attendance:persistent",
    }
    entry = AuditEntry.objects.get(target_type="dashboards.download")
    assert (entry.actor, entry.summary) == (
        world.vs,
        "Downloaded Persistently absent (attendance below 90%) as CSV: 3 rows",
    )


def test_a_list_downloads_as_xlsx_that_opens_in_a_spreadsheet_library(world, cohort, client):
    sign_in(client, world.vs)

    response = client.get(reverse("dashboards:children"), {"figure": "pp:approved", "format": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    headings = rows[0]
    assert [row[0] for row in rows[1:]] == ["Amira Test", "Cal Test"]
    cal = dict(zip(headings, rows[2], strict=True))
    assert (cal["PP+ approved (£)"], cal["SEN status"], cal["School"]) == (
        150,
        "E – Education, health and care plan",
        "Oak Primary",
    )
    assert Download.objects.get().file_format == "xlsx"


def test_the_pupil_premium_ledger_lists_and_downloads_every_childs_year(world, cohort, client):
    sign_in(client, world.vs)

    page = client.get(reverse("dashboards:ledger")).content.decode()
    rows = _csv(client.get(reverse("dashboards:ledger"), {"format": "csv"}))
    workbook = load_workbook(io.BytesIO(client.get(reverse("dashboards:ledger"), {"format": "xlsx"}).content))

    assert "£18,410.00" in page and "8 children" in page
    assert rows[0] == [
        "Name",
        "Year group",
        "UPN",
        "School",
        "Allocated (£)",
        "Requested (£)",
        "Approved (£)",
        "Paid (£)",
        "Left to approve (£)",
    ]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Amira Test"][4:] == ["2630.00", "740.00", "540.00", "540.00", "2090.00"]
    assert by_name["Ben Other"][4:] == ["0.00", "0.00", "0.00", "0.00", "0.00"]
    xlsx_rows = list(workbook.active.iter_rows(values_only=True))
    assert [row[0] for row in xlsx_rows[1:]] == [row[0] for row in rows[1:]]
    assert sum(Decimal(str(row[4])) for row in xlsx_rows[1:]) == Decimal("18410")
    assert list(Download.objects.order_by("id").values_list("list_name", "file_format", "row_count")) == [
        ("pupil-premium", "csv", 8),
        ("pupil-premium", "xlsx", 8),
    ]


def test_downloads_hold_no_carer_or_placement_details(world, cohort, client):
    Placement.objects.filter(child=world.child).update(carer_name="Mrs Jo Carer")
    sign_in(client, world.vs)
    placement_fields = {f.name for f in Placement._meta.get_fields()} | {"placement", "carer"}
    carers = set(Placement.objects.exclude(carer_name="").values_list("carer_name", flat=True))
    assert carers == {"Mrs Jo Carer"}

    for url in (reverse("dashboards:children"), reverse("dashboards:ledger")):
        for file_format in ("csv", "xlsx"):
            response = client.get(url, {"figure": "cohort", "format": file_format})
            if file_format == "csv":
                rows = _csv(response)
            else:
                rows = [[str(v) for v in row] for row in load_workbook(io.BytesIO(response.content)).active.values]
            headings = [h.lower() for h in rows[0]]
            assert not [
                h for h in headings if any(f.replace("_", " ") in h for f in placement_fields - {"id", "child"})
            ]
            assert "carer_name" not in " ".join(headings)
            values = " ".join(" ".join(row) for row in rows[1:])
            assert not [carer for carer in carers if carer in values]
            assert "carer_name" not in values


def test_a_spreadsheet_cannot_be_made_to_run_a_formula(world, cohort, client):
    from openpep.children.models import Child

    Child.objects.filter(pk=world.child.pk).update(first_name="=HYPERLINK(1)")
    sign_in(client, world.vs)

    rows = _csv(client.get(reverse("dashboards:children"), {"figure": "cohort", "format": "csv"}))
    workbook = load_workbook(io.BytesIO(client.get(reverse("dashboards:children"), {"format": "xlsx"}).content))

    assert "'=HYPERLINK(1) Test" in [row[0] for row in rows]
    assert "'=HYPERLINK(1) Test" in [row[0] for row in workbook.active.iter_rows(values_only=True)]


def test_an_unknown_format_is_a_404(world, cohort, client):
    sign_in(client, world.vs)

    assert client.get(reverse("dashboards:children"), {"format": "pdf"}).status_code == 404
    assert not Download.objects.exists()


# --- a constant number of queries --------------------------------------------------------------------------


def _cohort_of(world, n: int) -> None:
    """``n`` children of world.sw at Oak Primary with a draft PEP, a Section D, an allocation, and
    for every other child a PP+ request, approved for every fourth."""
    flat_calendar(world.authority)
    funding_services.save_rate(world.vs_admin, world.authority, this_year(), RATE)
    children = [world.child] + [
        make_child(world.authority, world.sw, world.school, first=f"Kid{i:02d}", last="Test") for i in range(1, n)
    ]
    funding_services.allocate(world.vs_admin, world.authority, this_year())
    for i, child in enumerate(children):
        pep = start(Cast(child, world.sw, world.dt, world.vs))
        section_d(pep, world.dt, attendance=str(80 + i % 20), sen="K" if i % 3 else "N", suspensions=i % 2)
        if i % 2 == 0:
            target = add_target(pep, world.dt, outcome=f"Target {i}")
            Target.objects.filter(pk=target.pk).update(pupil_premium_cost=Decimal("100.00"))
            target.refresh_from_db()
            funding_request = funding_services.request_funding(world.dt, pep, target)
            if i % 4 == 0:
                funding_services.move(funding_request, RequestStatus.APPROVED, actor=world.vs)


QUERIES = {
    # (who, page): queries, whatever the size of the cohort; they include what every signed-in page
    # costs (the session, the user, the second factor that verified the session, their roles) and the
    # header's task count (one query; the session is saved only to record activity once a minute);
    # and the council's wording of the phases in the filters (one query, and for a team manager or a
    # DT one more to find which council's).
    # The Virtual School's and team manager's dashboards: and the child's voice (the share of PEPs with
    # their own words, how they took part: two); a DT's leaves it out.
    ("vs", "dashboards:dashboard"): 26,  # and the early warnings by kind and by school (two)
    ("vs", "dashboards:children"): 14,
    ("vs", "dashboards:ledger"): 15,
    ("tm", "dashboards:dashboard"): 25,
    ("tm", "dashboards:children"): 15,
    ("tm", "dashboards:ledger"): 16,
    ("dt", "dashboards:dashboard"): 23,
    ("dt", "dashboards:children"): 15,
    ("dt", "dashboards:ledger"): 16,
}


@pytest.mark.parametrize("n", [1, 3, 50])
@pytest.mark.parametrize(("who", "name"), sorted(QUERIES))
def test_each_page_runs_the_same_queries_for_1_3_or_50_children(world, client, django_assert_num_queries, n, who, name):
    _cohort_of(world, n)
    sign_in(client, getattr(world, who))
    url = reverse(name) + "?figure=cohort&school=" + str(world.school.pk)

    with django_assert_num_queries(QUERIES[(who, name)]):
        response = client.get(url)

    assert response.status_code == 200
    assert f"{n} child" in response.content.decode() or name == "dashboards:dashboard"


@pytest.mark.parametrize("n", [1, 3, 50])
def test_a_download_runs_the_same_queries_for_1_3_or_50_children(world, client, django_assert_num_queries, n):
    _cohort_of(world, n)
    sign_in(client, world.vs)

    with django_assert_num_queries(16):  # 14, the second factor of the session, the wording of phases
        response = client.get(reverse("dashboards:children"), {"figure": "pp:allocated", "format": "csv"})

    assert len(_csv(response)) == n + 1
