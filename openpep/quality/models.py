from django.conf import settings
from django.db import models

from openpep import text_limits
from openpep.people.models import LocalAuthority
from openpep.plans.models import Pep
from openpep.text_limits import BoundedTextField

from .enums import CheckId, Mode, OverallRule, Rag, SignOffRule


def _mode(check: CheckId, default: Mode) -> models.CharField:
    return models.CharField(check.label, max_length=5, choices=Mode.choices, default=default)


class QualitySettings(models.Model):
    """How an authority's Virtual School runs quality: what each check before
    submission does, and how its rubric is rated. An authority with no row uses
    the defaults (``for_authority_id``), so reading never writes."""

    local_authority = models.OneToOneField(LocalAuthority, on_delete=models.CASCADE, related_name="quality_settings")
    # One field a check, named as its ``CheckId``.
    voice = _mode(CheckId.VOICE, Mode.BLOCK)
    unreviewed_targets = _mode(CheckId.UNREVIEWED_TARGETS, Mode.BLOCK)
    smart_targets = _mode(CheckId.SMART_TARGETS, Mode.WARN)
    pupil_premium = _mode(CheckId.PUPIL_PREMIUM, Mode.WARN)
    next_meeting = _mode(CheckId.NEXT_MEETING, Mode.BLOCK)
    copied = _mode(CheckId.COPIED, Mode.WARN)
    gold = models.BooleanField("Offer a Gold rating, above Green", default=False)
    overall_rule = models.CharField(
        "How the overall rating is worked out",
        max_length=24,
        choices=OverallRule.choices,
        default=OverallRule.WORST,
    )
    sign_off_rule = models.CharField(
        "When a PEP can be signed off",
        max_length=24,
        choices=SignOffRule.choices,
        default=SignOffRule.NO_RED,
    )

    FIELDS = (*CheckId.values, "gold", "overall_rule", "sign_off_rule")

    class Meta:
        verbose_name_plural = "quality settings"

    def __str__(self):
        return f"Quality settings of {self.local_authority}"

    def mode(self, check: CheckId) -> Mode:
        return Mode(getattr(self, CheckId(check).value))

    @property
    def ratings(self) -> list[Rag]:
        """The ratings a criterion can be given, worst first."""
        return [rating for rating in Rag if self.gold or rating != Rag.GOLD]

    @classmethod
    def for_authority_id(cls, authority_id: int) -> "QualitySettings":
        return cls.objects.filter(local_authority_id=authority_id).first() or cls(local_authority_id=authority_id)


class Criterion(models.Model):
    """One line of an authority's QA rubric. Never deleted once rated: made
    inactive instead, so earlier rounds keep what they rated."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="qa_criteria")
    title = models.CharField(max_length=150)
    description = BoundedTextField("What Green looks like", blank=True, max_length=text_limits.SHORT)
    position = models.PositiveSmallIntegerField("Position in the rubric", default=1)
    active = models.BooleanField("Rated in new rounds", default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "criteria"

    def __str__(self):
        return self.title

    @classmethod
    def active_for(cls, authority: LocalAuthority) -> list["Criterion"]:
        """The authority's rubric as rated in new rounds, in order. Reading never writes: the
        default rubric is made with the authority (``services.add_default_criteria``)."""
        return list(cls.objects.filter(local_authority=authority, active=True))


class Review(models.Model):
    """One round of quality assurance of a submitted PEP (Section E). Every round
    is kept: there is no way to change or delete one."""

    pep = models.ForeignKey(Pep, on_delete=models.CASCADE, related_name="qa_reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    overall = models.CharField("Overall rating", max_length=5, choices=Rag.choices)
    feedback = BoundedTextField("Overall feedback", blank=True, max_length=text_limits.NARRATIVE)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"QA round of {self.pep}: {self.get_overall_display()}"

    @property
    def audit_child_id(self):
        return self.pep.child_id

    @property
    def audit_pep_id(self):
        return self.pep_id


class Rating(models.Model):
    """A criterion's rating in one round, with the criterion's title as it was then."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="ratings")
    title = models.CharField(max_length=150)
    rating = models.CharField(max_length=5, choices=Rag.choices)
    feedback = BoundedTextField(blank=True, max_length=text_limits.SHORT)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="one_rating_per_criterion")]

    def __str__(self):
        return f"{self.title}: {self.get_rating_display()}"
