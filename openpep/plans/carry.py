"""What a review, change-of-school or interim PEP carries forward, so nothing the service already
knows is typed again: each section's FACTS open filled (from the previous signed-off PEP, the
child's record or the school's attendance data), each marked with where it came from; its NARRATIVE
answers are not filled but shown beside the box, with a button to start from them. Nothing comes
from a PEP, or a section of one, that the person could not see (``peps_for``, ``rules.can_see``)."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from openpep.attendance.queries import this_year as attendance_this_year
from openpep.people.models import User

from . import rules
from .enums import DecisionOutcome, Occasion, Section
from .models import Pep, SchoolSection
from .queries import peps_for, previous_pep

PREVIOUS, RECORD, ATTENDANCE = "previous", "record", "attendance"

#: Per section: each fact and where it comes from, first source that has it wins.
FACTS = {
    Section.B: {"how_gathered": (PREVIOUS,)},
    Section.C: {"setting": (PREVIOUS,), "full_time": (PREVIOUS,), "transport": (PREVIOUS,)},
    Section.D: {
        "sen_status": (PREVIOUS,),
        "sen_primary_need": (PREVIOUS,),
        "attendance_percent": (ATTENDANCE,),
        "suspensions": (ATTENDANCE,),
        "suspension_days": (ATTENDANCE,),
        "permanent_exclusions": (PREVIOUS,),
        "course": (PREVIOUS,),
        "provider": (PREVIOUS, RECORD),
        "post16_status": (PREVIOUS,),
        "early_years_setting": (PREVIOUS, RECORD),
        "funded_hours": (PREVIOUS,),
    },
}
#: Per section: the answers written afresh each term, offered (not filled) from the previous PEP.
NARRATIVE = {
    Section.B: (),
    Section.C: ("placement_arrangements",),
    Section.D: (
        "going_well",
        "challenges",
        "support_offered",
        "support_needed",
        "pupil_premium_use",
        "areas_of_development",
    ),
}
#: Facts about the school the child was at: after a change of school they are the old school's.
SCHOOL_BOUND = {"setting", "transport", "provider", "early_years_setting"}
#: The occasions that follow a previous PEP.
CARRYING = (Occasion.REVIEW, Occasion.CHANGE_OF_SCHOOL, Occasion.INTERIM)

#: Section D's figures that the school's attendance data gives (``attendance.models.AttendanceYear``).
FROM_DATA = ("attendance_percent", "suspensions", "suspension_days")

PART = {Section.B: "child_views", Section.C: "arrangements", Section.D: "school_section"}


@dataclass
class Carried:
    """What one section of a PEP opens with: ``initial`` values of its facts, ``hints`` naming each
    one's source, and last term's ``answers`` to its narrative questions."""

    initial: dict = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)
    data_to: datetime.date | None = None  # the last day the school's attendance data covers


def _day(on) -> str:
    return f"{on.day} {on:%B %Y}"


def signed_off_on(pep: Pep):
    """The day the Virtual School signed ``pep`` off (its last sign-off decision)."""
    decision = pep.decisions.filter(outcome=DecisionOutcome.SIGNED_OFF).order_by("-decided_at").first()
    return timezone.localdate(decision.decided_at if decision else pep.updated_at)


def visible_previous(user: User, pep: Pep, section: Section) -> Pep | None:
    """The previous signed-off PEP, if ``user`` may read ``section`` of it; else None."""
    previous = previous_pep(pep, before=pep)
    if previous is None or not peps_for(user).filter(pk=previous.pk).exists():
        return None
    return previous if rules.can_see(user, previous, section) else None


def _attendance_hints(figures) -> dict[str, str]:
    on = _day(figures.to_date)
    if figures.attendance_percent is None:
        return {name: f"The school's attendance data to {on} has no possible sessions yet" for name in FROM_DATA}
    shown = {
        "attendance_percent": f"{figures.attendance_percent}%",
        "suspensions": f"{figures.suspensions}",
        "suspension_days": f"{figures.suspension_days:g}",
    }
    return {name: f"From the school's attendance data to {on}: {shown[name]}" for name in FROM_DATA}


def carried(user: User, pep: Pep, section: Section) -> Carried:
    """What ``section`` of ``pep`` opens with for ``user``: the school's attendance data on any
    PEP's Section D; what the previous PEP and the child's record hold on the occasions that follow one."""
    found = Carried()
    if section not in FACTS:
        return found
    sources = {}
    if section == Section.D:
        figures = attendance_this_year(pep.child_id)
        if figures is not None:
            found.data_to = figures.to_date
            found.hints.update(_attendance_hints(figures))
            if figures.attendance_percent is not None:
                sources[ATTENDANCE] = (lambda name: getattr(figures, name), found.hints)
    part = None
    if pep.occasion in CARRYING:
        previous = visible_previous(user, pep, section)
        part = getattr(previous, PART[section], None) if previous else None
        if part is not None:
            on = _day(signed_off_on(previous))
            sources[PREVIOUS] = (lambda name: getattr(part, name), f"From the PEP signed off on {on}")
        enrolment = pep.child.current_enrolment() if section == Section.D else None
        if enrolment is not None:
            record = {"provider": enrolment.school.name, "early_years_setting": enrolment.school.name}
            sources[RECORD] = (record.get, f"From {pep.child.first_name}'s record")
    moved = pep.occasion == Occasion.CHANGE_OF_SCHOOL
    asked = SchoolSection.fields_for_phase(pep.phase) if section == Section.D else FACTS[section]
    for name, order in FACTS[section].items():
        for source in order if name in asked else ():
            if source not in sources or (moved and source == PREVIOUS and name in SCHOOL_BOUND):
                continue
            value, hint = sources[source][0](name), sources[source][1]
            if value not in (None, ""):
                found.initial[name] = value
                found.hints[name] = hint[name] if isinstance(hint, dict) else hint
                break
    if part is not None:
        found.answers = {name: getattr(part, name) for name in NARRATIVE[section] if getattr(part, name, "")}
    return found
