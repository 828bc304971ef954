"""The figures of the Virtual School Head's annual report, asserted on data built here (academic year
2025 to 2026): who is in each cohort that year, attendance, suspensions and exclusions, advice by topic,
PEPs in time and rated good or better; the page, its downloads, who sees it and its queries."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from openpep.attendance.models import AttendanceYear
from openpep.children.enums import Cohort, CohortKind, FromWhere
from openpep.children.models import Child, CohortMembership, Placement
from openpep.children.queries import children_for
from openpep.clock.models import PepClock
from openpep.cohorts.enums import GivenTo, How
from openpep.cohorts.models import CaseworkEntry, CaseworkTopic
from openpep.dashboards.annual import annual_report
from openpep.dashboards.models import Download
from openpep.plans.enums import DecisionOutcome, Occasion, Phase, Status
from openpep.plans.models import Decision, Pep, SchoolSection
from openpep.quality.models import Review
from tests.fixtures import sign_in

YEAR = 2025
TODAY = datetime.date(2026, 12, 3)
D = datetime.date


@pytest.fixture
def world(module_world, db):
    return module_world


def _child(authority, local_id, *, care=None):
    return Child.objects.create(
        local_authority=authority,
        local_id=local_id,
        first_name=local_id,
        last_name="Report",
        date_of_birth=D(2014, 5, 5),
        gender="1",
        care_start_date=care,
    )


def _member(child, cohort, kind, starts_on, ends_on=None):
    where = FromWhere.ENGLAND if cohort == Cohort.PREVIOUSLY_LOOKED_AFTER else ""
    CohortMembership.objects.create(
        child=child, cohort=cohort, kind=kind, starts_on=starts_on, ends_on=ends_on, from_where=where
    )


def _attendance(child, possible, attended, suspensions=0, days="0", year=YEAR):
    AttendanceYear.objects.create(
        child=child,
        year=year,
        to_date=D(year + 1, 7, 20),
        possible=possible,
        attended=attended,
        suspensions=suspensions,
        suspension_days=Decimal(days),
        attendance_percent=(Decimal(attended * 100) / possible).quantize(Decimal("0.1")),
    )


def _advice(world, child, topic, on, authority=None):
    CaseworkEntry.objects.create(
        child=child,
        given_on=on,
        given_to=GivenTo.SCHOOL,
        given_by=world.vs,
        how=How.PHONE,
        topic=CaseworkTopic.objects.get(local_authority=authority or world.authority, name=topic),
        notes="Advice",
    )


def _pep(world, child, *, created, due, signed_off=None, ratings=(), status=Status.SIGNED_OFF, excluded=None):
    pep = Pep.objects.create(
        child=child,
        school=world.school,
        phase=Phase.STATUTORY,
        occasion=Occasion.REVIEW,
        status=status,
        created_by=world.sw,
    )
    Pep.objects.filter(pk=pep.pk).update(
        created_at=timezone.make_aware(datetime.datetime.combine(created, datetime.time(9)))
    )
    PepClock.objects.update_or_create(pep=pep, defaults={"pep_due": due})
    if signed_off:
        decision = Decision.objects.create(pep=pep, outcome=DecisionOutcome.SIGNED_OFF, decided_by=world.vs)
        Decision.objects.filter(pk=decision.pk).update(
            decided_at=timezone.make_aware(datetime.datetime.combine(signed_off, datetime.time(12)))
        )
    for n, rating in enumerate(ratings):
        review = Review.objects.create(pep=pep, reviewer=world.vs, overall=rating)
        Review.objects.filter(pk=review.pk).update(
            created_at=timezone.make_aware(datetime.datetime(2026, 7, 1 + n, 10))
        )
    if excluded is not None:
        SchoolSection.objects.create(pep=pep, updated_by=world.sw, permanent_exclusions=excluded)
    return pep


@pytest.fixture
def known(world):
    """Academic year 2025 to 2026 of Testshire: looked after, world.child and world.other_child (in care since
    2023); previously looked after, A (adopted 2020) and E (left care 31 August 2025 under an SGO); with a social
    worker, B (a plan ended in December 2019, within 6 years) and D (a CPP from October 2025; kinship only from
    September 2026); C's plan ended in June 2019, too long before; F is another council's."""
    a = _child(world.authority, "A")
    _member(a, Cohort.PREVIOUSLY_LOOKED_AFTER, CohortKind.ADOPTION, D(2020, 3, 1))
    b = _child(world.authority, "B")
    _member(b, Cohort.SOCIAL_WORKER, CohortKind.CIN, D(2018, 1, 1), D(2019, 12, 31))
    c = _child(world.authority, "C")
    _member(c, Cohort.SOCIAL_WORKER, CohortKind.CPP, D(2015, 1, 1), D(2019, 6, 30))
    d = _child(world.authority, "D")
    _member(d, Cohort.KINSHIP, CohortKind.INFORMAL, D(2026, 9, 1))
    _member(d, Cohort.SOCIAL_WORKER, CohortKind.CPP, D(2025, 10, 1))
    e = _child(world.authority, "E", care=D(2020, 1, 1))
    Placement.objects.create(
        child=e, starts_on=D(2020, 1, 1), ends_on=D(2025, 8, 31), legal_status="C2", placement_type="U4"
    )
    _member(e, Cohort.PREVIOUSLY_LOOKED_AFTER, CohortKind.SGO, D(2025, 9, 1))
    f = _child(world.other_authority, "F")
    _member(f, Cohort.PREVIOUSLY_LOOKED_AFTER, CohortKind.ADOPTION, D(2020, 3, 1))

    _attendance(world.child, 100, 85, suspensions=1, days="1.5")
    _attendance(world.child, 100, 20, year=YEAR - 1)  # another year
    _attendance(world.other_child, 100, 95)
    _attendance(a, 200, 90, suspensions=2, days="3")
    _attendance(d, 50, 50)
    _attendance(f, 100, 10, suspensions=5, days="9")

    _advice(world, world.child, "Attendance", D(2025, 10, 1))
    _advice(world, a, "Attendance", D(2026, 3, 1))
    _advice(world, a, "Special educational needs and disabilities", D(2025, 8, 31))  # the year before
    _advice(world, d, "Attendance", D(2026, 8, 31))
    _advice(world, b, "Other", D(2025, 9, 1))
    _advice(world, f, "Attendance", D(2025, 10, 1), authority=world.other_authority)

    _pep(world, world.child, created=D(2025, 9, 20), due=D(2025, 10, 15), signed_off=D(2025, 10, 10), ratings=["green"])
    _pep(
        world,
        world.child,
        created=D(2026, 1, 10),
        due=D(2026, 2, 1),
        signed_off=D(2026, 2, 5),
        ratings=["amber", "red"],
        excluded=1,
    )
    _pep(  # due the year before: not counted
        world,
        world.other_child,
        created=D(2024, 11, 1),
        due=D(2024, 12, 1),
        signed_off=D(2024, 11, 20),
        ratings=["gold"],
    )
    _pep(world, world.other_child, created=D(2026, 5, 1), due=D(2026, 6, 1), status=Status.DRAFT)
    return world


def test_the_figures_of_each_cohort_on_known_data(known):
    report = annual_report(children_for(known.vs), YEAR, TODAY)
    looked_after, previously, social_worker, kinship = report.cohorts
    assert (report.starts_on, report.ends_on) == (D(2025, 9, 1), D(2026, 8, 31))
    assert [c.children for c in report.cohorts] == [2, 2, 2, 0]

    assert (looked_after.with_attendance, looked_after.possible, looked_after.attended) == (2, 200, 180)
    assert (looked_after.attendance, looked_after.persistent, looked_after.persistent_percent) == (
        Decimal("90.0"),
        1,
        Decimal("50.0"),
    )
    assert (looked_after.suspended, looked_after.suspensions, looked_after.suspension_days) == (1, 1, Decimal("1.5"))
    assert looked_after.excluded == 1
    assert (previously.attendance, previously.persistent, previously.severe) == (Decimal("45.0"), 1, 1)
    assert (previously.suspended, previously.suspensions, previously.suspension_days) == (1, 2, Decimal("3"))
    assert previously.excluded is None and previously.peps_due is None
    assert (social_worker.with_attendance, social_worker.attendance, social_worker.persistent_percent) == (
        1,
        Decimal("100.0"),
        Decimal("0.0"),
    )
    assert (kinship.with_attendance, kinship.attendance, kinship.persistent_percent) == (0, None, None)

    assert [c.advice for c in report.cohorts] == [1, 1, 2, 0]
    assert report.topics == [
        ("Attendance", {"looked_after": 1, "previously_looked_after": 1, "social_worker": 1, "kinship": 0}),
        ("Other", {"looked_after": 0, "previously_looked_after": 0, "social_worker": 1, "kinship": 0}),
    ]

    # Due in the year: in time (10 October for 15 October), late (5 February for 1 February), overdue
    # (1 June, a draft). Rated at their latest round: Green, Red (after Amber); the draft not yet.
    assert (looked_after.peps_due, looked_after.peps_in_time, looked_after.peps_late) == (3, 1, 2)
    assert looked_after.in_time_percent == Decimal("33.3")
    assert (looked_after.peps_reviewed, looked_after.peps_good, looked_after.good_percent) == (2, 1, Decimal("50.0"))


def test_a_pep_not_yet_due_is_neither_in_time_nor_late(known):
    report = annual_report(children_for(known.vs), YEAR, D(2026, 5, 1))  # before the draft's due date
    assert (report.cohorts[0].peps_due, report.cohorts[0].peps_in_time, report.cohorts[0].peps_late) == (3, 1, 1)


def test_another_councils_virtual_school_sees_only_its_own(known):
    report = annual_report(children_for(known.vs_other), YEAR, TODAY)
    assert [c.children for c in report.cohorts] == [0, 1, 0, 0]
    assert report.cohorts[1].suspensions == 5 and report.cohorts[1].advice == 1


def test_the_page_shows_the_tables_and_charts_and_downloads_csv_and_xlsx(known, client):
    sign_in(client, known.vs)
    url = reverse("dashboards:annual_report")
    page = client.get(url, {"year": YEAR})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Figures for the annual report, 2025 to 2026" in text
    assert "<svg" in text and "<table" in text and "33.3%" in text and "Rated good or better" in text
    assert client.get(url, {"year": 1999}).status_code == 404
    assert client.get(url, {"year": "x"}).status_code == 404
    assert client.get(url, {"year": YEAR, "format": "pdf"}).status_code == 404

    response = client.get(url, {"year": YEAR, "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="annual-report-2025-2026.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Academic year 2025 to 2026",
        "Looked after",
        "Previously looked after",
        "With a social worker",
        "Kinship care",
    ]
    by_name = {row[0]: row[1:] for row in rows[1:]}
    assert by_name["Children"] == ["2", "2", "2", "0"]
    assert by_name["Attendance (%)"] == ["90.0", "45.0", "100.0", ""]
    assert by_name["PEPs in time (%)"] == ["33.3", "", "", ""]
    assert by_name["Advice on Attendance"] == ["1", "1", "1", "0"]

    response = client.get(url, {"year": YEAR, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[2]] == ["Children", 2, 2, 2, 0]
    assert Download.objects.filter(actor=known.vs, list_name="annual-report").count() == 2


@pytest.mark.parametrize("n", [1, 3, 50])
def test_the_page_runs_the_same_queries_for_1_3_or_50_children(world, client, django_assert_num_queries, n):
    children = Child.objects.bulk_create(
        Child(
            local_authority=world.authority,
            local_id=f"Q{i}",
            first_name="Q",
            last_name=str(i),
            date_of_birth=D(2014, 1, 1),
            gender="2",
        )
        for i in range(n)
    )
    kinds = [(Cohort.SOCIAL_WORKER, CohortKind.CIN), (Cohort.KINSHIP, CohortKind.SGO)]
    CohortMembership.objects.bulk_create(
        CohortMembership(child=c, cohort=kinds[i % 2][0], kind=kinds[i % 2][1], starts_on=D(2024, 1, 1))
        for i, c in enumerate(children)
    )
    for child in children:
        _attendance(child, 100, 80, year=YEAR)
        _advice(world, child, "Attendance", D(2025, 11, 1))
    sign_in(client, world.vs)

    # The session, the user, the second factor, the roles, the task count, the Virtual School's name;
    # then the looked-after children, the memberships, attendance, exclusions, advice and PEPs: none a row.
    with django_assert_num_queries(12):
        response = client.get(reverse("dashboards:annual_report"), {"year": YEAR})

    assert response.status_code == 200
    assert "Figures for the annual report" in response.content.decode()
