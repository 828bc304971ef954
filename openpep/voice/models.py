"""The child's own voice: an invitation to "Have your say" (one child, one PEP, a code kept only
as a hash) and what the child sends back, kept word for word."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from openpep import text_limits
from openpep.children.models import Child
from openpep.people.models import LocalAuthority
from openpep.plans.models import Pep
from openpep.text_limits import BoundedTextField

from .enums import Audience, Feeling, InvitationState, Purpose, TakePart, Variant

#: What a child may write in one answer: long enough to say something, short enough to read aloud.
ANSWER = 1_000


class VoiceSettings(models.Model):
    """A council's choices about the child's codes. An authority with no row uses
    ``VOICE_INVITATION_DAYS`` (``for_authority_id``), so reading never writes."""

    local_authority = models.OneToOneField(LocalAuthority, on_delete=models.CASCADE, related_name="voice_settings")
    invitation_days = models.PositiveSmallIntegerField(
        "Days a code works",
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="A Have your say or My plan code stops working this many days after it is made (1 to 90)",
    )

    FIELDS = ("invitation_days",)

    class Meta:
        verbose_name_plural = "voice settings"

    def __str__(self):
        return f"Child's voice settings of {self.local_authority}"

    @classmethod
    def for_authority_id(cls, authority_id: int) -> "VoiceSettings":
        return cls.objects.filter(local_authority_id=authority_id).first() or cls(
            local_authority_id=authority_id, invitation_days=settings.VOICE_INVITATION_DAYS
        )


class Invitation(models.Model):
    """A code for one child's one PEP: to "Have your say" on it (``purpose``), or to read its "My
    plan" after sign-off (the child's, or their carer's: ``audience``). The code is shown once to
    whoever made it (and e-mailed when asked); only its keyed hash is kept (``services.hash_code``).
    A My plan code is never "sent": it opens the plan until it expires or is withdrawn."""

    pep = models.ForeignKey(Pep, on_delete=models.CASCADE, related_name="voice_invitations")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="voice_invitations")
    code_hash = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.HAVE_YOUR_SAY)
    audience = models.CharField("For", max_length=20, choices=Audience.choices, default=Audience.CHILD)
    variant = models.CharField("Pages for", max_length=20, choices=Variant.choices)
    email = models.EmailField("The e-mail address the link was sent to", blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-made_at"]

    def __str__(self):
        return f"{self.get_purpose_display()} for {self.pep}"

    @property
    def audit_child_id(self):
        return self.child_id

    @property
    def audit_pep_id(self):
        return self.pep_id

    def state(self, now=None) -> InvitationState:
        if self.submitted_at:
            return InvitationState.SUBMITTED
        if self.withdrawn_at:
            return InvitationState.WITHDRAWN
        if (now or timezone.now()) >= self.expires_at:
            return InvitationState.EXPIRED
        return InvitationState.OPEN

    @property
    def is_open(self) -> bool:
        return self.state() == InvitationState.OPEN


class Contribution(models.Model):
    """What the child wrote and chose, word for word: never edited by anyone but the child, before
    they send it. The adult who records Section B takes it in, whole or in part (``taken``)."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="contribution")
    pep = models.ForeignKey(Pep, on_delete=models.CASCADE, related_name="child_contributions")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="contributions")
    going_well = BoundedTextField("What is going well", blank=True, max_length=ANSWER)
    hard = BoundedTextField("What is hard", blank=True, max_length=ANSWER)
    helps_me = BoundedTextField("What helps me", blank=True, max_length=ANSWER)
    better_at = BoundedTextField("What I want to get better at", blank=True, max_length=ANSWER)
    who_at_meeting = BoundedTextField("Who I want at my meeting", blank=True, max_length=text_limits.SHORT)
    take_part = models.CharField("How I want to take part", max_length=20, blank=True, choices=TakePart.choices)
    school = models.CharField("How school is going", max_length=20, blank=True, choices=Feeling.choices)
    learning = models.CharField("How my learning is going", max_length=20, blank=True, choices=Feeling.choices)
    picture = models.CharField("The picture's name in the documents storage", max_length=255, blank=True)
    picture_type = models.CharField(max_length=20, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    taken = models.JSONField("The answers taken into Section B", default=list, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.child.first_name}'s own words for {self.pep}"

    @property
    def audit_child_id(self):
        return self.child_id

    @property
    def audit_pep_id(self):
        return self.pep_id


class CodeAttempt(models.Model):
    """A code typed that matched no invitation: what the limits per address and over every address count."""

    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"A wrong code from {self.ip_address} at {self.at:%Y-%m-%d %H:%M}"
