import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.gb import upn as upn_checker

from openpep.people.models import LocalAuthority, School

from .enums import KINDS_OF, SOCIAL_WORKER_KEPT_YEARS, Cohort, CohortKind, FromWhere, Gender, LegalStatus, PlacementType


def validate_upn(value: str) -> None:
    """A UPN with a correct check letter (DfE algorithm, through python-stdnum)."""
    try:
        upn_checker.validate(value)
    except StdnumError as error:
        raise ValidationError(
            "Enter a valid UPN: 13 characters, starting with its check letter, like A123456789012 "
            f"({error.message.rstrip('.').lower()})"
        ) from None


#: The prescribed days (month, day) on which a child begins to be of compulsory school age: 31 March,
#: 31 August and 31 December (the Education (Start of Compulsory School Age) Order 1998).
PRESCRIBED_DAYS = ((3, 31), (8, 31), (12, 31))


def _birthday(born: datetime.date, age: int) -> datetime.date:
    """The day a child born on ``born`` attains ``age`` (one born on 29 February, on 1 March in a common year)."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return datetime.date(born.year + age, 3, 1)


def _last_friday_of_june(year: int) -> datetime.date:
    last = datetime.date(year, 6, 30)
    return last - datetime.timedelta(days=(last.weekday() - 4) % 7)


def compulsory_school_age(born: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day on which a child born on ``born`` is of compulsory school age in England
    (Education Act 1996, section 8), both included.

    It begins on the prescribed day (31 March, 31 August or 31 December, ``PRESCRIBED_DAYS``) following
    the fifth birthday, or on the fifth birthday itself when that is a prescribed day. It ends with the
    school leaving date, the last Friday in June, of the school year (1 September to 31 August) in which
    the child turns 16: one turning 16 between that Friday and 31 August leaves on that Friday too."""
    fifth = _birthday(born, 5)
    begins = min(
        datetime.date(year, month, day)
        for year in (fifth.year, fifth.year + 1)
        for month, day in PRESCRIBED_DAYS
        if datetime.date(year, month, day) >= fifth
    )
    sixteenth = _birthday(born, 16)
    school_year_ends = sixteenth.year if sixteenth.month < 9 else sixteenth.year + 1
    return begins, _last_friday_of_june(school_year_ends)


class Child(models.Model):
    local_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The authority looking after the child",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=1, choices=Gender.choices)
    upn = models.CharField("UPN", max_length=13, blank=True, validators=[validate_upn])
    local_id = models.CharField(
        "Local child ID", max_length=20, help_text="The child's ID in the council's social care system"
    )
    care_start_date = models.DateField(
        "Date entered care",
        null=True,
        blank=True,
        help_text="Blank for a child of the Virtual School's wider cohort who has never been in its care",
    )
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocated_children",
    )
    iro = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewed_children",
        verbose_name="Independent Reviewing Officer",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "local_id"], name="child_local_id_unique_in_la"),
            models.UniqueConstraint(fields=["upn"], condition=~Q(upn=""), name="child_upn_unique"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.upn = self.upn.strip().upper()
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def audit_child_id(self) -> int:
        return self.pk

    def year_group(self, on: datetime.date | None = None) -> int:
        """National curriculum year in the academic year containing ``on``:
        0 is Reception, negative is early years, 12 and 13 are post-16."""
        on = on or timezone.localdate()
        academic_year_start = on.year if on.month >= 9 else on.year - 1
        cohort_start = self.date_of_birth.year if self.date_of_birth.month >= 9 else self.date_of_birth.year - 1
        return academic_year_start - cohort_start - 5

    def of_compulsory_school_age(self, on: datetime.date | None = None) -> bool:
        """Whether the child is of compulsory school age on ``on`` (``compulsory_school_age``)."""
        begins, ends = compulsory_school_age(self.date_of_birth)
        return begins <= (on or timezone.localdate()) <= ends

    def year_group_label(self, on: datetime.date | None = None) -> str:
        year = self.year_group(on)
        if year < 0:
            return "Early years"
        if year == 0:
            return "Reception"
        return f"Year {year}"

    def current_enrolment(self) -> "Enrolment | None":
        today = timezone.localdate()
        # Iterates a prefetch when one was made, so lists stay at constant queries.
        for enrolment in self.enrolments.all():
            if enrolment.is_current(today):
                return enrolment
        return None

    def current_placement(self) -> "Placement | None":
        placements = [p for p in self.placements.all() if p.ends_on is None]
        return max(placements, key=lambda p: p.starts_on, default=None)


class Enrolment(models.Model):
    """A child on a school's roll for a period: the Designated Teacher's access
    to the child follows from it, and ends with it."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="enrolments")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="enrolments")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["child"], condition=Q(ends_on__isnull=True), name="one_open_enrolment"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="enrolment_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.child} at {self.school}"

    @property
    def audit_child_id(self) -> int:
        return self.child_id

    def is_current(self, on: datetime.date) -> bool:
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


class Placement(models.Model):
    """Where and under what order a child lives, for a period (an SSDA903 episode).

    Deliberately holds no address: nothing here may ever reach a school."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="placements")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    legal_status = models.CharField(max_length=2, choices=LegalStatus.choices)
    placement_type = models.CharField(max_length=2, choices=PlacementType.choices)
    carer_name = models.CharField(max_length=150, blank=True, help_text="Name of the carer or setting")

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["child"], condition=Q(ends_on__isnull=True), name="one_open_placement"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="placement_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.get_placement_type_display()} from {self.starts_on}"

    @property
    def audit_child_id(self) -> int:
        return self.child_id


class Delegation(models.Model):
    """A Designated Teacher sharing named children, and chosen sections of their PEPs, with
    another member of the same school's staff, until an end date.

    It gives access only while it is *active* (``children.queries.active_delegations``):
    not ended, its end date not passed, the delegating DT still an active DT of the school,
    the delegate still an active member of its staff — and, child by child, while the child
    is on the school's roll. Nothing has to run for it to end.

    ``sections`` holds values of ``plans.enums.Section`` (a list of strings: this app sits
    below ``plans``); ``DELEGABLE_SECTIONS`` says which."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="delegations")
    delegated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations_made"
    )
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations")
    children = models.ManyToManyField(Child, related_name="delegations")
    sections = models.JSONField(default=list, blank=True)
    ends_on = models.DateField("End date")
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.delegated_by} to {self.delegate} at {self.school.name} until {self.ends_on}"


def kept_since(on: datetime.date) -> datetime.date:
    """The earliest end of a social worker's plan that still counts on ``on``: 6 years before it."""
    try:
        return on.replace(year=on.year - SOCIAL_WORKER_KEPT_YEARS)
    except ValueError:  # 29 February
        return on.replace(year=on.year - SOCIAL_WORKER_KEPT_YEARS, day=28)


class CohortMembershipQuerySet(models.QuerySet):
    def counted(self, on: datetime.date | None = None) -> "CohortMembershipQuerySet":
        """Memberships that put the child in their cohort on ``on`` (today): started by then and
        not ended — or, with a social worker, ended within the last 6 years."""
        on = on or timezone.localdate()
        return self.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on) | Q(cohort=Cohort.SOCIAL_WORKER, ends_on__gte=kept_since(on)),
            starts_on__lte=on,
        )


class CohortMembership(models.Model):
    """A child in one of the Virtual School's wider cohorts for a period, under an order or a plan.
    A child may be in several at once (a child with a social worker in kinship care), and keeps
    one record whether in care, out of it or back (care itself is ``care_start_date`` and the
    placements)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="cohort_memberships")
    cohort = models.CharField(max_length=30, choices=Cohort.choices)
    kind = models.CharField(max_length=20, choices=CohortKind.choices)
    starts_on = models.DateField("Start date")
    ends_on = models.DateField("End date", null=True, blank=True)
    from_where = models.CharField(
        "Looked after in",
        max_length=10,
        choices=FromWhere.choices,
        blank=True,
        help_text="Previously looked-after children only: where the child was in care",
    )

    objects = CohortMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="cohort_membership_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(cohort=Cohort.PREVIOUSLY_LOOKED_AFTER, from_where__in=FromWhere.values)
                | (~Q(cohort=Cohort.PREVIOUSLY_LOOKED_AFTER) & Q(from_where="")),
                name="cohort_membership_from_where",
            ),
        ]

    def __str__(self):
        return f"{self.get_cohort_display()} ({self.get_kind_display()}) from {self.starts_on}"

    @property
    def audit_child_id(self) -> int:
        return self.child_id

    def clean(self):
        errors = {}
        if self.cohort in KINDS_OF and self.kind and CohortKind(self.kind) not in KINDS_OF[Cohort(self.cohort)]:
            allowed = ", ".join(str(k.label).lower() for k in KINDS_OF[Cohort(self.cohort)])
            errors["kind"] = f"For this cohort choose one of: {allowed}"
        if self.cohort == Cohort.PREVIOUSLY_LOOKED_AFTER and not self.from_where:
            errors["from_where"] = "Select where the child was looked after"
        if self.cohort and self.cohort != Cohort.PREVIOUSLY_LOOKED_AFTER and self.from_where:
            errors["from_where"] = "Only a previously looked-after child was looked after elsewhere: leave it blank"
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The end date must be on or after the start date"
        if errors:
            raise ValidationError(errors)

    def is_counted(self, on: datetime.date) -> bool:
        if self.starts_on > on:
            return False
        if self.ends_on is None or self.ends_on >= on:
            return True
        return self.cohort == Cohort.SOCIAL_WORKER and self.ends_on >= kept_since(on)
