from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models import Q

from openpep import text_limits
from openpep.children.models import Child
from openpep.people.models import LocalAuthority, School
from openpep.text_limits import BoundedTextField

from .enums import (
    ATTAINMENT_VALUES,
    OCCASION_HINTS,
    PHASE_HINTS,
    WORDING_HINT_MAX,
    WORDING_LABEL_MAX,
    DecisionOutcome,
    HowGathered,
    Occasion,
    Phase,
    Post16Status,
    SenNeed,
    SenStatus,
    Status,
    TargetArea,
    TargetRating,
    ViewsRecordedBy,
    WordingKind,
)


class PepTypeWording(models.Model):
    """A council's own wording of one PEP type — a phase or an occasion. A blank label or
    hint (or no row at all) is the national wording of ``enums``. Written only by
    ``services.save_pep_type_wording``; read through ``pep_type_wording``."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="pep_type_wordings")
    kind = models.CharField(max_length=10, choices=WordingKind.choices)
    value = models.CharField(max_length=20)
    label = models.CharField(max_length=WORDING_LABEL_MAX, blank=True)
    hint = models.CharField(max_length=WORDING_HINT_MAX, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "kind", "value"], name="one_wording_per_pep_type")
        ]

    def __str__(self):
        return f"{self.local_authority}: {self.kind} {self.value}"


NATIONAL_WORDING = {
    WordingKind.PHASE: {phase.value: (phase.label, PHASE_HINTS.get(phase, "")) for phase in Phase},
    WordingKind.OCCASION: {occasion.value: (occasion.label, OCCASION_HINTS.get(occasion, "")) for occasion in Occasion},
}


@dataclass(frozen=True)
class Wording:
    """How one authority words the PEP types: its own label or hint where it has one,
    else the national one. ``own`` maps (kind, value) to the council's (label, hint)."""

    own: dict = field(default_factory=dict)

    def label(self, kind: str, value: str) -> str:
        label = self.own.get((kind, value), ("", ""))[0]
        return label or NATIONAL_WORDING[kind].get(value, (value, ""))[0]

    def hint(self, kind: str, value: str) -> str:
        hint = self.own.get((kind, value), ("", ""))[1]
        return hint or NATIONAL_WORDING[kind].get(value, ("", ""))[1]

    def phase(self, value: str) -> str:
        return self.label(WordingKind.PHASE, value)

    def occasion(self, value: str) -> str:
        return self.label(WordingKind.OCCASION, value)

    def phase_hint(self, value: str) -> str:
        return self.hint(WordingKind.PHASE, value)

    def occasion_hint(self, value: str) -> str:
        return self.hint(WordingKind.OCCASION, value)

    def title(self, occasion: str, phase: str) -> str:
        """A PEP type as one phrase: "Termly review – Post-16"."""
        return f"{self.occasion(occasion)} – {self.phase(phase)}"

    def clashes(self) -> dict[tuple[str, str], str]:
        """Two phases, or two occasions, worded alike (letter case and spaces aside) could not be
        told apart: (kind, value) of each later one -> what is wrong."""
        found = {}
        for kind, national in NATIONAL_WORDING.items():
            seen = {}
            for value in national:
                label = self.label(kind, value)
                key = " ".join(label.split()).casefold()
                if key in seen:
                    other = self.label(kind, seen[key])
                    found[(kind, value)] = f"‘{label}’ is already the wording of another {kind}: ‘{other}’"
                else:
                    seen[key] = value
        return found


# Wordings read during the current request, by authority id; None outside a request (each call
# reads afresh). Set and cleared by ``request_started`` / ``request_finished`` (``apps.ready``).
_request_wordings: ContextVar[dict | None] = ContextVar("pep_type_wordings", default=None)


def begin_request_wordings(**kwargs) -> None:
    _request_wordings.set({})


def end_request_wordings(**kwargs) -> None:
    _request_wordings.set(None)


@contextmanager
def wordings_remembered():
    """Outside a request (the worker making an export), read each authority's wording once for
    the length of the block, as a request does."""
    token = _request_wordings.set({})
    try:
        yield
    finally:
        _request_wordings.reset(token)


def forget_pep_type_wording(authority_id: int) -> None:
    """After a change: the rest of this request reads the new wording."""
    cache = _request_wordings.get()
    if cache is not None:
        cache.pop(authority_id, None)


def pep_type_wording(authority: "LocalAuthority | int | None") -> Wording:
    """The one way to word a PEP type for a person: the authority's own labels and hints
    where it has them, else the national ones. One query per authority per request, so a
    list of PEPs costs one query whatever its length. ``None``: the national wording."""
    authority_id = getattr(authority, "pk", authority)
    if authority_id is None:
        return Wording()
    cache = _request_wordings.get()
    if cache is not None and authority_id in cache:
        return cache[authority_id]
    rows = PepTypeWording.objects.filter(local_authority_id=authority_id).values_list("kind", "value", "label", "hint")
    wording = Wording({(kind, value): (label, hint) for kind, value, label, hint in rows})
    if cache is not None:
        cache[authority_id] = wording
    return wording


class PepQuerySet(models.QuerySet):
    def current_versions(self):
        """Leave out signed-off PEPs that a later correction has replaced."""
        return self.filter(corrected_by__isnull=True)


class Pep(models.Model):
    """One Personal Education Plan: Section A lives here; B, C and D hang off it.

    ``status`` is only ever changed by ``plans.workflow.transition``."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="peps")
    school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="peps",
        help_text="The child's school while the PEP is worked on; its Designated Teacher completes Section D",
    )
    phase = models.CharField(max_length=20, choices=Phase.choices)
    occasion = models.CharField(max_length=20, choices=Occasion.choices)
    views_recorded_by = models.CharField(
        "Who records the child's views",
        max_length=20,
        choices=ViewsRecordedBy.choices,
        default=ViewsRecordedBy.SCHOOL,
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    corrects = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
        help_text="The signed-off PEP this version corrects",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The optimistic lock for Section A.
    lock_version = models.PositiveIntegerField(default=1)

    objects = PepQuerySet.as_manager()

    #: Section A's questions. The other fields are the workflow's bookkeeping.
    CONTENT_FIELDS = ("phase", "occasion", "views_recorded_by")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # A child has at most one PEP in progress: the next starts when this one is signed off.
            # (A correction of a signed-off PEP may run beside it.)
            models.UniqueConstraint(
                fields=["child"],
                condition=~Q(status=Status.SIGNED_OFF) & Q(corrects__isnull=True),
                name="one_open_pep_per_child",
            )
        ]
        indexes = [
            models.Index(fields=["status"]),
            # A child's latest PEP (lists, dashboards, Section D's figures) without sorting all of them.
            models.Index(fields=["child", "-created_at", "-id"], name="pep_child_latest"),
        ]

    def __str__(self):
        return f"{self.get_occasion_display()} PEP for {self.child} ({self.created_at:%d %b %Y})"

    # Django keeps a model's own get_FOO_display: every page, PDF and summary that shows a
    # PEP's type (``describe``, ``title``, ``__str__``) says it in the child's council's words.
    def get_phase_display(self) -> str:
        return self.wording.phase(self.phase)

    def get_occasion_display(self) -> str:
        return self.wording.occasion(self.occasion)

    @property
    def wording(self) -> Wording:
        """The PEP types as the child's authority words them (``pep_type_wording``)."""
        return pep_type_wording(self.child.local_authority_id if self.child_id else None)

    @property
    def audit_child_id(self):
        return self.child_id

    @property
    def audit_pep_id(self):
        return self.pk

    @property
    def working_school(self) -> School | None:
        """The school whose Designated Teacher works on Section D: for a PEP in
        progress, the school the child is on roll at today (so a change of
        school recorded in advance takes effect on its date); for a signed-off
        PEP, the school that wrote it, for good."""
        if self.status == Status.SIGNED_OFF:
            return self.school
        enrolment = self.child.current_enrolment()
        return enrolment.school if enrolment else None

    @property
    def views_owner(self) -> str:
        """Who records Section B, for a sentence: "the school" or "the social worker"."""
        return "the school" if self.views_recorded_by == ViewsRecordedBy.SCHOOL else "the social worker"

    @property
    def title(self) -> str:
        version = f", version {self.version}" if self.version > 1 else ""
        return f"{self.get_occasion_display()} – {self.get_phase_display()}{version}"


class PepPart(models.Model):
    """What every section of a PEP shares: its PEP, an optimistic lock, and who last saved it."""

    pep = models.OneToOneField(Pep, on_delete=models.CASCADE)
    lock_version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def audit_child_id(self):
        return self.pep.child_id

    @property
    def audit_pep_id(self):
        return self.pep_id


class ChildViews(PepPart):
    """Section B: recorded before the meeting, in the child's own terms."""

    pep = models.OneToOneField(Pep, on_delete=models.CASCADE, related_name="child_views")
    going_well = BoundedTextField("What is going well", blank=True, max_length=text_limits.NARRATIVE)
    hard = BoundedTextField("What is hard", blank=True, max_length=text_limits.NARRATIVE)
    helps_me = BoundedTextField("What helps me", blank=True, max_length=text_limits.NARRATIVE)
    aspirations = BoundedTextField("What I want to do or be", blank=True, max_length=text_limits.NARRATIVE)
    who_at_meeting = BoundedTextField("Who I want at my meeting", blank=True, max_length=text_limits.SHORT)
    how_gathered = models.CharField("How the views were gathered", max_length=20, choices=HowGathered.choices)
    gathered_note = BoundedTextField(
        "Anything else about how the views were gathered", blank=True, max_length=text_limits.SHORT
    )

    #: Section B's questions, in the order every form, document, API and exchange document gives them.
    CONTENT_FIELDS = (
        "going_well",
        "hard",
        "helps_me",
        "aspirations",
        "who_at_meeting",
        "how_gathered",
        "gathered_note",
    )
    #: What the child says (at least one is needed), as against how it was gathered.
    VOICE_FIELDS = ("going_well", "hard", "helps_me", "aspirations")

    class Meta:
        verbose_name_plural = "child's views"

    def __str__(self):
        return f"Child's views for {self.pep}"


class Arrangements(PepPart):
    """Section C, by the social worker."""

    pep = models.OneToOneField(Pep, on_delete=models.CASCADE, related_name="arrangements")
    setting = BoundedTextField("Current education setting and arrangements", max_length=text_limits.NARRATIVE)
    full_time = models.BooleanField("Is the child in full-time education?")
    not_full_time_reason = BoundedTextField(
        "Why not, and the plan to return to full-time education", blank=True, max_length=text_limits.NARRATIVE
    )
    transport = BoundedTextField("Transport to school or setting", blank=True, max_length=text_limits.SHORT)
    placement_arrangements = BoundedTextField(
        "Placement-related arrangements", blank=True, max_length=text_limits.NARRATIVE
    )
    actions_social_worker = BoundedTextField(
        "Actions for the social worker", blank=True, max_length=text_limits.NARRATIVE
    )
    actions_carer = BoundedTextField("Actions for the carer", blank=True, max_length=text_limits.NARRATIVE)
    actions_virtual_school = BoundedTextField(
        "Actions for the Virtual School", blank=True, max_length=text_limits.NARRATIVE
    )
    carer_views = BoundedTextField("The carer's views", max_length=text_limits.NARRATIVE)
    parent_views = BoundedTextField(
        "The parents' views, where appropriate", blank=True, max_length=text_limits.NARRATIVE
    )

    #: Section C's questions, in the order every form, document, API and exchange document gives them.
    CONTENT_FIELDS = (
        "setting",
        "full_time",
        "not_full_time_reason",
        "transport",
        "placement_arrangements",
        "actions_social_worker",
        "actions_carer",
        "actions_virtual_school",
        "carer_views",
        "parent_views",
    )

    class Meta:
        verbose_name_plural = "arrangements"

    def __str__(self):
        return f"Section C of {self.pep}"


class SchoolSection(PepPart):
    """Section D's single fields, by the school. Targets, reviews of previous
    targets and attainment are rows of their own."""

    pep = models.OneToOneField(Pep, on_delete=models.CASCADE, related_name="school_section")
    sen_status = models.CharField("SEN status", max_length=1, choices=SenStatus.choices)
    sen_primary_need = models.CharField("Primary SEN need", max_length=4, choices=SenNeed.choices, blank=True)
    attendance_percent = models.DecimalField(
        "Attendance this academic year (%)", max_digits=4, decimal_places=1, null=True, blank=True
    )
    # Blank is "not recorded": 0 is a fact someone gave, not a default.
    suspensions = models.PositiveSmallIntegerField("Suspensions this academic year", null=True, blank=True)
    suspension_days = models.DecimalField(
        "Days lost to suspension", max_digits=4, decimal_places=1, null=True, blank=True
    )
    permanent_exclusions = models.PositiveSmallIntegerField("Permanent exclusions", null=True, blank=True)
    going_well = BoundedTextField("School view: what is going well", blank=True, max_length=text_limits.NARRATIVE)
    challenges = BoundedTextField("School view: challenges", blank=True, max_length=text_limits.NARRATIVE)
    support_offered = BoundedTextField("Support offered", blank=True, max_length=text_limits.NARRATIVE)
    support_needed = BoundedTextField("Support needed", blank=True, max_length=text_limits.NARRATIVE)
    education_story = BoundedTextField(
        "Summary of the young person's story in education", blank=True, max_length=text_limits.NARRATIVE
    )
    pupil_premium_use = BoundedTextField("How Pupil Premium Plus is used", blank=True, max_length=text_limits.NARRATIVE)
    next_meeting_at = models.DateTimeField("Date and time of the next PEP meeting", null=True, blank=True)
    # Post-16
    course = models.CharField("Course", max_length=200, blank=True)
    provider = models.CharField("Provider", max_length=200, blank=True)
    post16_status = models.CharField(
        "Education, employment or training status", max_length=20, choices=Post16Status.choices, blank=True
    )
    # Early years
    early_years_setting = models.CharField("Early years setting", max_length=200, blank=True)
    funded_hours = models.PositiveSmallIntegerField("Funded hours a week", null=True, blank=True)
    areas_of_development = BoundedTextField("Areas of development", blank=True, max_length=text_limits.NARRATIVE)

    #: Section D's single questions, in the order the API and the exchange document give them.
    CONTENT_FIELDS = (
        "sen_status",
        "sen_primary_need",
        "attendance_percent",
        "suspensions",
        "suspension_days",
        "permanent_exclusions",
        "going_well",
        "challenges",
        "support_offered",
        "support_needed",
        "education_story",
        "pupil_premium_use",
        "next_meeting_at",
        "course",
        "provider",
        "post16_status",
        "early_years_setting",
        "funded_hours",
        "areas_of_development",
    )
    #: The questions of one phase only; every other question of CONTENT_FIELDS is asked in every phase.
    PHASE_FIELDS = {
        Phase.EARLY_YEARS: ("early_years_setting", "funded_hours", "areas_of_development"),
        Phase.STATUTORY: (),
        Phase.POST_16: ("course", "provider", "post16_status"),
    }
    #: The questions asked in every phase, in CONTENT_FIELDS' order.
    # (No comprehension: one cannot see the class's names.)
    EVERY_PHASE_FIELDS = tuple(sorted(set(CONTENT_FIELDS).difference(*PHASE_FIELDS.values()), key=CONTENT_FIELDS.index))

    def __str__(self):
        return f"Section D of {self.pep}"

    @classmethod
    def fields_for_phase(cls, phase: str) -> tuple[str, ...]:
        """The questions of a PEP of ``phase``, as the form and the documents ask them: the phase's own first."""
        return cls.PHASE_FIELDS[Phase(phase)] + cls.EVERY_PHASE_FIELDS


class Target(models.Model):
    """A SMART target agreed in a PEP, in the child's words. A target carried
    forward from a previous PEP keeps a link to the one it continues."""

    pep = models.ForeignKey(Pep, on_delete=models.CASCADE, related_name="targets")
    outcome = BoundedTextField(
        "Outcome, in the child's words", help_text="Start with ‘I will…’", max_length=text_limits.SHORT
    )
    area = models.CharField(max_length=20, choices=TargetArea.choices)
    success_measure = BoundedTextField("How success will be measured", max_length=text_limits.SHORT)
    actions = BoundedTextField("Actions: interventions or provision", max_length=text_limits.NARRATIVE)
    who = models.CharField("Who is responsible", max_length=200)
    by_when = models.DateField("By when")
    pupil_premium_cost = models.DecimalField(
        "Pupil Premium Plus cost (£)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    continues = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="continued_by")
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1)

    #: The target's questions; its PEP, lineage and lock are bookkeeping.
    CONTENT_FIELDS = ("outcome", "area", "success_measure", "actions", "who", "by_when", "pupil_premium_cost")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.outcome[:80]

    @property
    def audit_child_id(self):
        return self.pep.child_id

    @property
    def audit_pep_id(self):
        return self.pep_id


class TargetReview(models.Model):
    """How far a previous PEP's target was met, judged in this PEP."""

    pep = models.ForeignKey(Pep, on_delete=models.CASCADE, related_name="target_reviews")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="reviews")
    rating = models.CharField(max_length=20, choices=TargetRating.choices, blank=True)
    evidence = BoundedTextField(blank=True, max_length=text_limits.NARRATIVE)
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=1)

    #: The review's questions; its PEP, target and lock are bookkeeping.
    CONTENT_FIELDS = ("rating", "evidence")

    class Meta:
        ordering = ["target__created_at", "target_id"]
        constraints = [models.UniqueConstraint(fields=["pep", "target"], name="one_review_per_target")]

    def __str__(self):
        return f"Review of target {self.target_id} in {self.pep}"

    @property
    def audit_child_id(self):
        return self.pep.child_id

    @property
    def audit_pep_id(self):
        return self.pep_id


class Attainment(models.Model):
    pep = models.ForeignKey(Pep, on_delete=models.CASCADE, related_name="attainment")
    subject = models.CharField(max_length=100)
    current = models.CharField("Working at now", max_length=30)
    expected = models.CharField("Expected by the end of the year", max_length=30, blank=True)
    note = models.CharField(max_length=300, blank=True)

    #: A subject's row of Section D's attainment.
    CONTENT_FIELDS = ("subject", "current", "expected", "note")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["pep", "subject"], name="one_attainment_per_subject")]

    def __str__(self):
        return f"{self.subject}: {self.current}"

    @staticmethod
    def _label(value: str) -> str:
        """A scale's words for a value ("EXS" is "Working at the expected standard"); post-16 grades as given."""
        return _ATTAINMENT_LABELS.get(value, value)

    @property
    def current_label(self) -> str:
        return self._label(self.current)

    @property
    def expected_label(self) -> str:
        return self._label(self.expected)

    @property
    def audit_child_id(self):
        return self.pep.child_id

    @property
    def audit_pep_id(self):
        return self.pep_id


_ATTAINMENT_LABELS = {value: label for values in ATTAINMENT_VALUES.values() for value, label in values}


class Decision(models.Model):
    """Section E: the Virtual School's sign-off, or a return with reasons.
    Every round is kept."""

    pep = models.ForeignKey(Pep, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=20, choices=DecisionOutcome.choices)
    reasons = BoundedTextField(blank=True, max_length=text_limits.NARRATIVE)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    #: Section E's record; who decided and when are bookkeeping (the exchange names the person by name).
    CONTENT_FIELDS = ("outcome", "reasons")

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.pep})"

    @property
    def audit_child_id(self):
        return self.pep.child_id

    @property
    def audit_pep_id(self):
        return self.pep_id
