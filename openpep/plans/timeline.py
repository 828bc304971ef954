"""A child's education story in date order: schools, care (for those who may see it), PEPs with
their decisions and QA outcomes, how each target carried on, attendance and exclusions.

Read in a fixed number of queries whatever the number of PEPs and targets. Placements give only
their type and legal status: never a carer's name. The ``quality`` app's rounds are read through
the app registry, since ``plans`` never imports the apps built on it."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db.models import Prefetch
from django.utils import timezone

from openpep.children.models import Child, Enrolment, Placement
from openpep.children.rules import can_see_care_details
from openpep.people.models import User

from .models import Pep, Target, TargetReview
from .queries import peps_for

QUALITY_APP = "openpep.quality"


@dataclass(frozen=True)
class Event:
    on: datetime.date
    kind: str  # "school", "care", "pep", "decision", "qa"
    text: str
    pep: Pep | None = None
    at: datetime.datetime | None = None  # when it happened, for what the app recorded itself

    @property
    def sort_key(self):
        # Within a day, what is known only by its date (schools, care) comes first.
        return (self.on, self.at is not None, self.at or datetime.datetime.min.replace(tzinfo=datetime.UTC))


@dataclass(frozen=True)
class Step:
    """One target of a chain, with the rating the next PEP's review gave it (blank if not yet)."""

    target: Target
    pep: Pep
    rating: str = ""


@dataclass(frozen=True)
class AttendanceRow:
    pep: Pep
    attendance_percent: Decimal | None
    suspensions: int | None
    suspension_days: Decimal | None
    permanent_exclusions: int | None


@dataclass(frozen=True)
class Bar:
    """One bar of the attendance chart, in the SVG's units (100% is ``BAR_SPACE`` long)."""

    label: str
    shown: str
    y: int
    length: int


BAR_SPACE = 300
BAR_ROW = 40


@dataclass
class Timeline:
    child: Child
    shows_care: bool
    schools: list[Enrolment] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    peps: list[Pep] = field(default_factory=list)
    chains: list[list[Step]] = field(default_factory=list)
    attendance: list[AttendanceRow] = field(default_factory=list)

    @property
    def attendance_bars(self) -> list[Bar]:
        """The attendance table drawn as bars; PEPs without a figure are left out of the chart only."""
        rows = [row for row in self.attendance if row.attendance_percent is not None]
        return [
            Bar(
                f"{row.pep.title}, {timezone.localdate(row.pep.created_at):%d %b %Y}",
                f"{row.attendance_percent}%",
                index * BAR_ROW,
                round(BAR_SPACE * row.attendance_percent / 100),
            )
            for index, row in enumerate(rows)
        ]

    @property
    def chart_height(self) -> int:
        return max(BAR_ROW, BAR_ROW * len(self.attendance_bars))


def _qa_rounds(pep_ids: list[int]) -> dict[int, list]:
    if not apps.is_installed(QUALITY_APP) or not pep_ids:
        return {}
    review = apps.get_model("quality", "Review")
    rounds: dict[int, list] = {}
    for qa in review.objects.filter(pep_id__in=pep_ids).order_by("created_at", "pk"):
        rounds.setdefault(qa.pep_id, []).append(qa)
    return rounds


def _chains(targets: list[Target], peps: dict[int, Pep]) -> list[list[Step]]:
    """Every path from a target that continues nothing (visible) to one nothing continues."""
    by_id = {t.pk: t for t in targets}
    followers: dict[int, list[Target]] = {}
    for t in targets:
        if t.continues_id in by_id:
            followers.setdefault(t.continues_id, []).append(t)

    def step(t: Target) -> Step:
        ratings = [r.get_rating_display() for r in t.reviews.all() if r.rating]
        return Step(t, peps[t.pep_id], ratings[-1] if ratings else "")

    chains: list[list[Step]] = []

    def walk(t: Target, path: list[Step]) -> None:
        path = [*path, step(t)]
        if t.pk not in followers:
            chains.append(path)
        for follower in followers.get(t.pk, []):
            walk(follower, path)

    for t in targets:
        if t.continues_id not in by_id:
            walk(t, [])
    return chains


def timeline_for(user: User, child: Child) -> Timeline:
    """``child`` already fetched through ``children_for(user)``; its PEPs through ``peps_for(user)``."""
    shows_care = can_see_care_details(user, child)
    timeline = Timeline(child=child, shows_care=shows_care)
    events = timeline.events
    timeline.schools = list(Enrolment.objects.filter(child=child).select_related("school").order_by("starts_on", "pk"))
    for enrolment in timeline.schools:
        events.append(Event(enrolment.starts_on, "school", f"Joined {enrolment.school.name}"))
        if enrolment.ends_on:
            events.append(Event(enrolment.ends_on, "school", f"Left {enrolment.school.name}"))
    if shows_care:
        if child.care_start_date is not None:
            events.append(Event(child.care_start_date, "care", "Came into care"))
        # Only the type and the legal status: never who the carer is or where.
        placements = Placement.objects.filter(child=child).only(
            "starts_on", "ends_on", "placement_type", "legal_status", "child_id"
        )
        for placement in placements.order_by("starts_on", "pk"):
            events.append(
                Event(
                    placement.starts_on,
                    "care",
                    f"Placement: {placement.get_placement_type_display()} ({placement.get_legal_status_display()})",
                )
            )
            if placement.ends_on:
                events.append(Event(placement.ends_on, "care", "Placement ended"))

    peps = list(
        peps_for(user)
        .filter(child=child)
        .select_related("child", "school", "school_section", "corrected_by")  # the child: its council's wording
        .prefetch_related("decisions")
        .order_by("created_at", "pk")
    )
    timeline.peps = peps
    rounds = _qa_rounds([p.pk for p in peps])
    for pep in peps:
        pep.qa_rounds = rounds.get(pep.pk, [])
        pep.qa_outcome = pep.qa_rounds[-1].get_overall_display() if pep.qa_rounds else ""
        school = f" at {pep.school.name}" if pep.school else ""
        events.append(
            Event(timezone.localdate(pep.created_at), "pep", f"PEP started{school}: {pep.title}", pep, pep.created_at)
        )
        for decision in pep.decisions.all():
            events.append(
                Event(
                    timezone.localdate(decision.decided_at),
                    "decision",
                    f"Virtual School: {decision.get_outcome_display()}",
                    pep,
                    decision.decided_at,
                )
            )
        for qa in pep.qa_rounds:
            events.append(
                Event(
                    timezone.localdate(qa.created_at),
                    "qa",
                    f"Quality assurance: {qa.get_overall_display()}",
                    pep,
                    qa.created_at,
                )
            )
        section = getattr(pep, "school_section", None)
        if section is not None:
            timeline.attendance.append(
                AttendanceRow(
                    pep,
                    section.attendance_percent,
                    section.suspensions,
                    section.suspension_days,
                    section.permanent_exclusions,
                )
            )
    events.sort(key=lambda e: e.sort_key)  # stable: schools before care on the same day, as added

    pep_ids = [p.pk for p in peps]
    reviews = Prefetch(
        "reviews", queryset=TargetReview.objects.filter(pep_id__in=pep_ids).order_by("pep__created_at", "pk")
    )
    targets = list(Target.objects.filter(pep_id__in=pep_ids).prefetch_related(reviews).order_by("created_at", "pk"))
    timeline.chains = _chains(targets, {p.pk: p for p in peps})
    return timeline


def _day(on: datetime.date) -> str:
    return f"{on.day} {on:%B %Y}"


def story_summary(timeline: Timeline, now: tuple | None = None) -> str:
    """A first draft of Section D's "story in education" for the Designated Teacher to edit:
    schools with their dates, how many PEPs, the latest attendance: ``now``'s (a figure and the day
    the school's data runs to, as Section D's box opens with it) if given, else the latest PEP's.
    Nothing about care."""
    first_name = timeline.child.first_name
    schools = [
        f"{e.school.name} ({_day(e.starts_on)} to {_day(e.ends_on) if e.ends_on else 'now'})" for e in timeline.schools
    ]
    if schools:
        sentences = [f"{first_name} has attended {', then '.join(schools)}."]
    else:
        sentences = [f"{first_name} has no school recorded."]
    count = len(timeline.peps)
    sentences.append(f"PEPs so far: {count}.")
    latest = next((row for row in reversed(timeline.attendance) if row.attendance_percent is not None), None)
    if now is not None:
        figure, to = now
        sentences.append(f"Attendance this academic year is {figure}%, from the school's data to {_day(to)}.")
    elif latest is not None:
        sentences.append(f"Attendance was {latest.attendance_percent}% at the {latest.pep.title} PEP.")
    return " ".join(sentences)
