"""The dashboard's figures and lists, computed in the database.

Everything here works on a queryset of children — the person's cohort (``cohort_for``), with
the dashboard's filters applied — and asks the database for counts and sums over it with
annotations, subqueries and filtered aggregates. Nothing loops over children in Python, so a
dashboard costs the same handful of queries for one child or a thousand.

Figures are named by keys ("due:overdue", "pp:approved:school:12", "returned:2026-27 autumn"),
and ``condition(key)`` turns a key back into the filter that lists its children: every
figure drills down to exactly the children it counts.
"""

import bisect
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, TruncDate
from django.db.models.lookups import Exact
from django.http import Http404

from openpep.attendance.queries import this_year_of_outer_child
from openpep.children.models import Child
from openpep.children.queries import children_for, current_enrolments, looked_after_q
from openpep.clock.calendar import ONE_DAY, NoTermDates, SchoolCalendar, add_working_days
from openpep.clock.enums import TermName
from openpep.clock.models import Holiday, Term, Timescales
from openpep.funding.enums import APPROVED_STATUSES, RequestStatus
from openpep.funding.models import Allocation, FundingRequest, money_field
from openpep.funding.queries import ZERO
from openpep.people.enums import Role
from openpep.people.models import LocalAuthority, Membership, School, Team, User
from openpep.plans.enums import DecisionOutcome, Occasion, Phase, SenStatus, Status, TookPart
from openpep.plans.models import Decision, Pep, SchoolSection
from openpep.voice.models import Contribution
from openpep.warnings.enums import Kind as WarningKind
from openpep.warnings.models import EarlyWarning

from .enums import ATTENDANCE_FLOORS, DUE_SOON_SCHOOL_DAYS, PERSISTENT_ABSENCE_BELOW, AttendanceBand, DueState

RETURNS = [DecisionOutcome.RETURNED_TO_SCHOOL, DecisionOutcome.RETURNED_TO_SW]
NO_TERM = "no term"  # the term key of something dated before the council's calendar begins
NO_LIMIT = 2**62  # a LIMIT that keeps every row: see cohort_figures

# --- who and which children ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The dashboard's filters, as its GET form gives them; ``financial_year`` is PP+'s."""

    financial_year: str
    school: int | None = None
    team: int | None = None
    year_group: int | None = None
    phase: str = ""

    def params(self) -> dict[str, str]:
        """The filters as query parameters, for the links of figures and downloads."""
        values = {
            "school": self.school,
            "team": self.team,
            "year_group": self.year_group,
            "phase": self.phase,
            "financial_year": self.financial_year,
        }
        return {key: str(value) for key, value in values.items() if value not in (None, "")}


def cohort_for(user: User, today: datetime.date) -> QuerySet:
    """The children ``user`` sees (``children_for``) who are looked after today."""
    return Child.objects.filter(pk__in=children_for(user).values("pk")).filter(looked_after_q(today))


def _academic_start(today: datetime.date) -> int:
    return today.year if today.month >= 9 else today.year - 1


def _voice_peps(today: datetime.date) -> QuerySet:
    """The PEPs the child's voice figures count: first versions started this academic year."""
    return Pep.objects.filter(corrects__isnull=True, created_at__date__gte=datetime.date(_academic_start(today), 9, 1))


def _own_words() -> QuerySet:
    return Contribution.objects.filter(pep=OuterRef("pk"), taken_at__isnull=False)


def voice_figures(children: QuerySet, today: datetime.date) -> dict:
    """The child's voice, a quality measure councils report: of the PEPs of ``children`` started this
    academic year (first versions), how many hold the child's own words taken into Section B
    (``openpep.voice``), and how each child took part (Section B's ``took_part``: ``(key, label,
    count)``, each key a list's, ``voice:took_part:<value>`` or ``…:none``). Two queries."""
    peps = _voice_peps(today).filter(child__in=children.values("pk"))
    found = peps.aggregate(peps=Count("pk"), own_words=Count("pk", filter=Q(Exists(_own_words()))))
    took_part = dict(
        peps.values("child_views__took_part")
        .annotate(n=Count("pk"))
        .values_list("child_views__took_part", "n")
        .order_by()
    )
    percent = (Decimal(found["own_words"] * 100) / found["peps"]).quantize(Decimal("1")) if found["peps"] else None
    by_part = [(f"voice:took_part:{part.value}", part.label, took_part.get(part.value, 0)) for part in TookPart]
    by_part.append(("voice:took_part:none", "Not recorded", sum(n for value, n in took_part.items() if not value)))
    return {**found, "percent": percent, "took_part": by_part}


def _voice_condition(rest: str, today: datetime.date) -> tuple[str, Q]:
    """The children behind a child's voice figure: those with such a PEP started this academic year."""
    peps = _voice_peps(today).filter(child=OuterRef("pk"))
    if rest == "peps":
        return "Children with a PEP started this academic year", Q(Exists(peps))
    if rest == "own_words":
        found = peps.filter(Exists(_own_words()))
        return "Children whose PEP started this academic year holds their own words", Q(Exists(found))
    kind, _, value = rest.partition(":")
    if kind == "took_part" and value in TookPart.values:
        found = peps.filter(child_views__took_part=value)
        return f"Children who took part in their PEP this academic year: {TookPart(value).label.lower()}", Q(
            Exists(found)
        )
    if kind == "took_part" and value == "none":
        found = peps.filter(Q(child_views__isnull=True) | Q(child_views__took_part=""))
        return "Children whose PEP this academic year does not record how they took part", Q(Exists(found))
    raise Http404


def in_year_groups(today: datetime.date, lowest: int | None, highest: int | None) -> Q:
    """Children in national curriculum years ``lowest`` to ``highest`` today, by date of birth
    (as ``Child.year_group`` counts them: 0 is Reception, negative early years)."""
    start = _academic_start(today)
    condition = Q()
    if highest is not None:
        condition &= Q(date_of_birth__gte=datetime.date(start - 5 - highest, 9, 1))
    if lowest is not None:
        condition &= Q(date_of_birth__lte=datetime.date(start - 4 - lowest, 8, 31))
    return condition


PHASE_YEARS = {Phase.EARLY_YEARS: (None, -1), Phase.STATUTORY: (0, 11), Phase.POST_16: (12, None)}


def filtered(children: QuerySet, filters: Filters, today: datetime.date) -> QuerySet:
    if filters.school is not None:
        at_school = current_enrolments(today).filter(child=OuterRef("pk"), school_id=filters.school)
        children = children.filter(Exists(at_school))
    if filters.team is not None:
        in_team = Membership.objects.active(today).filter(
            user=OuterRef("social_worker"), role=Role.SOCIAL_WORKER, team_id=filters.team
        )
        children = children.filter(Exists(in_team))
    if filters.year_group is not None:
        children = children.filter(in_year_groups(today, filters.year_group, filters.year_group))
    if filters.phase:
        children = children.filter(in_year_groups(today, *PHASE_YEARS[Phase(filters.phase)]))
    return children


def schools_of(cohort: QuerySet, today: datetime.date) -> QuerySet:
    """The schools the cohort's children are on the roll of today (the school filter's choices)."""
    return School.objects.filter(
        Exists(current_enrolments(today).filter(school=OuterRef("pk"), child__in=cohort.values("pk")))
    ).order_by("name")


def teams_of(cohort: QuerySet, today: datetime.date) -> QuerySet:
    """The teams of the cohort's social workers (the team filter's choices)."""
    social_workers = Membership.objects.active(today).filter(
        team=OuterRef("pk"), role=Role.SOCIAL_WORKER, user__allocated_children__in=cohort.values("pk")
    )
    return Team.objects.filter(Exists(social_workers)).order_by("name")


# --- the statutory clock ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Horizon:
    """For one authority: the last day that counts as "due soon", and the care start dates
    before which a child with no PEP at all has an overdue initial PEP, and up to which it is
    due soon (working days from entering care: a date per child, so compared as thresholds)."""

    authority_id: int
    soon: datetime.date
    initial_overdue_before: datetime.date
    initial_soon_until: datetime.date
    problem: str = ""


def _earliest_start_due_on_or_after(day: datetime.date, working_days: int) -> datetime.date:
    """The first care start date whose initial PEP is due on or after ``day``."""
    start = day
    while add_working_days(start - ONE_DAY, working_days) >= day:
        start -= ONE_DAY
    return start


def _latest_start_due_by(day: datetime.date, working_days: int) -> datetime.date:
    """The last care start date whose initial PEP is due on or before ``day``."""
    start = day
    while add_working_days(start, working_days) > day:
        start -= ONE_DAY
    return start


def horizons(cohort: QuerySet, today: datetime.date) -> list[Horizon]:
    """One ``Horizon`` for each authority of the cohort's children (four queries, however many)."""
    authorities = list(LocalAuthority.objects.filter(pk__in=cohort.values("local_authority_id")))
    ids = [authority.pk for authority in authorities]
    timescales = {t.local_authority_id: t for t in Timescales.objects.filter(local_authority_id__in=ids)}
    terms = list(Term.objects.filter(local_authority_id__in=ids))
    holidays = list(Holiday.objects.filter(local_authority_id__in=ids))
    found = []
    for authority in authorities:
        calendar = SchoolCalendar(
            authority,
            terms=[t for t in terms if t.local_authority_id == authority.pk],
            holidays=[h for h in holidays if h.local_authority_id == authority.pk],
        )
        problem = ""
        try:
            soon = calendar.add_school_days(today, DUE_SOON_SCHOOL_DAYS)
        except NoTermDates as error:
            soon = add_working_days(today, DUE_SOON_SCHOOL_DAYS)
            problem = f"“Due within {DUE_SOON_SCHOOL_DAYS} school days” is counted in working days: {error}"
        ready = (timescales.get(authority.pk) or Timescales()).initial_ready_working_days
        found.append(
            Horizon(
                authority.pk,
                soon,
                _earliest_start_due_on_or_after(today, ready),
                _latest_start_due_by(soon, ready),
                problem,
            )
        )
    return found


# --- facts about each child, as annotations -----------------------------------------------------------------


def _latest_section_d():
    return SchoolSection.objects.filter(pep__child=OuterRef("pk")).order_by("-pep__created_at", "-pep_id")


def with_base_facts(children: QuerySet, today: datetime.date | None = None) -> QuerySet:
    """``children`` annotated with the facts the dashboard reads from each child's PEPs, each
    one subquery: ``has_open_pep``, ``open_pep_due``, ``last_signed_off_at``, ``review_due``
    and the latest Section D's ``attendance``, ``sen``, ``suspensions``, ``suspension_days``
    and ``permanent_exclusions`` — where the school's attendance data has the academic year
    holding ``today``, ``attendance``, ``suspensions`` and ``suspension_days`` are its figures
    (``attendance.queries``), fresher than any Section D."""
    open_peps = Pep.objects.filter(child=OuterRef("pk"), corrects__isnull=True).exclude(status=Status.SIGNED_OFF)
    # The last sign-off is that of the child's latest PEP signed off: a child has one PEP open at a
    # time (the one_open_pep_per_child constraint), so PEPs are signed off in the order they start.
    # Found down the child's PEPs newest first (the pep_child_latest index), not by sorting every
    # decision about the child. (A correction may run beside the next PEP; one started before it
    # and signed off after it leaves the next PEP's sign-off as the last — the plan of that term.)
    latest_signed_off_pep = Pep.objects.filter(child=OuterRef(OuterRef("pk")), status=Status.SIGNED_OFF).order_by(
        "-created_at", "-pk"
    )
    last_signed_off = Decision.objects.filter(
        pep=Subquery(latest_signed_off_pep.values("pk")[:1]), outcome=DecisionOutcome.SIGNED_OFF
    ).order_by("-decided_at", "-pk")
    # The end of the first term that starts after the last sign-off: the termly review's date.
    next_term = Term.objects.filter(
        local_authority=OuterRef("local_authority"), starts_on__gt=OuterRef("last_signed_off_on")
    ).order_by("starts_on")
    latest = _latest_section_d()
    data = this_year_of_outer_child(today)
    return children.annotate(
        has_open_pep=Exists(open_peps),
        open_pep_due=Subquery(open_peps.values("clock__pep_due")[:1]),
        last_signed_off_at=Subquery(last_signed_off.values("decided_at")[:1]),
        last_signed_off_on=TruncDate("last_signed_off_at"),
    ).annotate(
        review_due=Subquery(next_term.values("ends_on")[:1]),
        attendance=Coalesce(
            Subquery(data.values("attendance_percent")[:1]), Subquery(latest.values("attendance_percent")[:1])
        ),
        sen=Subquery(latest.values("sen_status")[:1]),
        suspensions=Coalesce(Subquery(data.values("suspensions")[:1]), Subquery(latest.values("suspensions")[:1])),
        suspension_days=Coalesce(
            Subquery(data.values("suspension_days")[:1]), Subquery(latest.values("suspension_days")[:1])
        ),
        permanent_exclusions=Subquery(latest.values("permanent_exclusions")[:1]),
    )


def derived_facts(today: datetime.date, found_horizons: list[Horizon]) -> dict:
    """What the dashboard works out from the base facts (``with_base_facts``), as expressions
    over them: ``pep_due``, ``due_state`` and ``attendance_band``.

    As annotations (``with_facts``) each reference to a base fact repeats its subquery, which the
    lists can afford; the figures aggregate them over a subquery of the base facts instead
    (``cohort_figures``), where each is computed once a child."""
    pep_due = Case(When(has_open_pep=True, then=F("open_pep_due")), default=F("review_due"), output_field=DateField())
    has_pep = Q(has_open_pep=True) | Q(last_signed_off_at__isnull=False)
    no_due = Q(has_open_pep=True, open_pep_due__isnull=True) | Q(has_open_pep=False, review_due__isnull=True)
    overdue = Q(has_open_pep=True, open_pep_due__lt=today) | Q(has_open_pep=False, review_due__lt=today)
    soon = initial_overdue = initial_soon = Q(pk__in=[])
    for horizon in found_horizons:
        here = Q(local_authority_id=horizon.authority_id)
        soon |= here & (
            Q(has_open_pep=True, open_pep_due__lte=horizon.soon) | Q(has_open_pep=False, review_due__lte=horizon.soon)
        )
        initial_overdue |= here & Q(care_start_date__lt=horizon.initial_overdue_before)
        initial_soon |= here & Q(care_start_date__lte=horizon.initial_soon_until)
    bands = [When(attendance__isnull=True, then=Value(AttendanceBand.NOT_RECORDED.value))]
    bands += [When(attendance__gte=floor, then=Value(band.value)) for band, floor in ATTENDANCE_FLOORS]
    return {
        "pep_due": pep_due,
        "due_state": Case(
            When(has_pep & no_due, then=Value(DueState.NO_DATE.value)),
            When(has_pep & overdue, then=Value(DueState.OVERDUE.value)),
            When(has_pep & soon, then=Value(DueState.DUE_SOON.value)),
            When(has_pep, then=Value(DueState.IN_DATE.value)),
            When(initial_overdue, then=Value(DueState.OVERDUE.value)),
            When(initial_soon, then=Value(DueState.DUE_SOON.value)),
            default=Value(DueState.IN_DATE.value),
            output_field=CharField(),
        ),
        "attendance_band": Case(*bands, default=Value(AttendanceBand.NOT_RECORDED.value), output_field=CharField()),
    }


def with_facts(children: QuerySet, today: datetime.date, found_horizons: list[Horizon]) -> QuerySet:
    """``children`` annotated with what the dashboard counts, each from the database:

    - ``pep_due`` and ``due_state``: the date the child's current PEP is due — for a PEP in
      progress its stored due date (``clock.PepClock``); with none in progress, the end of the
      term after the last sign-off (the termly review, from the council's calendar); with no PEP
      ever, the initial PEP's date, working days after entering care (``Timescales``) — and
      whether that is past, within ``DUE_SOON_SCHOOL_DAYS`` school days, or later.
    - ``attendance``, ``attendance_band``, ``sen``, ``suspensions``, ``suspension_days`` and
      ``permanent_exclusions`` from the child's latest Section D.
    """
    return with_base_facts(children, today).annotate(**derived_facts(today, found_horizons))


def with_list_columns(children: QuerySet, today: datetime.date) -> QuerySet:
    """What a list of children shows besides ``with_facts``: their school and team today, and
    their latest PEP (each a subquery, so a list of any length is one query)."""
    latest_pep = Pep.objects.filter(child=OuterRef("pk")).order_by("-created_at", "-pk")
    team = Membership.objects.active(today).filter(user=OuterRef("social_worker"), role=Role.SOCIAL_WORKER)
    return children.select_related("social_worker").annotate(
        school_name=Subquery(current_enrolments(today).filter(child=OuterRef("pk")).values("school__name")[:1]),
        team_name=Subquery(team.order_by("team__name").values("team__name")[:1]),
        latest_pep_id=Subquery(latest_pep.values("pk")[:1]),
        latest_pep_status=Subquery(latest_pep.values("status")[:1]),
    )


# --- the figures --------------------------------------------------------------------------------------------


def _alias(key: str) -> str:
    return "f_" + "".join(c if c.isalnum() else "_" for c in key)


def cohort_figures(children: QuerySet, today: datetime.date, found_horizons: list[Horizon]) -> dict:
    """Counts over the cohort in one query, keyed by figure key: an aggregate over a subquery of
    the base facts (``with_base_facts``), so each fact's subquery runs once a child, and the
    derived facts (``derived_facts``) are worked out from its columns."""
    derived = derived_facts(today, found_horizons)
    counts = {"cohort": Q()}
    counts |= {f"due:{state}": Exact(derived["due_state"], state) for state in DueState.values}
    counts |= {f"attendance:{band}": Exact(derived["attendance_band"], band) for band in AttendanceBand.values}
    counts["attendance:persistent"] = Q(attendance__lt=PERSISTENT_ABSENCE_BELOW)
    counts["suspended"] = Q(suspensions__gt=0)
    counts["excluded"] = Q(permanent_exclusions__gt=0)
    counts |= {f"sen:{status}": Q(sen=status) for status in SenStatus.values}
    counts["sen:none"] = Q(sen__isnull=True)
    aggregates = {_alias(key): Count("pk", filter=condition or None) for key, condition in counts.items()}
    aggregates["suspension_total"] = Coalesce(Sum("suspensions"), 0)
    aggregates["suspension_days_total"] = Coalesce(Sum("suspension_days"), Value(Decimal("0")))
    # A LIMIT makes the subquery a fence: without one PostgreSQL pulls it up into the aggregate and
    # repeats each fact's subquery wherever a figure reads it (146 subplans a child, not 10).
    found = with_base_facts(children, today)[:NO_LIMIT].aggregate(**aggregates)
    figures = {key: found[_alias(key)] for key in counts}
    figures["suspensions"] = found["suspension_total"]
    figures["suspension_days"] = found["suspension_days_total"]
    return figures


def initial_peps(children: QuerySet | None = None) -> QuerySet:
    """The initial PEPs (first versions) of ``children``, with their due date (stored by the
    clock when the PEP started: ready for the first review) and the day they were first signed off."""
    first_sign_off = Decision.objects.filter(pep=OuterRef("pk"), outcome=DecisionOutcome.SIGNED_OFF)
    peps = Pep.objects.filter(occasion=Occasion.INITIAL, corrects__isnull=True)
    if children is not None:
        peps = peps.filter(child__in=children.values("pk"))
    return peps.annotate(
        due=F("clock__pep_due"),
        signed_off_at=Subquery(first_sign_off.order_by("decided_at", "pk").values("decided_at")[:1]),
    ).annotate(signed_off_on=TruncDate("signed_off_at"))


def initial_within(today: datetime.date) -> Q:
    return Q(due__isnull=False, signed_off_on__isnull=False, signed_off_on__lte=F("due"))


def initial_late(today: datetime.date) -> Q:
    """Signed off after the due date, or not signed off and the due date has passed."""
    return Q(due__isnull=False) & (Q(signed_off_on__gt=F("due")) | Q(signed_off_on__isnull=True, due__lt=today))


def initial_figures(children: QuerySet, today: datetime.date) -> dict:
    found = initial_peps(children).aggregate(
        within=Count("pk", filter=initial_within(today)), late=Count("pk", filter=initial_late(today))
    )
    judged = found["within"] + found["late"]
    percent = (Decimal(found["within"] * 100) / judged).quantize(Decimal("1")) if judged else None
    return {"initial:within": found["within"], "initial:late": found["late"], "judged": judged, "percent": percent}


def _term_key(outer_authority: str, outer_day: str) -> Subquery:
    """The term a day falls in (or, in a holiday, the term just ended) of the child's authority,
    as "2026-27 autumn": comparable across authorities, whose term dates differ."""
    term = Term.objects.filter(local_authority=OuterRef(outer_authority), starts_on__lte=OuterRef(outer_day))
    key = Concat("academic_year", Value(" "), "name", output_field=CharField())
    return Subquery(term.order_by("-starts_on").annotate(key=key).values("key")[:1])


def term_label(key: str | None) -> str:
    if not key or key == NO_TERM:
        return "Before the term dates entered"
    year, _, name = key.partition(" ")
    return f"{TermName(name).label} term {year}"


def _decisions(children: QuerySet | None = None) -> QuerySet:
    decisions = Decision.objects.all()
    if children is not None:
        decisions = decisions.filter(pep__child__in=children.values("pk"))
    return decisions.annotate(decided_on=TruncDate("decided_at")).annotate(
        term=Coalesce(_term_key("pep__child__local_authority", "decided_on"), Value(NO_TERM))
    )


@dataclass
class TermRow:
    key: str
    label: str
    decided: int = 0
    returned: int = 0
    ratings: dict = field(default_factory=dict)  # QA rating -> count

    @property
    def returned_percent(self) -> int | None:
        return round(self.returned * 100 / self.decided) if self.decided else None


def quality_review_model():
    """The ``quality`` app's Review (a round of QA: ``pep``, ``created_at``, ``overall``) when
    that app is installed, read through the app registry so that this app does not depend on it."""
    if not apps.is_installed("openpep.quality"):
        return None
    return apps.get_model("quality", "Review")


#: QA ratings in the order the dashboard shows them.
QA_RATINGS = [("gold", "Gold"), ("green", "Green"), ("amber", "Amber"), ("red", "Red")]


def _reviews(children: QuerySet | None = None):
    review = quality_review_model()
    if review is None:
        return None
    reviews = review.objects.all()
    if children is not None:
        reviews = reviews.filter(pep__child__in=children.values("pk"))
    return (
        reviews.exclude(overall="")
        .annotate(reviewed_on=TruncDate("created_at"))
        .annotate(term=Coalesce(_term_key("pep__child__local_authority", "reviewed_on"), Value(NO_TERM)))
    )


class TermKeys:
    """Which term a day falls in, for each authority: what ``_term_key`` says in SQL, worked out
    here from the authorities' terms, for rows already counted by day."""

    def __init__(self, authority_ids):
        self.starts: dict[int, list[datetime.date]] = {}
        self.keys: dict[int, list[str]] = {}
        terms = Term.objects.filter(local_authority_id__in=authority_ids).order_by("starts_on")
        for term in terms.values("local_authority_id", "starts_on", "academic_year", "name"):
            self.starts.setdefault(term["local_authority_id"], []).append(term["starts_on"])
            self.keys.setdefault(term["local_authority_id"], []).append(f"{term['academic_year']} {term['name']}")

    def of(self, authority_id: int, day: datetime.date) -> str:
        """The latest of the authority's terms that starts on or before ``day``, as a key."""
        at = bisect.bisect_right(self.starts.get(authority_id, []), day)
        return self.keys[authority_id][at - 1] if at else NO_TERM


def quality_by_term(children: QuerySet) -> tuple[list[TermRow], dict]:
    """Decisions (Section E) and, with the ``quality`` app, QA ratings, by term, newest first;
    and the totals. Three queries at most.

    The database counts them by authority and day, and each day is put in its term here
    (``TermKeys``): asking the database for each decision's term ran a subquery for every one of
    a council's 60,000 decisions. The figures' lists still select by term in SQL (``condition``)."""
    rows: dict[str, TermRow] = {}
    authority = "pep__child__local_authority_id"
    decided = (
        Decision.objects.filter(pep__child__in=children.values("pk"))
        .annotate(day=TruncDate("decided_at"))
        .values(authority, "day")
        .annotate(decided=Count("pk"), returned=Count("pk", filter=Q(outcome__in=RETURNS)))
        .order_by()
    )
    decided = list(decided)
    review = quality_review_model()
    rated = []
    if review is not None:
        rated = list(
            review.objects.filter(pep__child__in=children.values("pk"))
            .exclude(overall="")
            .annotate(day=TruncDate("created_at"))
            .values(authority, "day", "overall")
            .annotate(n=Count("pk"))
            .order_by()
        )
    terms = TermKeys({found[authority] for found in decided + rated})

    def row_of(found) -> TermRow:
        key = terms.of(found[authority], found["day"])
        if key not in rows:
            rows[key] = TermRow(key, term_label(key))
        return rows[key]

    for found in decided:
        row = row_of(found)
        row.decided += found["decided"]
        row.returned += found["returned"]
    for found in rated:
        row = row_of(found)
        row.ratings[found["overall"]] = row.ratings.get(found["overall"], 0) + found["n"]
    ordered = sorted(rows.values(), key=lambda row: (row.key != NO_TERM, row.key), reverse=True)
    totals = TermRow("all", "All terms")
    for row in ordered:
        totals.decided += row.decided
        totals.returned += row.returned
        for rating, n in row.ratings.items():
            totals.ratings[rating] = totals.ratings.get(rating, 0) + n
    return ordered, {"totals": totals, "with_ratings": review is not None}


# --- Pupil Premium Plus -------------------------------------------------------------------------------------

MEASURES = {
    # figure key part -> (label, which requests, which amount)
    "requested": ("Requested", Q(), "amount"),
    "approved": ("Approved", Q(status__in=APPROVED_STATUSES), "approved_amount"),
    "paid": ("Paid", Q(status=RequestStatus.PAID), "approved_amount"),
}


def _money_sum(field_name: str, condition: Q | None = None):
    return Coalesce(Sum(field_name, filter=condition), Value(ZERO), output_field=money_field(""))


def _request_sums() -> dict:
    return {name: _money_sum(amount, condition or None) for name, (_, condition, amount) in MEASURES.items()}


@dataclass
class MoneyRow:
    key: str  # "school:12", "term:2026-27 autumn"
    label: str
    allocated: Decimal | None = None
    requested: Decimal = ZERO
    approved: Decimal = ZERO
    paid: Decimal = ZERO


def pupil_premium(children: QuerySet, financial_year: str, today: datetime.date) -> dict:
    """PP+ for the children and the financial year: the totals; by school (the children's school
    today for what was allocated, the requesting school for the requests); by term. Five queries."""
    ids = children.values("pk")
    allocations = Allocation.objects.filter(child__in=ids, financial_year=financial_year)
    requests = FundingRequest.objects.filter(pep__child__in=ids, financial_year=financial_year)
    totals = allocations.aggregate(allocated=_money_sum("amount"), children=Count("pk"))
    totals |= requests.aggregate(**_request_sums())
    school_now = current_enrolments(today).filter(child=OuterRef("child"))
    schools: dict[str, MoneyRow] = {}
    by_school = (
        allocations.annotate(
            school_id=Subquery(school_now.values("school_id")[:1]),
            school_name=Subquery(school_now.values("school__name")[:1]),
        )
        .values("school_id", "school_name")
        .annotate(total=_money_sum("amount"))
        .order_by()
    )
    for found in by_school:
        key = f"school:{found['school_id'] or 0}"
        schools[key] = MoneyRow(key, found["school_name"] or "Not on a school roll", allocated=found["total"])
    for found in requests.values("school_id", "school__name").annotate(**_request_sums()).order_by():
        key = f"school:{found['school_id'] or 0}"
        row = schools.setdefault(key, MoneyRow(key, found["school__name"] or "Not on a school roll", ZERO))
        row.requested, row.approved, row.paid = found["requested"], found["approved"], found["paid"]
    terms = []
    by_term = (
        requests.annotate(
            term_key=Case(
                When(term__isnull=True, then=Value(NO_TERM)),
                default=Concat("term__academic_year", Value(" "), "term__name"),
                output_field=CharField(),
            )
        )
        .values("term_key")
        .annotate(**_request_sums())
        .order_by("-term_key")
    )
    for found in by_term:
        key = found["term_key"]
        terms.append(
            MoneyRow(f"term:{key}", term_label(key), None, found["requested"], found["approved"], found["paid"])
        )
    return {
        "totals": totals,
        "by_school": sorted(schools.values(), key=lambda row: row.label),
        "by_term": terms,
    }


# --- early warnings -----------------------------------------------------------------------------------------


NO_SCHOOL = "Not on a school roll"


def _open_warnings(children: QuerySet | None = None) -> QuerySet:
    found = EarlyWarning.objects.filter(acknowledged_at__isnull=True)
    return found.filter(child__in=children.values("pk")) if children is not None else found


def warning_figures(children: QuerySet) -> dict:
    """The children with a warning not yet acknowledged, by kind and by the school it concerns
    (``EarlyWarning.school``: for a kind about the child, their school when it was raised). Two queries."""
    found = _open_warnings(children)
    by_kind = dict(found.values("kind").annotate(n=Count("child", distinct=True)).values_list("kind", "n").order_by())
    by_school = [
        {"school_id": row["school_id"] or 0, "name": row["school__name"] or NO_SCHOOL, "children": row["n"]}
        for row in found.values("school_id", "school__name")
        .annotate(n=Count("child", distinct=True))
        .order_by("school__name", "school_id")
    ]
    return {"by_kind": {kind: by_kind.get(kind, 0) for kind in WarningKind.values}, "by_school": by_school}


def _warning_condition(rest: str) -> tuple[str, Q]:
    kind, _, school = rest.partition(":")
    if kind in WarningKind.values and not school:
        found = _open_warnings().filter(child=OuterRef("pk"), kind=kind)
        return f"Children with an early warning: {WarningKind(kind).label.lower()}", Q(Exists(found))
    if kind == "school" and _id(school) is not None:
        school_id = _id(school)
        found = _open_warnings().filter(child=OuterRef("pk"))
        found = found.filter(school_id=school_id) if school_id else found.filter(school__isnull=True)
        return f"Children with an early warning at {_school_name(school_id)}", Q(Exists(found))
    raise Http404


# --- from a figure's key to its children --------------------------------------------------------------------


def _id(key: str) -> int | None:
    """A school's id in a figure's key (a database integer: not "²", nor 10**30), else None."""
    return int(key) if key.isascii() and key.isdigit() and len(key) < 19 else None


def _pp_condition(parts: list[str], filters: Filters, today: datetime.date) -> tuple[str, Q]:
    measure, scope = parts[0], parts[1:]
    year = filters.financial_year
    if measure == "allocated":
        allocated = Allocation.objects.filter(child=OuterRef("pk"), financial_year=year)
        condition, label = Q(Exists(allocated)), f"allocated PP+ for {year}"
        if scope[:1] == ["school"] and len(scope) == 2:
            school = _id(scope[1])
            at_school = current_enrolments(today).filter(child=OuterRef("pk"))
            if school:
                condition &= Q(Exists(at_school.filter(school_id=school)))
            else:
                condition &= ~Q(Exists(at_school))
            label += " at " + _school_name(school)
        elif scope:
            raise Http404
        return label, condition
    if measure not in MEASURES:
        raise Http404
    name, status, _ = MEASURES[measure]
    requests = FundingRequest.objects.filter(status, pep__child=OuterRef("pk"), financial_year=year)
    label = f"PP+ {name.lower()} for {year}"
    if scope[:1] == ["school"] and len(scope) == 2:
        school = _id(scope[1])
        requests = requests.filter(school_id=school) if school else requests.filter(school__isnull=True)
        label += " by " + _school_name(school)
    elif scope[:1] == ["term"] and len(scope) == 2:
        if scope[1] == NO_TERM:
            requests = requests.filter(term__isnull=True)
        else:
            academic_year, _, term = scope[1].partition(" ")
            requests = requests.filter(term__academic_year=academic_year, term__name=term)
        label += f" in the {term_label(scope[1])}"
    elif scope:
        raise Http404
    return label, Q(Exists(requests))


def _school_name(school_id: int | None) -> str:
    if not school_id:
        return "no school"
    return School.objects.filter(pk=school_id).values_list("name", flat=True).first() or "a school"


def condition(key: str, filters: Filters, today: datetime.date) -> tuple[str, Q]:
    """The title of a figure's list and the filter on annotated children (``with_facts``) that
    gives it; an unknown key is a 404."""
    kind, _, rest = key.partition(":")
    if key == "cohort":
        return "Children looked after", Q()
    if kind == "due" and rest in DueState.values:
        return f"Children whose PEP is {DueState(rest).label.lower()}", Q(due_state=rest)
    if kind == "attendance" and rest in AttendanceBand.values:
        return f"Attendance {AttendanceBand(rest).label.lower()}", Q(attendance_band=rest)
    if key == "attendance:persistent":
        return "Persistently absent (attendance below 90%)", Q(attendance__lt=PERSISTENT_ABSENCE_BELOW)
    if key == "suspended":
        return "Children suspended this academic year", Q(suspensions__gt=0)
    if key == "excluded":
        return "Children permanently excluded", Q(permanent_exclusions__gt=0)
    if kind == "sen" and rest in SenStatus.values:
        return f"SEN status {SenStatus(rest).label}", Q(sen=rest)
    if key == "sen:none":
        return "SEN status not recorded", Q(sen__isnull=True)
    if kind == "initial" and rest in ("within", "late"):
        judged = initial_within(today) if rest == "within" else initial_late(today)
        peps = initial_peps().filter(judged, child=OuterRef("pk"))
        title = "Initial PEPs within the statutory timescale" if rest == "within" else "Initial PEPs late"
        return title, Q(Exists(peps))
    if kind in ("decided", "returned") and rest:
        decisions = _decisions().filter(pep__child=OuterRef("pk"), term=rest)
        if kind == "returned":
            decisions = decisions.filter(outcome__in=RETURNS)
        verb = "returned for amendment" if kind == "returned" else "decided by the Virtual School"
        return f"PEPs {verb} in the {term_label(rest)}", Q(Exists(decisions))
    if kind == "qa" and rest:
        rating, _, term = rest.partition(":")
        reviews = _reviews()
        if reviews is None or rating not in dict(QA_RATINGS):
            raise Http404
        reviews = reviews.filter(pep__child=OuterRef("pk"), overall=rating)
        if term and term != "all":
            reviews = reviews.filter(term=term)
        where = f" in the {term_label(term)}" if term and term != "all" else ""
        return f"PEPs rated {rating} in quality assurance{where}", Q(Exists(reviews))
    if kind == "pp" and rest:
        label, found = _pp_condition(rest.split(":"), filters, today)
        return f"Children with {label}", found
    if kind == "warning" and rest:
        return _warning_condition(rest)
    if kind == "voice" and rest:
        return _voice_condition(rest, today)
    raise Http404
