"""Synthetic authorities at any size, written with ``bulk_create`` in big batches.

``generate(children=2000, years=10)`` makes one council of the size of the largest in England:
teams of social workers with a team manager, schools with a Designated Teacher, Virtual School
officers, IROs, ten years of school terms, and for each child an enrolment history, placements
and a PEP a term for ``years`` years (all signed off but the latest, which is in progress), each
with Sections B, C and D, five targets, its due dates (``clock.PepClock``), the Virtual School's
decisions, QA rounds and PP+ requests for the recent ones, and PP+ allocations.

It writes rows directly, not through the services: the audit trail of invented history is not
what is measured, and the services' per-row checks would take an hour at this size. Dates that
the models stamp on save (``created_at``, ``decided_at``…) are written as the history has them.
"""

import contextlib
import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from openpep.children.models import Child, Enrolment, Placement
from openpep.clock.calendar import academic_year_of
from openpep.clock.models import Holiday, PepClock, Term
from openpep.funding.enums import DEFAULT_RATES, RequestStatus
from openpep.funding.models import Allocation, FundingRequest
from openpep.funding.years import financial_year_of, of_eligible_age
from openpep.people.enums import Role, SchoolPhase
from openpep.people.models import LocalAuthority, Membership, School, Team, User
from openpep.plans.enums import (
    DecisionOutcome,
    HowGathered,
    Occasion,
    Phase,
    SenStatus,
    Status,
    TargetArea,
    TargetRating,
    ViewsRecordedBy,
)
from openpep.plans.models import (
    Arrangements,
    Attainment,
    ChildViews,
    Decision,
    Pep,
    SchoolSection,
    Target,
    TargetReview,
)
from openpep.quality.models import Review

BATCH = 5000
CHILDREN_PER_SOCIAL_WORKER = 20
SOCIAL_WORKERS_PER_TEAM = 10
CHILDREN_PER_SCHOOL = 15
OPEN_STATUSES = [
    (Status.DRAFT, 50),
    (Status.SCHOOL_RETURNED, 15),
    (Status.SUBMITTED, 15),
    (Status.RETURNED_TO_SCHOOL, 10),
    (Status.RETURNED_TO_SW, 10),
]
FIRST = ["Alex", "Sam", "Jordan", "Casey", "Riley", "Morgan", "Taylor", "Jamie", "Charlie", "Robin", "Ash", "Kit"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Wright", "Green"]
TEXT = "Synthetic text for the benchmark; no real child. " * 4


@dataclass
class Authority:
    """What ``generate`` made for one authority: the people the benchmark signs in as."""

    authority: LocalAuthority
    social_workers: list = field(default_factory=list)
    team_managers: list = field(default_factory=list)
    designated_teachers: list = field(default_factory=list)
    vs_officers: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)


@contextlib.contextmanager
def _dates_as_given(*models):
    """Let ``bulk_create`` write the ``auto_now``/``auto_now_add`` dates the history gives."""
    changed = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                changed.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in changed:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _make_terms(authority, first_year: int, last_year: int) -> None:
    terms, holidays = [], []
    for year in range(first_year, last_year + 1):
        spans = [
            ("autumn", datetime.date(year, 9, 3), datetime.date(year, 12, 19), datetime.date(year, 10, 27)),
            ("spring", datetime.date(year + 1, 1, 6), datetime.date(year + 1, 3, 27), datetime.date(year + 1, 2, 16)),
            ("summer", datetime.date(year + 1, 4, 14), datetime.date(year + 1, 7, 21), datetime.date(year + 1, 5, 26)),
        ]
        for name, starts, ends, half_term in spans:
            terms.append(
                Term(
                    local_authority=authority,
                    academic_year=academic_year_of(starts),
                    name=name,
                    starts_on=starts,
                    ends_on=ends,
                )
            )
            holidays.append(
                Holiday(
                    local_authority=authority,
                    name=f"{name.title()} half-term",
                    starts_on=half_term,
                    ends_on=half_term + datetime.timedelta(days=4),
                )
            )
    Term.objects.bulk_create(terms, batch_size=BATCH)
    Holiday.objects.bulk_create(holidays, batch_size=BATCH)


def _users(prefix: str, count: int, label: str) -> list[User]:
    users = [
        User(email=f"{prefix}-{i}@bench.invalid", full_name=f"{label} {i}", password="!unusable") for i in range(count)
    ]
    return User.objects.bulk_create(users, batch_size=BATCH)


def _weighted(rng: random.Random, choices):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights)[0]


def generate(
    children: int = 2000,
    *,
    years: int = 10,
    peps_per_year: int = 3,
    targets_per_pep: int = 5,
    code: str = "900",
    seed: int = 0,
    today: datetime.date | None = None,
    first_pk: int = 0,
) -> Authority:
    """One authority with ``children`` children and ``years`` years of PEPs (see the module).

    Several authorities can be made in one database with different ``code`` values (national
    size); ``first_pk`` keeps their e-mail addresses, URNs and local ids apart."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    now_year = today.year if today.month >= 9 else today.year - 1
    tag = f"la{code}"
    made = Authority(
        LocalAuthority.objects.create(
            code=code, name=f"Bench council {code}", virtual_school_name=f"Bench Virtual School {code}"
        )
    )
    la = made.authority
    counts = made.counts

    with transaction.atomic(), _dates_as_given(Pep, Decision, Target, Review, FundingRequest, Child):
        _make_terms(la, now_year - years - 1, now_year + 1)

        # People and organisations.
        n_sw = max(1, children // CHILDREN_PER_SOCIAL_WORKER)
        n_teams = max(1, n_sw // SOCIAL_WORKERS_PER_TEAM)
        n_schools = max(2, children // CHILDREN_PER_SCHOOL)
        teams = Team.objects.bulk_create([Team(local_authority=la, name=f"Team {i}") for i in range(n_teams)])
        schools = School.objects.bulk_create(
            [
                School(
                    urn=f"{first_pk + 100000 + i:06d}",
                    laestab=f"{code}{2000 + i % 8000:04d}",
                    name=f"Bench school {code}-{i}",
                    phase=SchoolPhase.SECONDARY if i % 3 else SchoolPhase.PRIMARY,
                    local_authority=la,
                )
                for i in range(n_schools)
            ],
            batch_size=BATCH,
        )
        made.social_workers = _users(f"{tag}-sw", n_sw, "Social worker")
        made.team_managers = _users(f"{tag}-tm", n_teams, "Team manager")
        made.designated_teachers = _users(f"{tag}-dt", n_schools, "Designated Teacher")
        made.vs_officers = _users(f"{tag}-vs", 3, "Virtual School officer")
        vs_admin = _users(f"{tag}-vsadmin", 1, "Virtual School head")
        iros = _users(f"{tag}-iro", max(1, children // 60), "IRO")
        started = today - datetime.timedelta(days=365 * (years + 1))
        memberships = [
            Membership(
                user=u, role=Role.SOCIAL_WORKER, team=teams[i // SOCIAL_WORKERS_PER_TEAM % n_teams], starts_on=started
            )
            for i, u in enumerate(made.social_workers)
        ]
        memberships += [
            Membership(user=u, role=Role.TEAM_MANAGER, team=teams[i], starts_on=started)
            for i, u in enumerate(made.team_managers)
        ]
        memberships += [
            Membership(user=u, role=Role.DESIGNATED_TEACHER, school=schools[i], starts_on=started)
            for i, u in enumerate(made.designated_teachers)
        ]
        memberships += [
            Membership(user=u, role=Role.VS_OFFICER, local_authority=la, starts_on=started) for u in made.vs_officers
        ]
        memberships += [Membership(user=u, role=Role.VS_ADMIN, local_authority=la, starts_on=started) for u in vs_admin]
        memberships += [Membership(user=u, role=Role.IRO, local_authority=la, starts_on=started) for u in iros]
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        counts["users"] = len(memberships)

        # Children, each in care for ``years`` years (give or take a term).
        peps_each = max(1, years * peps_per_year)
        child_rows = []
        for i in range(children):
            care_start = today - datetime.timedelta(days=int(365.25 * years) + rng.randrange(120))
            dob = care_start - datetime.timedelta(days=365 * rng.randint(1, 6) + rng.randrange(365))
            child_rows.append(
                Child(
                    local_authority=la,
                    first_name=rng.choice(FIRST),
                    last_name=f"{rng.choice(LAST)}-{first_pk + i}",
                    date_of_birth=dob,
                    gender=rng.choice("12"),
                    local_id=f"B{first_pk + i:07d}",
                    care_start_date=care_start,
                    social_worker=made.social_workers[i % n_sw],
                    iro=iros[i % len(iros)],
                    created_at=_at(care_start),
                    updated_at=_at(care_start),
                )
            )
        kids = Child.objects.bulk_create(child_rows, batch_size=BATCH)
        counts["children"] = len(kids)

        enrolments, placements, school_of = [], [], {}
        for i, child in enumerate(kids):
            current = schools[i % n_schools]
            former = schools[(i * 7 + 1) % n_schools]
            in_care = (today - child.care_start_date).days
            moved = child.care_start_date + datetime.timedelta(days=int(in_care * rng.uniform(0.6, 0.85)))
            enrolments.append(Enrolment(child=child, school=former, starts_on=child.care_start_date, ends_on=moved))
            enrolments.append(Enrolment(child=child, school=current, starts_on=moved + datetime.timedelta(days=1)))
            school_of[child.pk] = (former, current, moved)
            changed = child.care_start_date + datetime.timedelta(days=int(in_care * rng.uniform(0.2, 0.8)))
            placements.append(
                Placement(
                    child=child,
                    starts_on=child.care_start_date,
                    ends_on=changed,
                    legal_status="C2",
                    placement_type="U1",
                    carer_name="A carer",
                )
            )
            placements.append(
                Placement(
                    child=child,
                    starts_on=changed + datetime.timedelta(days=1),
                    legal_status="C2",
                    placement_type="U4",
                    carer_name="A carer",
                )
            )
        Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
        Placement.objects.bulk_create(placements, batch_size=BATCH)
        counts["enrolments"], counts["placements"] = len(enrolments), len(placements)

        # A PEP a term: every one signed off but the latest.
        peps, plan = [], []
        step = datetime.timedelta(days=int(365.25 / peps_per_year))
        for child in kids:
            former, current, moved = school_of[child.pk]
            sw = child.social_worker
            for k in range(peps_each):
                last = k == peps_each - 1
                started_on = min(
                    child.care_start_date + datetime.timedelta(days=5) + step * k,
                    today - datetime.timedelta(days=20) if last else today,
                )
                status = _weighted(rng, OPEN_STATUSES) if last else Status.SIGNED_OFF
                age = (started_on - child.date_of_birth).days // 365
                phase = Phase.EARLY_YEARS if age < 4 else Phase.POST_16 if age >= 16 else Phase.STATUTORY
                peps.append(
                    Pep(
                        child=child,
                        school=former if started_on <= moved else current,
                        phase=phase,
                        occasion=Occasion.INITIAL if k == 0 else Occasion.REVIEW,
                        views_recorded_by=ViewsRecordedBy.SCHOOL
                        if rng.random() < 0.8
                        else ViewsRecordedBy.SOCIAL_WORKER,
                        status=status,
                        created_by=sw,
                        created_at=_at(started_on),
                        updated_at=_at(started_on + datetime.timedelta(days=20)),
                    )
                )
                plan.append((child, k, last, started_on, sw))
        peps = Pep.objects.bulk_create(peps, batch_size=BATCH)
        counts["peps"] = len(peps)

        views, arrangements, sections, clocks, decisions, targets, attainment = [], [], [], [], [], [], []
        vs = made.vs_officers
        for pep, (_child, k, last, started_on, sw) in zip(peps, plan, strict=True):
            dt_user = sw  # who last saved: the model needs someone; the school's DT is not needed here
            views.append(
                ChildViews(
                    pep=pep,
                    updated_by=dt_user,
                    going_well=TEXT,
                    hard=TEXT,
                    helps_me=TEXT,
                    aspirations=TEXT,
                    how_gathered=HowGathered.OWN_WORDS,
                )
            )
            arrangements.append(
                Arrangements(pep=pep, updated_by=sw, setting=TEXT, full_time=True, carer_views=TEXT, transport=TEXT)
            )
            sections.append(
                SchoolSection(
                    pep=pep,
                    updated_by=dt_user,
                    sen_status=_weighted(rng, [(SenStatus.NONE, 60), (SenStatus.SUPPORT, 28), (SenStatus.EHCP, 12)]),
                    attendance_percent=Decimal(rng.randint(600, 1000)) / 10,
                    suspensions=1 if rng.random() < 0.08 else 0,
                    suspension_days=Decimal("1.5") if rng.random() < 0.08 else Decimal(0),
                    going_well=TEXT,
                    challenges=TEXT,
                    support_offered=TEXT,
                    education_story=TEXT,
                )
            )
            if last:
                due = today + datetime.timedelta(days=rng.randint(-20, 40))
            else:
                due = started_on + datetime.timedelta(days=28)
            clocks.append(
                PepClock(
                    pep=pep,
                    pep_due=due,
                    views_due=due - datetime.timedelta(days=7),
                    school_section_due=due + datetime.timedelta(days=7),
                    submit_due=due + datetime.timedelta(days=14),
                )
            )
            if not last:
                if rng.random() < 0.15:
                    decisions.append(
                        Decision(
                            pep=pep,
                            outcome=DecisionOutcome.RETURNED_TO_SCHOOL,
                            reasons="More detail on targets",
                            decided_by=vs[k % len(vs)],
                            decided_at=_at(started_on + datetime.timedelta(days=20)),
                        )
                    )
                decisions.append(
                    Decision(
                        pep=pep,
                        outcome=DecisionOutcome.SIGNED_OFF,
                        decided_by=vs[k % len(vs)],
                        decided_at=_at(started_on + datetime.timedelta(days=25), 15),
                    )
                )
            for t in range(targets_per_pep):
                targets.append(
                    Target(
                        pep=pep,
                        outcome=f"I will improve my {TargetArea.values[t % len(TargetArea.values)]} ({t + 1})",
                        area=TargetArea.values[(t + k) % len(TargetArea.values)],
                        success_measure=TEXT,
                        actions=TEXT,
                        who="Designated Teacher",
                        by_when=started_on + datetime.timedelta(days=100),
                        created_at=_at(started_on, 11),
                    )
                )
            if k >= peps_each - 2:
                for subject in ("English", "Maths", "Science"):
                    attainment.append(Attainment(pep=pep, subject=subject, current="EXS", expected="EXS"))
        for model, rows in (
            (ChildViews, views),
            (Arrangements, arrangements),
            (SchoolSection, sections),
            (PepClock, clocks),
            (Decision, decisions),
            (Attainment, attainment),
        ):
            model.objects.bulk_create(rows, batch_size=BATCH)
            counts[model._meta.model_name] = len(rows)
        targets = Target.objects.bulk_create(targets, batch_size=BATCH)
        counts["targets"] = len(targets)

        # The open PEP reviews the previous PEP's targets; recent PEPs have QA rounds and PP+ requests.
        by_pep = {}
        for target in targets:
            by_pep.setdefault(target.pep_id, []).append(target)
        reviews, qa, requests = [], [], []
        term_ids = {(t.academic_year, t.name): t.pk for t in Term.objects.filter(local_authority=la)}
        recent = today - datetime.timedelta(days=365 * 2)
        for index, (pep, (_child, k, last, started_on, sw)) in enumerate(zip(peps, plan, strict=True)):
            if last and k > 0:
                previous = peps[index - 1]
                for target in by_pep.get(previous.pk, []):
                    reviews.append(TargetReview(pep=pep, target=target, rating=TargetRating.ACHIEVED, evidence=TEXT))
            if started_on < recent:
                continue
            if not last:
                qa.append(
                    Review(
                        pep=pep,
                        reviewer=vs[0],
                        overall=rng.choice(["red", "amber", "green", "green", "gold"]),
                        created_at=_at(started_on + datetime.timedelta(days=24)),
                    )
                )
            first_target = by_pep.get(pep.pk, [None])[0]
            if first_target is not None:
                status = (
                    RequestStatus.REQUESTED
                    if last
                    else rng.choice([RequestStatus.PAID, RequestStatus.APPROVED, RequestStatus.DECLINED])
                )
                amount = Decimal(rng.choice([150, 300, 450, 600]))
                term_key = (academic_year_of(started_on), ["autumn", "spring", "summer"][k % 3])
                requests.append(
                    FundingRequest(
                        pep=pep,
                        target=first_target,
                        target_outcome=first_target.outcome,
                        school=pep.school,
                        financial_year=financial_year_of(started_on),
                        term_id=term_ids.get(term_key),
                        amount=amount,
                        status=status,
                        requested_by=sw,
                        requested_at=_at(started_on + datetime.timedelta(days=10)),
                        approved_amount=None if status in (RequestStatus.REQUESTED, RequestStatus.DECLINED) else amount,
                        decided_by=None if status == RequestStatus.REQUESTED else vs[0],
                        decided_at=None
                        if status == RequestStatus.REQUESTED
                        else _at(started_on + datetime.timedelta(days=15)),
                    )
                )
        TargetReview.objects.bulk_create(reviews, batch_size=BATCH)
        Review.objects.bulk_create(qa, batch_size=BATCH)
        FundingRequest.objects.bulk_create(requests, batch_size=BATCH)
        counts["target_reviews"], counts["qa_reviews"], counts["funding_requests"] = (
            len(reviews),
            len(qa),
            len(requests),
        )

        year = financial_year_of(today)
        rate = DEFAULT_RATES.get(year, max(DEFAULT_RATES.values()))
        allocations = [
            Allocation(
                child=child,
                financial_year=year,
                rate=rate,
                top_slice_percent=Decimal("20"),
                amount=rate * Decimal("0.8"),
            )
            for child in kids
            if of_eligible_age(child.date_of_birth, year)
        ]
        Allocation.objects.bulk_create(allocations, batch_size=BATCH)
        counts["allocations"] = len(allocations)
    return made
