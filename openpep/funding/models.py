from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from openpep import text_limits
from openpep.children.models import Child
from openpep.people.models import LocalAuthority, School
from openpep.text_limits import BoundedTextField

from .enums import DEFAULT_BANDS, RequestMode, RequestStatus
from .years import validate_financial_year

PENNY = Decimal("0.01")
MAX_BAND = Decimal("1000000")  # no child is given a million pounds


def money(amount: Decimal | None) -> str:
    """Money the GOV.UK way: £2,630.00, and −£40.00 below zero."""
    if amount is None:
        return ""
    sign = "−" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def money_field(label: str, **kwargs) -> models.DecimalField:
    """Pounds and pence, exactly: never a float."""
    return models.DecimalField(label, max_digits=10, decimal_places=2, **kwargs)


def parse_bands(text: str) -> list[Decimal]:
    """ "0, 400, 800, 1,500" gives the amounts in pounds, in order; raises ValidationError."""
    amounts = []
    for part in (text or "").replace("£", "").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            amount = Decimal(part)
        except ArithmeticError:
            raise ValidationError(
                f"‘{part}’ is not an amount of money: write the bands like 0, 400, 800, 1500"
            ) from None
        # NaN and Infinity parse as Decimals; so does 1E+40, which has no pennies to round to.
        if not amount.is_finite() or amount >= MAX_BAND:
            raise ValidationError(f"‘{part}’ is not an amount of money: write the bands like 0, 400, 800, 1500")
        if amount < 0 or amount != amount.quantize(PENNY):
            raise ValidationError(f"‘{part}’ must be an amount in pounds and pence, not below 0")
        amounts.append(amount.quantize(PENNY))
    if not any(amounts):
        raise ValidationError("Enter at least one band above £0, like 0, 400, 800, 1500")
    if len(set(amounts)) != len(amounts):
        raise ValidationError("Enter each band once")
    return sorted(amounts)


def validate_bands(text: str) -> None:
    parse_bands(text)


class FundingSettings(models.Model):
    """How an authority's Virtual School runs PP+. An authority with no row uses the
    defaults (``for_authority_id``), so reading never writes."""

    local_authority = models.OneToOneField(LocalAuthority, on_delete=models.CASCADE, related_name="funding_settings")
    top_slice_percent = models.DecimalField(
        "Top-slice kept for central services (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="The share of each child's PP+ the Virtual School keeps centrally, such as 10 or 12.5; 0 for none",
    )
    request_mode = models.CharField(
        "How schools request PP+", max_length=10, choices=RequestMode.choices, default=RequestMode.FREE
    )
    bands = models.CharField(
        "Termly bands (£)",
        max_length=200,
        default=DEFAULT_BANDS,
        validators=[validate_bands],
        help_text="Used when schools request a band: the amounts, separated by commas, like 0, 400, 800, 1500",
    )
    release_after_qa = models.BooleanField(
        "Hold payment until the PEP passes quality assurance",
        default=False,
        help_text="Approved requests are paid only once the PEP's latest quality assurance is green or gold",
    )

    FIELDS = ("top_slice_percent", "request_mode", "bands", "release_after_qa")

    class Meta:
        verbose_name_plural = "funding settings"

    def __str__(self):
        return f"PP+ settings of {self.local_authority}"

    @classmethod
    def for_authority_id(cls, authority_id: int) -> "FundingSettings":
        return cls.objects.filter(local_authority_id=authority_id).first() or cls(local_authority_id=authority_id)

    @property
    def band_amounts(self) -> list[Decimal]:
        return parse_bands(self.bands)

    def per_child(self, rate: Decimal) -> Decimal:
        """What each eligible child is allocated from ``rate``: the rate less the top-slice,
        rounded half up to the penny."""
        kept = rate * self.top_slice_percent / Decimal(100)
        return (rate - kept).quantize(PENNY, rounding="ROUND_HALF_UP")


class Rate(models.Model):
    """The PP+ rate per child for one financial year, as an authority has entered it
    (the years it has not entered use ``enums.DEFAULT_RATES``)."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="pupil_premium_rates")
    financial_year = models.CharField(
        "Financial year", max_length=7, validators=[validate_financial_year], help_text="For example, 2026-27"
    )
    amount = money_field("Rate per child (£)", validators=[MinValueValidator(PENNY)])

    class Meta:
        ordering = ["financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "financial_year"], name="one_rate_a_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="rate_above_zero"),
        ]

    def __str__(self):
        return f"PP+ {self.financial_year}: £{self.amount:,.2f}"


class Allocation(models.Model):
    """One child's PP+ for one financial year: the rate less the top-slice, written by
    ``services.allocate`` (which can run again: it changes only what has changed)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="pupil_premium_allocations")
    financial_year = models.CharField(max_length=7, validators=[validate_financial_year])
    rate = money_field("Rate per child")
    top_slice_percent = models.DecimalField(max_digits=5, decimal_places=2)
    amount = money_field("Allocated")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["financial_year", "child_id"]
        constraints = [
            models.UniqueConstraint(fields=["child", "financial_year"], name="one_allocation_per_child_a_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="allocation_not_negative"),
        ]

    def __str__(self):
        return f"PP+ {self.financial_year} for {self.child}: £{self.amount:,.2f}"

    @property
    def audit_child_id(self):
        return self.child_id


class FundingRequest(models.Model):
    """A school's request for PP+ towards one target of a PEP (Section D), and what the
    Virtual School decided and paid. Its status changes only through ``services.move``.

    The target's outcome is copied in, so the request still says what it was for if the
    school later removes the target."""

    pep = models.ForeignKey("plans.Pep", on_delete=models.PROTECT, related_name="pupil_premium_requests")
    target = models.ForeignKey(
        "plans.Target", null=True, blank=True, on_delete=models.SET_NULL, related_name="pupil_premium_requests"
    )
    target_outcome = BoundedTextField("Target", max_length=text_limits.SHORT)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    financial_year = models.CharField(max_length=7, validators=[validate_financial_year])
    term = models.ForeignKey(
        "clock.Term",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The term the request was made in, from the council's calendar",
    )
    amount = money_field("Amount requested")
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    approved_amount = money_field("Amount approved", null=True, blank=True)
    reason = BoundedTextField("Reasons for the decision", blank=True, max_length=text_limits.NARRATIVE)
    override_reason = BoundedTextField(
        "Why it was approved beyond the allocation", blank=True, max_length=text_limits.SHORT
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_reference = models.CharField("Payment reference", max_length=100, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = "PP+ request"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="request_above_zero"),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__gt=0, approved_amount__lte=F("amount")),
                name="approved_within_requested",
            ),
            # One live request per target: a declined one may be asked for again.
            models.UniqueConstraint(
                fields=["target"],
                condition=Q(target__isnull=False) & ~Q(status=RequestStatus.DECLINED),
                name="one_live_request_per_target",
            ),
        ]
        indexes = [models.Index(fields=["financial_year", "status"])]

    def __str__(self):
        return f"PP+ request of £{self.amount:,.2f} ({self.get_status_display()})"

    @property
    def audit_child_id(self):
        return self.pep.child_id

    @property
    def audit_pep_id(self):
        return self.pep_id

    @property
    def in_part(self) -> bool:
        return self.approved_amount is not None and self.approved_amount < self.amount
