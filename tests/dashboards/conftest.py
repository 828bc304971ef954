"""A small cohort for the dashboard, built through the services, whose every figure is known.

The school calendar here has no holidays (three terms end to end, last year to next year),
so that a school day is a working day whatever the date the tests run on, and "due within
10 school days" is the same ten days every time.

Testshire's cohort (``world.authority``), at Oak Primary with ``world.sw`` (team North)
unless said otherwise:

- Amira (world.child): initial PEP, draft, due yesterday (overdue); attendance 85.0, SEN K,
  2 suspensions (1.5 days); PP+ £540 approved and paid, £200 requested.
- Bea: draft, due today (due soon); 95.0, N; PP+ £1,000 declined.
- Cal: returned to school after a red QA round, due in 10 school days (due soon); 90.0, E,
  1 permanent exclusion; PP+ £300 requested, £150 approved.
- Dev: draft, due the day after that (in date); 89.9, N.
- Eli: draft, due date not known; 49.9, K, 1 suspension (0.5 days).
- Fay: in care 10 days, initial PEP signed off today after a green QA round (in time; next due
  next term: in date); 100.0, N.
- Gus: in care 90 days, no PEP (overdue).
- Ben (world.other_child): at Elm Academy with sw_other (team South), Year 12, in care from
  today, no PEP (in date); too old for PP+.

Not in it: Ivy, who left care in 2024, and Olu, of Otherborough (``world.vs_other``'s).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from openpep.children.models import Child, Placement
from openpep.clock.calendar import academic_year_of, add_working_days, year_name
from openpep.clock.models import PepClock, Term
from openpep.clock.services import add_entries
from openpep.funding import services as funding_services
from openpep.funding.enums import RequestStatus
from openpep.funding.years import financial_year_of
from openpep.plans import services as plan_services
from openpep.plans.enums import Section, SenStatus, Status
from openpep.plans.models import Pep, SchoolSection
from openpep.plans.workflow import transition
from openpep.quality import services as quality_services
from openpep.quality.enums import Rag
from openpep.quality.models import Criterion
from tests.builders import (
    NEXT_MEETING,
    Cast,
    add_target,
    fresh,
    record_views,
    social_worker_part_done,
    start,
)
from tests.fixtures import make_child

RATE = Decimal("2630.00")


def today() -> datetime.date:
    return timezone.localdate()


def this_year() -> str:
    return financial_year_of(today())


def flat_calendar(authority) -> None:
    """Last, this and next academic year as three holiday-free terms end to end."""
    first = int(academic_year_of(today())[:4]) - 1
    entries = []
    for start_year in range(first, first + 3):
        entries += [
            Term(name="autumn", starts_on=datetime.date(start_year, 8, 1), ends_on=datetime.date(start_year, 12, 31)),
            Term(
                name="spring",
                starts_on=datetime.date(start_year + 1, 1, 1),
                ends_on=datetime.date(start_year + 1, 3, 31),
            ),
            Term(
                name="summer",
                starts_on=datetime.date(start_year + 1, 4, 1),
                ends_on=datetime.date(start_year + 1, 7, 31),
            ),
        ]
    add_entries(None, authority, entries, how="Added test")


def term_key_today(authority) -> str:
    term = Term.objects.filter(local_authority=authority, starts_on__lte=today()).order_by("-starts_on").first()
    return f"{term.academic_year} {term.name}"


def section_d(pep, dt, *, attendance=None, sen=SenStatus.NONE, suspensions=0, days="0", exclusions=0):
    section = SchoolSection(
        pep=pep,
        sen_status=sen,
        attendance_percent=Decimal(attendance) if attendance is not None else None,
        suspensions=suspensions,
        suspension_days=Decimal(days),
        permanent_exclusions=exclusions,
        next_meeting_at=timezone.make_aware(NEXT_MEETING),
    )
    return plan_services.save_section(dt, pep, section, section=Section.D, expected_version=None)


def set_due(pep, due) -> None:
    """The PEP's stored due date, as the clock would store it (how it is worked out is tested in tests/clock)."""
    PepClock.objects.update_or_create(pep=pep, defaults={"pep_due": due})


def qa_round(world, pep, rating: Rag):
    criteria = Criterion.active_for(world.authority)
    return quality_services.record_review(world.vs, fresh(pep), [quality_services.Answer(c, rating) for c in criteria])


def submit(world, cast, pep) -> None:
    transition(fresh(pep), Status.SCHOOL_RETURNED, actor=cast.dt)
    social_worker_part_done(cast, fresh(pep))
    transition(fresh(pep), Status.SUBMITTED, actor=cast.sw)


def costed(pep, dt, cost, outcome):
    target = add_target(pep, dt, outcome=outcome)
    target.pupil_premium_cost = Decimal(cost)
    return plan_services.save_section(dt, pep, target, section=Section.D, expected_version=target.lock_version)


@dataclass
class Cohort:
    children: dict  # first name -> Child
    peps: dict  # first name -> Pep
    soon: datetime.date  # the last day that is "due soon"


@pytest.fixture
def cohort(world) -> Cohort:
    flat_calendar(world.authority)
    now = today()
    soon = add_working_days(now, 10)  # = 10 school days: this calendar has no holidays
    kids = {"Amira": world.child, "Ben": world.other_child}
    for name in ("Bea", "Cal", "Dev", "Eli", "Fay", "Gus", "Ivy"):
        kids[name] = make_child(world.authority, world.sw, world.school, first=name, last="Test")
    kids["Olu"] = make_child(world.other_authority, None, None, first="Olu", last="Away")
    Child.objects.filter(pk=kids["Fay"].pk).update(care_start_date=now - datetime.timedelta(days=10))
    Child.objects.filter(pk=kids["Gus"].pk).update(care_start_date=now - datetime.timedelta(days=90))
    Child.objects.filter(pk=kids["Ben"].pk).update(care_start_date=now)
    Placement.objects.filter(child=kids["Ivy"]).update(ends_on=datetime.date(2024, 7, 1))
    kids = {name: Child.objects.get(pk=child.pk) for name, child in kids.items()}

    funding_services.save_rate(world.vs_admin, world.authority, this_year(), RATE)
    funding_services.allocate(world.vs_admin, world.authority, this_year())

    peps = {}
    for name in ("Amira", "Bea", "Cal", "Dev", "Eli", "Fay"):
        cast = Cast(kids[name], world.sw, world.dt, world.vs)
        pep = start(cast)
        record_views(pep, world.dt)
        peps[name] = pep
    section_d(peps["Amira"], world.dt, attendance="85.0", sen=SenStatus.SUPPORT, suspensions=2, days="1.5")
    section_d(peps["Bea"], world.dt, attendance="95.0")
    section_d(peps["Cal"], world.dt, attendance="90.0", sen=SenStatus.EHCP, exclusions=1)
    section_d(peps["Dev"], world.dt, attendance="89.9")
    section_d(peps["Eli"], world.dt, attendance="49.9", sen=SenStatus.SUPPORT, suspensions=1, days="0.5")
    section_d(peps["Fay"], world.dt, attendance="100.0")

    # PP+, requested by the DT while the school part is open; decided by the Virtual School.
    paid = funding_services.request_funding(world.dt, peps["Amira"], costed(peps["Amira"], world.dt, "540", "A1"))
    funding_services.request_funding(world.dt, peps["Amira"], costed(peps["Amira"], world.dt, "200", "A2"))
    declined = funding_services.request_funding(world.dt, peps["Bea"], costed(peps["Bea"], world.dt, "1000", "B1"))
    part = funding_services.request_funding(world.dt, peps["Cal"], costed(peps["Cal"], world.dt, "300", "C1"))
    funding_services.move(paid, RequestStatus.APPROVED, actor=world.vs)
    funding_services.move(paid, RequestStatus.PAID, actor=world.vs)
    funding_services.move(declined, RequestStatus.DECLINED, actor=world.vs, reason="Funded by the school")
    funding_services.move(part, RequestStatus.PART_APPROVED, actor=world.vs, amount=Decimal("150"), reason="Half")

    for name in ("Cal", "Fay"):
        submit(world, Cast(kids[name], world.sw, world.dt, world.vs), peps[name])
    qa_round(world, peps["Cal"], Rag.RED)
    transition(fresh(peps["Cal"]), Status.RETURNED_TO_SCHOOL, actor=world.vs, note="Targets need measures")
    qa_round(world, peps["Fay"], Rag.GREEN)
    transition(fresh(peps["Fay"]), Status.SIGNED_OFF, actor=world.vs)

    set_due(peps["Amira"], now - datetime.timedelta(days=1))
    set_due(peps["Bea"], now)
    set_due(peps["Cal"], soon)
    set_due(peps["Dev"], soon + datetime.timedelta(days=1))
    set_due(peps["Eli"], None)
    set_due(peps["Fay"], add_working_days(kids["Fay"].care_start_date, 20))
    return Cohort(kids, {name: Pep.objects.get(pk=pep.pk) for name, pep in peps.items()}, soon)


def next_academic_year() -> str:
    return year_name(int(academic_year_of(today())[:4]) + 1)
