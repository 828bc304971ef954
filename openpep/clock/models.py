from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q

from openpep.people.models import LocalAuthority

from .calendar import Span, academic_year_of, long_date
from .enums import TermName

DATES_ORDERED = "The last day must be the same as or after the first day"


def _check_dates(entry) -> None:
    if entry.starts_on and entry.ends_on and entry.ends_on < entry.starts_on:
        raise ValidationError({"ends_on": DATES_ORDERED})


class Term(models.Model):
    """A term of one authority's schools. Which schools' days are "school days"
    is the authority's published calendar: academies that differ are not modelled.

    ``academic_year`` is derived from ``starts_on`` on save, so it cannot
    disagree with the dates. That terms of an authority do not overlap is
    checked by ``services.problems`` (every write goes through it)."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="terms")
    academic_year = models.CharField(
        max_length=7, validators=[RegexValidator(r"^\d{4}-\d{2}$", "Write the academic year like 2026-27")]
    )
    name = models.CharField("Term", max_length=10, choices=TermName.choices)
    starts_on = models.DateField("First day of term")
    ends_on = models.DateField("Last day of term")

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="term_dates_ordered"),
            models.UniqueConstraint(
                fields=["local_authority", "academic_year", "name"], name="one_term_of_a_name_a_year"
            ),
        ]
        # The term a date falls in (the dashboard asks it for every decision and QA round).
        indexes = [models.Index(fields=["local_authority", "starts_on"], name="term_authority_starts")]

    def __str__(self):
        return self.span.label

    def save(self, *args, **kwargs):
        self.academic_year = academic_year_of(self.starts_on)
        super().save(*args, **kwargs)

    def clean(self):
        _check_dates(self)
        if self.starts_on:
            self.academic_year = academic_year_of(self.starts_on)

    @property
    def span(self) -> Span:
        return Span(self.name, self.starts_on, self.ends_on, academic_year_of(self.starts_on))

    @property
    def dates(self) -> str:
        return f"{long_date(self.starts_on)} to {long_date(self.ends_on)}"


class Holiday(models.Model):
    """A closure inside a term: a half-term, an INSET day. The breaks between
    terms need no entry: every day outside a term is already not a school day."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="school_holidays")
    name = models.CharField(max_length=100, help_text="For example, October half-term or INSET day")
    starts_on = models.DateField("First day")
    ends_on = models.DateField("Last day")

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="holiday_dates_ordered"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        _check_dates(self)

    @property
    def span(self) -> Span:
        return Span(self.name, self.starts_on, self.ends_on)

    @property
    def academic_year(self) -> str:
        return academic_year_of(self.starts_on)

    @property
    def dates(self) -> str:
        if self.starts_on == self.ends_on:
            return long_date(self.starts_on)
        return f"{long_date(self.starts_on)} to {long_date(self.ends_on)}"


def _days(label: str, default: int, help_text: str = "") -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, default=default, help_text=help_text, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )


class Timescales(models.Model):
    """An authority's statutory timescales. The defaults are the statutory
    guidance's; a Virtual School may set stricter local ones. An authority with
    no row uses the defaults (``for_authority``), so reading never writes."""

    local_authority = models.OneToOneField(LocalAuthority, on_delete=models.CASCADE, related_name="timescales")
    initial_start_working_days = _days("Initial PEP: started within this many working days of entering care", 10)
    initial_ready_working_days = _days(
        "Initial PEP: ready within this many working days of entering care", 20, "In time for the first review"
    )
    change_of_school_school_days = _days("Change of school: a new PEP within this many school days", 10)
    views_before_meeting_school_days = _days("Child's views: recorded this many school days before the meeting", 3)
    school_section_after_meeting_school_days = _days(
        "School section: returned within this many school days after the meeting", 5
    )
    submit_after_meeting_school_days = _days(
        "Submitted to the Virtual School within this many school days after the meeting", 10
    )
    escalate_after_days = _days(
        "Tell the Virtual School when a PEP is overdue by this many days", 10, "Calendar days after the due date"
    )
    remind_before_days = _days(
        "Remind people this many days before a due date", 3, "Calendar days; one reminder e-mail per task"
    )

    FIELDS = (
        "initial_start_working_days",
        "initial_ready_working_days",
        "change_of_school_school_days",
        "views_before_meeting_school_days",
        "school_section_after_meeting_school_days",
        "submit_after_meeting_school_days",
        "escalate_after_days",
        "remind_before_days",
    )

    class Meta:
        verbose_name_plural = "timescales"

    def __str__(self):
        return f"Timescales of {self.local_authority}"

    def clean(self):
        start, ready = self.initial_start_working_days, self.initial_ready_working_days
        if start and ready and ready < start:
            raise ValidationError({"initial_ready_working_days": "An initial PEP cannot be ready before it is started"})

    @classmethod
    def for_authority(cls, authority: LocalAuthority) -> "Timescales":
        return cls.for_authority_id(authority.pk)

    @classmethod
    def selected_with(cls, authority: LocalAuthority) -> "Timescales":
        """The row ``select_related`` read with ``authority`` in this request (``plans.queries.pep_page``),
        else one query. Only for an authority read in this request: a row cached on an older object
        may have changed since."""
        if LocalAuthority.timescales.is_cached(authority):
            return getattr(authority, "timescales", None) or cls(local_authority_id=authority.pk)
        return cls.for_authority_id(authority.pk)

    @classmethod
    def for_authority_id(cls, authority_id: int) -> "Timescales":
        return cls.objects.filter(local_authority_id=authority_id).first() or cls(local_authority_id=authority_id)


class PepClock(models.Model):
    """A PEP's due dates, worked out by ``plans.due.refresh_pep_clock`` whenever
    the PEP, its meeting or the council's calendar changes, and stored so that
    task lists, reminders and dashboards filter and count them in the database.

    ``problem`` holds why the dates could not be worked out (a year's term dates
    missing), to show instead of a guess."""

    pep = models.OneToOneField("plans.Pep", on_delete=models.CASCADE, related_name="clock")
    pep_due = models.DateField("PEP due by", null=True, blank=True)
    views_due = models.DateField("Child's views due by", null=True, blank=True)
    school_section_due = models.DateField("School section due by", null=True, blank=True)
    submit_due = models.DateField("Submission due by", null=True, blank=True)
    problem = models.CharField(max_length=300, blank=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["pep_due"]), models.Index(fields=["submit_due"])]

    def __str__(self):
        return f"Due dates of PEP {self.pep_id}"
