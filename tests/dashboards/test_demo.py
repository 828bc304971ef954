"""The dashboard on the demo data: its headline figures, exactly.

The demo is built around the day it runs, so most figures are the same whatever that day:
those are asserted as numbers. Which PEPs are due within 10 school days depends on where
the day falls in the school year (near a term's end, a review comes due), so those buckets
are checked against a plain per-child reckoning with the clock's own functions instead —
and the ones the demo fixes (three plans with no date, Kieran's overdue initial PEP, Leo's
and Grace's initial PEPs due soon) by name."""

from decimal import Decimal

import pytest
from django.utils import timezone

from openpep.attendance.enums import academic_year
from openpep.attendance.models import AttendanceYear
from openpep.clock.calendar import SchoolCalendar, add_working_days
from openpep.clock.models import Timescales
from openpep.clock.queries import review_due_after
from openpep.dashboards.enums import ATTENDANCE_FLOORS
from openpep.dashboards.queries import (
    Filters,
    cohort_figures,
    cohort_for,
    condition,
    horizons,
    initial_figures,
    pupil_premium,
    quality_by_term,
    with_facts,
)
from openpep.funding.enums import RequestStatus
from openpep.funding.models import FundingRequest
from openpep.funding.years import financial_year_of
from openpep.people.models import User
from openpep.plans.due import refresh_open_pep_clocks
from openpep.plans.enums import DecisionOutcome, Status
from openpep.plans.models import Decision, SchoolSection


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks, demo_snapshot):
    with django_capture_on_commit_callbacks():
        result = demo_snapshot.load()  # built once for the run (tests/fixtures.py)
    # What the clock does after the demo's commit (once for each PEP, rather than at each change).
    refresh_open_pep_clocks()
    return result


def _expected_due_states(children, today) -> dict[str, str]:
    """Each child's bucket worked out one by one with the clock's functions."""
    states = {}
    for child in children.select_related("local_authority"):
        calendar = SchoolCalendar(child.local_authority)
        soon = calendar.add_school_days(today, 10)
        peps = child.peps.filter(corrects__isnull=True)
        open_pep = peps.exclude(status=Status.SIGNED_OFF).select_related("clock").first()
        decision = (
            Decision.objects.filter(pep__child=child, outcome=DecisionOutcome.SIGNED_OFF)
            .order_by("-decided_at")
            .first()
        )
        if open_pep is not None:
            due = open_pep.clock.pep_due
        elif decision is not None:
            due = review_due_after(child.local_authority, timezone.localtime(decision.decided_at).date())
        else:
            ready = Timescales.for_authority(child.local_authority).initial_ready_working_days
            due = add_working_days(child.care_start_date, ready)
        if due is None:
            states[child.first_name] = "no_date"
        elif due < today:
            states[child.first_name] = "overdue"
        elif due <= soon:
            states[child.first_name] = "due_soon"
        else:
            states[child.first_name] = "in_date"
    return states


def _expected_attendance(children, today) -> dict[str, tuple[str, int, Decimal]]:
    """Each child's attendance band, suspensions and days lost, reckoned child by child."""
    found = {}
    for child in children:
        data = AttendanceYear.objects.filter(child=child, year=academic_year(today)).first()
        section = SchoolSection.objects.filter(pep__child=child).order_by("-pep__created_at", "-pep_id").first()
        percent = data.attendance_percent if data else None
        if percent is None and section is not None:
            percent = section.attendance_percent
        if data is not None:
            suspensions, days = data.suspensions, data.suspension_days
        else:
            suspensions, days = (section.suspensions, section.suspension_days) if section else (0, Decimal("0"))
        band = "not_recorded"
        if percent is not None:
            band = next(b.value for b, floor in ATTENDANCE_FLOORS if percent >= floor)
        found[child.first_name] = (band, suspensions, days)
    return found


def test_the_demo_dashboards_headline_figures(demo):
    today = timezone.localdate()
    vs = User.objects.get(email="vs@demo.openpep.test")
    children = cohort_for(vs, today)
    figures = cohort_figures(children, today, horizons(children, today))

    assert figures["cohort"] == 31
    # Attendance and suspensions: this year's from the schools' data (how much of it there is depends
    # on the day), else from the latest Section D; SEN and exclusions from the latest Section D.
    expected = _expected_attendance(children, today)
    bands = ("95_plus", "90_to_95", "50_to_90", "below_50", "not_recorded")
    assert {band: figures[f"attendance:{band}"] for band in bands} == {
        band: sum(found[0] == band for found in expected.values()) for band in bands
    }
    assert figures["attendance:persistent"] == sum(found[0] in ("50_to_90", "below_50") for found in expected.values())
    assert (figures["suspended"], figures["suspensions"], figures["suspension_days"]) == (
        sum(found[1] > 0 for found in expected.values()),
        sum(found[1] for found in expected.values()),
        sum((found[2] for found in expected.values()), Decimal("0")),
    )
    if AttendanceYear.objects.filter(suspensions__gt=0).exists():  # from the 26th school day of the year
        assert figures["attendance:50_to_90"] >= 1 and figures["suspended"] >= 2
    assert [figures[f"sen:{status}"] for status in ("N", "K", "E", "none")] == [16, 6, 1, 8]
    assert figures["excluded"] == 0
    # Initial PEPs: Harvey's was signed off, and Kieran's is still open, after the 20 working days.
    assert initial_figures(children, today) == {"initial:within": 0, "initial:late": 2, "judged": 2, "percent": 0}
    # The Virtual School's decisions and QA rounds, over every term.
    _, quality = quality_by_term(children)
    totals = quality["totals"]
    assert (totals.decided, totals.returned, totals.returned_percent) == (39, 6, 15)
    assert totals.ratings == {"green": 33, "amber": 1, "red": 6}

    totals = pupil_premium(children, financial_year_of(today), today)["totals"]

    # Reception to Year 11 on 31 August at the start of the financial year: from April to August
    # that is the coming school year, when the demo's Year 11s have left and its nursery child
    # has started Reception.
    eligible = 25 if today.month in (4, 5, 6, 7, 8) else 26
    assert totals == {
        "allocated": Decimal("2367.00") * eligible,  # £2,630.00 less the demo's 10% top-slice
        "children": eligible,
        "requested": Decimal("2390.00"),
        "approved": Decimal("1480.00"),
        "paid": Decimal("880.00"),
    }
    statuses = sorted(FundingRequest.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [RequestStatus.PAID] * 4 + [RequestStatus.APPROVED] + [RequestStatus.DECLINED] + [RequestStatus.REQUESTED] * 4
    )


def test_the_demo_dashboards_peps_in_date(demo):
    today = timezone.localdate()
    vs = User.objects.get(email="vs@demo.openpep.test")
    children = cohort_for(vs, today)
    facts = with_facts(children, today, horizons(children, today))
    figures = cohort_figures(children, today, horizons(children, today))
    expected = _expected_due_states(children, today)

    for state in ("in_date", "due_soon", "overdue", "no_date"):
        _, where = condition(f"due:{state}", Filters(financial_year_of(today)), today)
        listed = sorted(facts.filter(where).values_list("first_name", flat=True))
        assert listed == sorted(name for name, found in expected.items() if found == state), state
        assert figures[f"due:{state}"] == len(listed)
    assert sorted(name for name, found in expected.items() if found == "no_date") == ["Alex", "Poppy", "Theo"]
    assert expected["Kieran"] == "overdue"
    assert expected["Leo"] == expected["Grace"] == "due_soon"
    assert sum(figures[f"due:{state}"] for state in ("in_date", "due_soon", "overdue", "no_date")) == 31
