"""A small council whose data trips each kind of early warning, on a fixed day (``TODAY``)."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from openpep.attendance.models import AttendanceDay
from openpep.attendance.services import recompute
from openpep.children.models import Child, Enrolment, Placement
from openpep.clock.models import Term
from openpep.people.enums import SchoolPhase
from openpep.people.models import School
from openpep.plans.enums import DecisionOutcome, Occasion, Phase, Status
from openpep.plans.models import Decision, Pep
from tests.fixtures import make_child

#: A Friday of the autumn term 2026-27.
TODAY = datetime.date(2026, 11, 20)
TERM_STARTS = datetime.date(2026, 9, 1)
#: The first day of the last four weeks before TODAY.
WINDOW = TODAY - datetime.timedelta(days=27)


def register(child, school, code_of) -> None:
    """``child``'s register at ``school`` for every weekday of the term up to TODAY: ``code_of(day)``
    gives (AM, PM); figures worked out as the import does."""
    day, days = TERM_STARTS, []
    while day <= TODAY:
        if day.weekday() < 5:
            am, pm = code_of(day)
            days.append(AttendanceDay(child=child, school=school, date=day, am=am, pm=pm))
        day += datetime.timedelta(days=1)
    AttendanceDay.objects.bulk_create(days)
    recompute([child.pk], {2026})


PRESENT = ("/", "\\")


@dataclass
class Council:
    """world's children, with: world.child (Oak Primary, Year 8) present until the last four weeks,
    then absent every other day (about 83% this term, a fall of 50 points); other_child (Elm Academy,
    Year 12) suspended on 2 and 3 November (one run of E sessions); ``severe`` (Oak Primary) present
    two days a week (40%); ``unplaced`` (Year 5) on no school's roll; ``mover``, whose last PEP was
    signed off in May 2026, who started at Ash High in September, whose legal status changed in June
    (a new episode, the same foster placement) and who moved to a children's home on 5 October."""

    world: object
    severe: Child
    unplaced: Child
    mover: Child
    ash: School


def build_council(world) -> Council:
    Term.objects.create(
        local_authority=world.authority, name="autumn", starts_on=TERM_STARTS, ends_on=datetime.date(2026, 12, 18)
    )
    register(world.child, world.school, lambda day: ("O", "O") if day >= WINDOW and day.day % 2 else PRESENT)
    suspended = {datetime.date(2026, 11, 2): ("E", "E"), datetime.date(2026, 11, 3): ("E", "/")}
    register(world.other_child, world.other_school, lambda day: suspended.get(day, PRESENT))
    severe = make_child(world.authority, world.sw, world.school, first="Sev", last="Absent")
    register(severe, world.school, lambda day: PRESENT if day.weekday() in (0, 1) else ("N", "N"))
    unplaced = make_child(world.authority, world.sw, None, first="Una", last="Placed", born=datetime.date(2017, 1, 5))
    ash = School.objects.create(
        urn="100009", laestab="9994009", name="Ash High", phase=SchoolPhase.SECONDARY, local_authority=world.authority
    )
    mover = make_child(world.authority, world.sw, world.school, first="Mo", last="Ver", born=datetime.date(2012, 2, 2))
    Enrolment.objects.filter(child=mover).update(ends_on=datetime.date(2026, 7, 20))
    Enrolment.objects.create(child=mover, school=ash, starts_on=datetime.date(2026, 9, 2))
    Placement.objects.filter(child=mover).update(ends_on=datetime.date(2026, 6, 1))
    Placement.objects.create(
        child=mover,
        starts_on=datetime.date(2026, 6, 2),
        ends_on=datetime.date(2026, 10, 4),
        legal_status="E1",
        placement_type="U4",
    )
    home = {"legal_status": "E1", "placement_type": "K2", "carer_name": "Sunny Hill"}
    Placement.objects.create(child=mover, starts_on=datetime.date(2026, 10, 5), **home)
    pep = Pep.objects.create(
        child=mover,
        school=world.school,
        phase=Phase.STATUTORY,
        occasion=Occasion.REVIEW,
        status=Status.SIGNED_OFF,
        created_by=world.sw,
    )
    decision = Decision.objects.create(pep=pep, outcome=DecisionOutcome.SIGNED_OFF, decided_by=world.vs)
    signed_off = timezone.make_aware(datetime.datetime(2026, 5, 1, 12))
    Decision.objects.filter(pk=decision.pk).update(decided_at=signed_off)
    return Council(world, severe, unplaced, mover, ash)


@pytest.fixture
def council(world) -> Council:
    return build_council(world)
