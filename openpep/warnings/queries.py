"""Who sees which warnings, and what ought to be raised today.

``warnings_for`` is the one scoped lookup: a warning goes to the allocated social worker and the
Virtual School of the child's authority, and a school-side one (``enums.SCHOOL_SIDE``) to the
Designated Teacher of the child's school today too; always among the children the person sees
(``children_for``). What it leaves out is a 404.

``found`` works out, for the job, every warning the rules of each council call for today; the
job (``services.raise_warnings``) inserts those not raised yet."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, Max, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from openpep.attendance.enums import COUNTS, POSSIBLE, SUSPENSION, academic_year, year_bounds
from openpep.attendance.models import AttendanceDay
from openpep.attendance.services import figures
from openpep.children.models import Child, CohortMembership, Enrolment, Placement, compulsory_school_age
from openpep.children.queries import current_enrolments, in_any_cohort_q, looked_after_q
from openpep.clock.calendar import NoTermDates
from openpep.clock.models import Term
from openpep.people.models import User
from openpep.people.queries import roles_of
from openpep.plans.due import next_pep_due
from openpep.plans.enums import DecisionOutcome, Status
from openpep.plans.models import Decision, Pep, SchoolSection

from .enums import FALL_WINDOW_DAYS, MIN_SESSIONS, SCHOOL_SIDE, Kind
from .models import EarlyWarning, WarningRules

#: Codes of a session that is not a possible one (a closure...): they neither start nor end a suspension.
NOT_POSSIBLE = frozenset(code for code, counts in COUNTS.items() if counts not in POSSIBLE)

# --- who sees a warning -------------------------------------------------------------------------------------


def warnings_for(user: User) -> QuerySet:
    """The warnings ``user`` is sent, of children they see (``children_for``).

    Each condition is the matching clause of ``children_for`` (``children.queries.relationship_filter``:
    the allocated social worker, the Virtual School's authority, the Designated Teacher's school today
    for a child who has been in care), so every warning is of a child the person sees without
    ``children_for`` being built again: this runs on every page, in the header's task count
    (``tests/warnings/test_task_count.py`` holds it to ``children_for`` for every role)."""
    roles = roles_of(user)
    sent = Q(pk__in=[])
    if roles.social_worker:
        sent |= Q(child__social_worker=user)
    if roles.virtual_school:
        sent |= Q(child__local_authority_id__in=roles.vs_authority_ids)
    if roles.designated_teacher:
        at_school = current_enrolments().filter(child=OuterRef("child"), school_id__in=roles.school_ids)
        sent |= Q(kind__in=SCHOOL_SIDE, child__care_start_date__isnull=False) & Q(Exists(at_school))
    if not (roles.social_worker or roles.virtual_school or roles.designated_teacher):
        return EarlyWarning.objects.none()
    return EarlyWarning.objects.filter(sent)


def waiting_for(user: User) -> QuerySet:
    """The warnings waiting for ``user``: sent to them and not yet acknowledged. What their task list
    shows, and what the header's count (``reminders.queries.task_count``) counts."""
    return warnings_for(user).filter(acknowledged_at__isnull=True)


def open_warnings_for(user: User, child: Child | None = None) -> list[EarlyWarning]:
    """The warnings waiting for ``user`` (``waiting_for``), newest first, in one query;
    of one child when ``child`` is given."""
    found = waiting_for(user)
    if child is not None:
        found = found.filter(child=child)
    return list(found.select_related("child", "school").order_by("-raised_at", "-pk"))


def answered_warnings_for(user: User, child: Child) -> list[EarlyWarning]:
    """The child's warnings ``user`` is sent that have been acknowledged, newest first."""
    return list(
        warnings_for(user)
        .filter(child=child, acknowledged_at__isnull=False)
        .select_related("acknowledged_by", "interim_pep")
        .order_by("-acknowledged_at", "-pk")
    )


# --- what ought to be raised --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    child_id: int
    kind: Kind
    occurrence: str
    school_id: int | None
    detail: str

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.child_id, self.kind.value, self.occurrence)


def _long(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def current_terms(authority_ids, today: datetime.date) -> dict[int, Term]:
    """Each authority's term holding ``today`` or, in a holiday, the term just ended, when it is of
    this academic year (one query)."""
    first, _ = year_bounds(academic_year(today))
    found = {}
    for term in Term.objects.filter(local_authority_id__in=authority_ids, starts_on__range=(first, today)):
        if term.local_authority_id not in found or term.starts_on > found[term.local_authority_id].starts_on:
            found[term.local_authority_id] = term
    return found


def _percent(codes) -> tuple[float | None, int]:
    counted = figures(codes)
    if counted.possible < MIN_SESSIONS:
        return None, counted.possible
    return float(counted.attendance_percent), counted.possible


def _attendance(children: list[Child], rules: dict[int, WarningRules], today: datetime.date) -> list[Found]:
    """Absence this term, a fall over the last four weeks, and each suspension's first day (code E),
    from the sessions of this academic year (one query for the days, one for the terms)."""
    terms = current_terms({child.local_authority_id for child in children}, today)
    first, _ = year_bounds(academic_year(today))
    days = defaultdict(list)
    rows = (
        AttendanceDay.objects.filter(child__in=[c.pk for c in children], date__range=(first, today))
        .order_by("child_id", "date", "school_id")
        .values_list("child_id", "date", "school_id", "am", "pm")
    )
    for child_id, date, school_id, am, pm in rows.iterator(chunk_size=5000):
        days[child_id].append((date, school_id, am, pm))
    window_starts = today - datetime.timedelta(days=FALL_WINDOW_DAYS - 1)
    found = []
    for child in children:
        own = days.get(child.pk)
        if not own:
            continue
        rule = rules[child.local_authority_id]
        school_id = own[-1][1]
        term = terms.get(child.local_authority_id)
        if term is not None:
            key = f"{term.academic_year} {term.name}"
            in_term = [code for date, _, am, pm in own if term.starts_on <= date <= term.ends_on for code in (am, pm)]
            percent, _ = _percent(in_term)
            name = f"the {term.get_name_display().lower()} term {term.academic_year}"
            if percent is not None and rule.severe_on and percent < rule.severe_below:
                found.append(
                    Found(child.pk, Kind.SEVERE_ABSENCE, key, school_id, f"Attendance {percent:.1f}% in {name}")
                )
            elif percent is not None and rule.persistent_on and percent < rule.persistent_below:
                found.append(
                    Found(child.pk, Kind.PERSISTENT_ABSENCE, key, school_id, f"Attendance {percent:.1f}% in {name}")
                )
            if rule.fall_on:
                recent, _ = _percent([code for date, _, am, pm in own if date >= window_starts for code in (am, pm)])
                before, _ = _percent([code for date, _, am, pm in own if date < window_starts for code in (am, pm)])
                if recent is not None and before is not None and before - recent > rule.fall_points:
                    found.append(
                        Found(
                            child.pk,
                            Kind.ATTENDANCE_FALL,
                            key,
                            school_id,
                            f"Attendance {recent:.1f}% over the last 4 weeks, {before:.1f}% before them this year",
                        )
                    )
        if rule.exclusion_on:
            in_run, runs = False, 0
            for date, day_school, am, pm in own:
                for code in (am, pm):
                    if not code or code in NOT_POSSIBLE:
                        continue
                    if code == SUSPENSION and not in_run:
                        runs += 1
                        found.append(
                            Found(
                                child.pk,
                                Kind.EXCLUSION,
                                exclusion_occurrence(today, runs),
                                day_school,
                                f"Suspended or excluded from {_long(date)} (attendance code E)",
                            )
                        )
                    in_run = code == SUSPENSION
    return found


def exclusion_occurrence(today: datetime.date, number: int) -> str:
    """The occurrence of the ``number``-th suspension or permanent exclusion of the academic year holding
    ``today`` ("2026-27 no. 1"), whichever source tells of it.

    A suspension reaches OpenPEP twice: as a run of attendance code E (dated: each run of E sessions is
    one, numbered in date order through the academic year) and as Section D's counts (this academic
    year's suspensions plus permanent exclusions, undated; the n-th of a total of N is numbered n). The
    only thing both sources say alike is how many there have been this academic year, so the n-th of
    either is one occurrence: whichever source tells of it first raises the warning, and the other,
    before or after, raises nothing more for it, only for those beyond the ones already told. One
    suspension is one warning; the database's unique key keeps it so under any number of workers."""
    first, _ = year_bounds(academic_year(today))
    return f"{first.year}-{(first.year + 1) % 100:02d} no. {number}"


def _entered_exclusions(children: list[Child], rules, today: datetime.date) -> list[Found]:
    """Suspensions or permanent exclusions a school entered in Section D of a PEP started this
    academic year: one for each counted, numbered through the year as the code-E runs are
    (``exclusion_occurrence``), so a later PEP repeating the counts, or a code-E run telling of the
    same suspension, raises nothing more."""
    first, _ = year_bounds(academic_year(today))
    wanted = [c.pk for c in children if rules[c.local_authority_id].exclusion_on]
    sections = SchoolSection.objects.filter(
        Q(suspensions__gt=0) | Q(permanent_exclusions__gt=0),
        pep__child_id__in=wanted,
        pep__created_at__date__gte=first,
    ).values_list("pep__child_id", "pep__school_id", "suspensions", "permanent_exclusions")
    most = {}  # each child's highest total entered this year (counts are so far this year)
    for child_id, school_id, suspensions, exclusions in sections:
        suspensions, exclusions = suspensions or 0, exclusions or 0
        if suspensions + exclusions > sum(most.get(child_id, (None, 0, 0))[1:]):
            most[child_id] = (school_id, suspensions, exclusions)
    found = []
    for child_id, (school_id, suspensions, exclusions) in most.items():
        total = suspensions + exclusions
        for number in range(1, total + 1):
            found.append(
                Found(
                    child_id,
                    Kind.EXCLUSION,
                    exclusion_occurrence(today, number),
                    school_id,
                    f"Section D records {suspensions} suspension{'s' if suspensions != 1 else ''} and "
                    f"{exclusions} permanent exclusion{'s' if exclusions != 1 else ''} this academic year "
                    f"({number} of {total})",
                )
            )
    return found


def _schools(children: list[Child], rules, today: datetime.date) -> list[Found]:
    """A change of school since the last PEP signed off; no school place at compulsory school age (from the
    date of birth: ``children.models.compulsory_school_age``)."""
    ids = [c.pk for c in children]
    signed_off = dict(
        Decision.objects.filter(pep__child_id__in=ids, outcome=DecisionOutcome.SIGNED_OFF)
        .values("pep__child_id")
        .annotate(last=Max("decided_at"))
        .values_list("pep__child_id", "last")
    )
    enrolments = defaultdict(list)
    for enrolment in Enrolment.objects.filter(child_id__in=ids).select_related("school").order_by("starts_on"):
        enrolments[enrolment.child_id].append(enrolment)
    found = []
    for child in children:
        rule = rules[child.local_authority_id]
        own = enrolments.get(child.pk, [])
        last = signed_off.get(child.pk)
        if rule.school_change_on and last is not None and child.looked_after_now:
            last_day = timezone.localtime(last).date()
            for enrolment in own:
                if last_day < enrolment.starts_on <= today:
                    found.append(
                        Found(
                            child.pk,
                            Kind.SCHOOL_CHANGE,
                            f"{enrolment.starts_on.isoformat()} {enrolment.school_id}",
                            enrolment.school_id,
                            f"Started at {enrolment.school.name} on {_long(enrolment.starts_on)}, after the last PEP "
                            f"was signed off on {_long(last_day)}",
                        )
                    )
        if rule.no_school_on and child.of_compulsory_school_age(today):
            if not any(e.is_current(today) for e in own):
                ended = [e.ends_on for e in own if e.ends_on is not None and e.ends_on < today]
                # Since the school left, else since care or the wider cohort began.
                began = child.care_start_date or child.cohort_since
                cared = [began - datetime.timedelta(days=1)] if began else []
                if not ended and not cared:
                    continue
                # Never before the child was of compulsory school age.
                of_age = compulsory_school_age(child.date_of_birth)[0]
                since = max(max([*ended, *cared]) + datetime.timedelta(days=1), of_age)
                found.append(
                    Found(
                        child.pk,
                        Kind.NO_SCHOOL,
                        f"since {since.isoformat()}",
                        None,
                        f"Not on a school roll since {_long(since)}",
                    )
                )
    return found


def _placements(children: list[Child], rules, today: datetime.date) -> list[Found]:
    """A change of placement since the last PEP signed off, for a child looked after today: an episode
    (``children.Placement``, from SSDA903) begun after the sign-off whose placement type or carer is not
    the episode's before it. A new episode for a change of legal status alone is no move; a first
    episode is coming into care, not a change. The detail names the type of placement, never the carer
    (a warning's words may reach the task lists of people who must not read where a child lives)."""
    wanted = [c.pk for c in children if c.looked_after_now and rules[c.local_authority_id].placement_change_on]
    signed_off = dict(
        Decision.objects.filter(pep__child_id__in=wanted, outcome=DecisionOutcome.SIGNED_OFF)
        .values("pep__child_id")
        .annotate(last=Max("decided_at"))
        .values_list("pep__child_id", "last")
    )
    episodes = defaultdict(list)
    for placement in Placement.objects.filter(child_id__in=list(signed_off)).order_by("starts_on", "pk"):
        episodes[placement.child_id].append(placement)
    found = []
    for child_id, last in signed_off.items():
        last_day = timezone.localtime(last).date()
        own = episodes.get(child_id, [])
        for before, episode in zip(own, own[1:], strict=False):
            moved = (episode.placement_type, episode.carer_name) != (before.placement_type, before.carer_name)
            if moved and last_day < episode.starts_on <= today:
                found.append(
                    Found(
                        child_id,
                        Kind.PLACEMENT_CHANGE,
                        f"{episode.starts_on.isoformat()} {episode.placement_type}",
                        None,
                        f"Moved to a new placement ({episode.get_placement_type_display()}) on "
                        f"{_long(episode.starts_on)}, after the last PEP was signed off on {_long(last_day)}",
                    )
                )
    return found


def _overdue(children: list[Child], rules, today: datetime.date) -> list[Found]:
    """A PEP overdue by the statutory clock: the PEP in progress past its stored due date
    (``clock.PepClock``), or, with none in progress, the next PEP's date passed (``next_pep_due``)."""
    wanted = {c.pk: c for c in children if rules[c.local_authority_id].overdue_on and c.looked_after_now}
    open_peps = (
        Pep.objects.filter(child_id__in=list(wanted), corrects__isnull=True)
        .exclude(status=Status.SIGNED_OFF)
        .select_related("clock")
    )
    found, with_open = [], set()
    for pep in open_peps:
        with_open.add(pep.child_id)
        clock = getattr(pep, "clock", None)
        if clock is not None and clock.pep_due is not None and clock.pep_due < today:
            found.append(
                Found(
                    pep.child_id,
                    Kind.PEP_OVERDUE,
                    clock.pep_due.isoformat(),
                    pep.school_id,
                    f"The PEP in progress was due by {_long(clock.pep_due)}",
                )
            )
    for child_id, child in wanted.items():
        if child_id in with_open:
            continue
        try:
            due = next_pep_due(child)
        except NoTermDates:
            continue  # the Virtual School is told on its calendar pages; no date, no warning
        if due is not None and due < today:
            found.append(
                Found(
                    child_id,
                    Kind.PEP_OVERDUE,
                    due.isoformat(),
                    None,
                    f"The next PEP was due by {_long(due)}; none is in progress",
                )
            )
    return found


def found(today: datetime.date | None = None, authority_ids=None) -> list[Found]:
    """Every warning the councils' rules call for today about the children of the Virtual Schools'
    cohorts (of ``authority_ids`` when given), raised already or not: attendance, exclusions and a
    school place for every cohort; a change of school or of placement since the last PEP and a PEP
    overdue for the children looked after today alone (only they have PEPs)."""
    today = today or timezone.localdate()
    children = (
        Child.objects.filter(in_any_cohort_q(today))
        .annotate(
            looked_after_now=ExpressionWrapper(looked_after_q(today), output_field=BooleanField()),
            cohort_since=CohortMembership.objects.counted(today)
            .filter(child=OuterRef("pk"))
            .values("child")
            .annotate(first=Min("starts_on"))
            .values("first"),
        )
        .select_related("local_authority")
    )
    if authority_ids is not None:
        children = children.filter(local_authority_id__in=authority_ids)
    children = list(children.order_by("pk"))
    authorities = {child.local_authority_id for child in children}
    rules = {rule.local_authority_id: rule for rule in WarningRules.objects.filter(local_authority_id__in=authorities)}
    for authority_id in authorities - set(rules):
        rules[authority_id] = WarningRules(local_authority_id=authority_id)
    schools_now = dict(
        current_enrolments(today).filter(child_id__in=[c.pk for c in children]).values_list("child_id", "school_id")
    )
    result = []
    for finder in (_attendance, _entered_exclusions, _schools, _placements, _overdue):
        result += finder(children, rules, today)
    # One occurrence told by two sources (a suspension: ``exclusion_occurrence``) is found once, as the
    # first tells it. Kinds about the child rather than one school are shown under the school today.
    unique = {}
    for f in result:
        if f.school_id is None:
            f = Found(f.child_id, f.kind, f.occurrence, schools_now.get(f.child_id), f.detail)
        unique.setdefault(f.key, f)
    return list(unique.values())
