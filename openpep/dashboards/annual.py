"""The figures of the Virtual School Head's annual report: for one academic year, per cohort (looked after,
previously looked after, with a social worker, kinship care) — how many children, their attendance and
persistent absence, suspensions and exclusions, the advice given by topic (the casework log) and, for the
looked-after children, their PEPs due in the year: in time, and rated good or better at quality assurance.

A child is in a cohort for the year when they were in it on any day of it: looked after with a placement
running then (or, with no placement recorded, in care by its end); in a wider cohort with an order or plan
running then (a social worker's plan ended within the 6 years before the year started still counts). A
child in two cohorts counts in each. Seven queries, whatever the number of children (a test counts them).
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate

from openpep.attendance.enums import year_bounds
from openpep.attendance.models import AttendanceYear
from openpep.children.enums import COHORT_CHOICES, LOOKED_AFTER, Cohort
from openpep.children.models import Child, CohortMembership, kept_since
from openpep.children.queries import looked_after_q
from openpep.cohorts.models import CaseworkEntry
from openpep.plans.enums import DecisionOutcome
from openpep.plans.models import Decision, Pep, SchoolSection

from .enums import PERSISTENT_ABSENCE_BELOW
from .queries import quality_review_model

#: Green and Gold: "good or better" in the council's quality assurance.
GOOD_OR_BETTER = ("green", "gold")
HUNDRED = Decimal(100)


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``part`` of ``whole`` as a percentage to one decimal place (half up), or None of nothing."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class CohortFigures:
    key: str
    label: str
    children: int = 0
    with_attendance: int = 0  # children with the schools' attendance data for the year
    possible: int = 0
    attended: int = 0
    persistent: int = 0  # of those with data, attendance below 90%
    severe: int = 0  # below 50%
    suspended: int = 0  # children with a suspension
    suspensions: int = 0
    suspension_days: Decimal = Decimal(0)
    excluded: int | None = None  # children permanently excluded (a PEP's Section D: looked after only)
    advice: int = 0
    peps_due: int | None = None  # looked after only, from here down
    peps_in_time: int | None = None
    peps_late: int | None = None
    peps_reviewed: int | None = None
    peps_good: int | None = None

    @property
    def attendance(self) -> Decimal | None:
        return percent(self.attended, self.possible)

    @property
    def persistent_percent(self) -> Decimal | None:
        return percent(self.persistent, self.with_attendance)

    @property
    def in_time_percent(self) -> Decimal | None:
        judged = (self.peps_in_time or 0) + (self.peps_late or 0)
        return percent(self.peps_in_time or 0, judged)

    @property
    def good_percent(self) -> Decimal | None:
        return percent(self.peps_good or 0, self.peps_reviewed or 0)


@dataclass
class Report:
    year: int
    starts_on: datetime.date
    ends_on: datetime.date
    cohorts: list[CohortFigures]
    topics: list[tuple[str, dict[str, int]]] = field(default_factory=list)  # (topic, {cohort key: entries})

    @property
    def label(self) -> str:
        return f"{self.year} to {self.year + 1}"


def _placements(children, starts_on, ends_on) -> set[int]:
    """Children looked after on some day of the year (one query)."""
    return set(
        Child.objects.filter(looked_after_q(starts_on, until=ends_on), pk__in=children).values_list("pk", flat=True)
    )


def _memberships(children, starts_on, ends_on) -> dict[str, set[int]]:
    """Children of each wider cohort on some day of the year (one query)."""
    found: dict[str, set[int]] = defaultdict(set)
    running = Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    kept = Q(cohort=Cohort.SOCIAL_WORKER, ends_on__gte=kept_since(starts_on))
    for child_id, cohort in CohortMembership.objects.filter(
        running | kept, child__in=children, starts_on__lte=ends_on
    ).values_list("child_id", "cohort"):
        found[cohort].add(child_id)
    return found


def annual_report(children: QuerySet, year: int, today: datetime.date) -> Report:
    """The figures of academic year ``year`` (starting 1 September ``year``) for ``children`` (a scoped
    queryset: ``children_for`` the Virtual School)."""
    starts_on, ends_on = year_bounds(year)
    ids = children.values("pk")
    members = {LOOKED_AFTER: _placements(ids, starts_on, ends_on), **_memberships(ids, starts_on, ends_on)}
    cohorts = [CohortFigures(key, str(label), children=len(members.get(key, ()))) for key, label in COHORT_CHOICES]
    by_key = {c.key: c for c in cohorts}

    def cohorts_of(child_id: int):
        return [by_key[key] for key, found in members.items() if child_id in found]

    # Ids go to the database as the scoped subquery, never as a list (thousands of children).
    for row in AttendanceYear.objects.filter(child__in=ids, year=year).values(
        "child_id", "possible", "attended", "attendance_percent", "suspensions", "suspension_days"
    ):
        for figures in cohorts_of(row["child_id"]):  # none for a child in no cohort this year
            figures.with_attendance += 1
            figures.possible += row["possible"]
            figures.attended += row["attended"]
            if row["attendance_percent"] is not None and row["attendance_percent"] < PERSISTENT_ABSENCE_BELOW:
                figures.persistent += 1
                figures.severe += row["attendance_percent"] < 50
            figures.suspended += row["suspensions"] > 0
            figures.suspensions += row["suspensions"]
            figures.suspension_days += row["suspension_days"]

    looked_after = by_key[LOOKED_AFTER]
    looked_after.excluded = len(
        members[LOOKED_AFTER]
        & set(
            SchoolSection.objects.filter(
                pep__child__in=ids,
                pep__created_at__date__gte=starts_on,
                pep__created_at__date__lte=ends_on,
                permanent_exclusions__gt=0,
            ).values_list("pep__child_id", flat=True)
        )
    )

    topics: dict[str, Counter] = defaultdict(Counter)
    for child_id, topic in CaseworkEntry.objects.filter(
        child__in=ids, given_on__gte=starts_on, given_on__lte=ends_on
    ).values_list("child_id", "topic__name"):
        for figures in cohorts_of(child_id):
            figures.advice += 1
            topics[topic][figures.key] += 1

    _peps(looked_after, members[LOOKED_AFTER], ids, starts_on, ends_on, today)
    return Report(
        year,
        starts_on,
        ends_on,
        cohorts,
        sorted((name, {c.key: counts[c.key] for c in cohorts}) for name, counts in topics.items()),
    )


def _peps(figures: CohortFigures, child_ids: set[int], ids, starts_on, ends_on, today) -> None:
    """The looked-after children's PEPs due in the year (one query): signed off by their due date, late
    (signed off after it, or not signed off and past it), and rated Green or Gold at their latest QA round."""
    first_sign_off = Decision.objects.filter(pep=OuterRef("pk"), outcome=DecisionOutcome.SIGNED_OFF).order_by(
        "decided_at", "pk"
    )
    peps = Pep.objects.filter(
        child__in=ids, corrects__isnull=True, clock__pep_due__gte=starts_on, clock__pep_due__lte=ends_on
    ).annotate(signed_off_at=Subquery(first_sign_off.values("decided_at")[:1]))
    peps = peps.annotate(signed_off_on=TruncDate("signed_off_at"))
    review = quality_review_model()
    if review is not None:
        latest = review.objects.filter(pep=OuterRef("pk")).exclude(overall="").order_by("-created_at", "-pk")
        peps = peps.annotate(rating=Subquery(latest.values("overall")[:1]))
    figures.peps_due = figures.peps_in_time = figures.peps_late = figures.peps_reviewed = figures.peps_good = 0
    for child_id, due, signed_off_on, rating in peps.values_list(
        "child_id", "clock__pep_due", "signed_off_on", "rating" if review is not None else "pk"
    ):
        if child_id not in child_ids:
            continue
        figures.peps_due += 1
        if signed_off_on is not None and signed_off_on <= due:
            figures.peps_in_time += 1
        elif signed_off_on is not None or due < today:
            figures.peps_late += 1
        if review is not None and rating:
            figures.peps_reviewed += 1
            figures.peps_good += rating in GOOD_OR_BETTER


# --- the downloads: one table, a line a figure, a column a cohort --------------------------------------------


def _shown(value) -> object:
    return "" if value is None else value


def table(report: Report) -> tuple[list[str], list[list]]:
    """The report as one table for CSV and XLSX: the figure's name, then a column for each cohort."""
    headings = [f"Academic year {report.label}", *[c.label for c in report.cohorts]]
    lines = [
        ("Children", "children"),
        ("Children with the schools' attendance data", "with_attendance"),
        ("Attendance (%)", "attendance"),
        ("Persistently absent (children, under 90%)", "persistent"),
        ("Persistently absent (% of those with data)", "persistent_percent"),
        ("Severely absent (children, under 50%)", "severe"),
        ("Children suspended", "suspended"),
        ("Suspensions", "suspensions"),
        ("School days lost to suspension", "suspension_days"),
        ("Children permanently excluded (PEPs' Section D)", "excluded"),
        ("Advice given (casework log entries)", "advice"),
        ("PEPs due in the year", "peps_due"),
        ("PEPs signed off in time", "peps_in_time"),
        ("PEPs late", "peps_late"),
        ("PEPs in time (%)", "in_time_percent"),
        ("PEPs quality-assured", "peps_reviewed"),
        ("PEPs rated good or better (Green or Gold)", "peps_good"),
        ("PEPs rated good or better (%)", "good_percent"),
    ]
    values = [[name, *[_shown(getattr(c, attribute)) for c in report.cohorts]] for name, attribute in lines]
    values += [[f"Advice on {topic}", *[counts[c.key] for c in report.cohorts]] for topic, counts in report.topics]
    return headings, values


# --- the page: sections of rows, each a figure's name and its value in each cohort, as shown -----------------


def _number(value) -> str:
    if value is None:
        return "Not applicable"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _percent(value: Decimal | None) -> str:
    return "No data" if value is None else f"{value}%"


def sections(report: Report) -> list[dict]:
    """The page's tables: (id, title, note, rows of (figure, [value shown in each cohort]))."""
    cohorts = report.cohorts

    def line(name, value):
        return name, [value(c) for c in cohorts]

    looked_after_only = [c for c in cohorts if c.key == LOOKED_AFTER]
    return [
        {
            "id": "children",
            "title": "Children",
            "note": "Children in each cohort on any day of the year. A child in two cohorts counts in each.",
            "rows": [line("Children", lambda c: str(c.children))],
        },
        {
            "id": "attendance",
            "title": "Attendance and persistent absence",
            "note": "From the schools' attendance data (sessions attended over possible sessions). Persistently "
            "absent: attendance below 90%; severely absent: below 50%.",
            "rows": [
                line("Children with attendance data", lambda c: str(c.with_attendance)),
                line("Attendance", lambda c: _percent(c.attendance)),
                line("Persistently absent (children)", lambda c: str(c.persistent)),
                line("Persistently absent (% of children with data)", lambda c: _percent(c.persistent_percent)),
                line("Severely absent (children)", lambda c: str(c.severe)),
            ],
        },
        {
            "id": "exclusions",
            "title": "Suspensions and exclusions",
            "note": "Suspensions from the schools' attendance data (a run of code E sessions). Permanent "
            "exclusions are recorded in Section D of a PEP, so for looked-after children only.",
            "rows": [
                line("Children suspended", lambda c: str(c.suspended)),
                line("Suspensions", lambda c: str(c.suspensions)),
                line("School days lost to suspension", lambda c: _number(c.suspension_days)),
                line("Children permanently excluded", lambda c: _number(c.excluded)),
            ],
        },
        {
            "id": "peps",
            "title": "Personal Education Plans",
            "note": "Looked-after children only: PEPs due in the year, signed off by their due date or not, and "
            "rated Green or Gold (good or better) at their latest quality assurance round.",
            "rows": [
                line("PEPs due in the year", lambda c: _number(c.peps_due)),
                line("Signed off in time", lambda c: _number(c.peps_in_time)),
                line("Late", lambda c: _number(c.peps_late)),
                line(
                    "In time (% of those signed off or overdue)",
                    lambda c: _percent(c.in_time_percent) if c in looked_after_only else "Not applicable",
                ),
                line("Quality-assured", lambda c: _number(c.peps_reviewed)),
                line("Rated good or better", lambda c: _number(c.peps_good)),
                line(
                    "Rated good or better (% of those quality-assured)",
                    lambda c: _percent(c.good_percent) if c in looked_after_only else "Not applicable",
                ),
            ],
        },
    ]
