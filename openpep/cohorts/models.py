"""The Virtual School's work with its wider cohort: a council's settings (``CohortSettings``), its
topics of advice (``CaseworkTopic``) and the casework log (``CaseworkEntry``)."""

from django.conf import settings
from django.db import models

from openpep.children.models import Child
from openpep.people.models import LocalAuthority
from openpep.text_limits import SHORT, BoundedTextField

from .enums import GivenTo, How


class CohortSettings(models.Model):
    """A council's choices about its wider cohort. An authority with no row shares nothing with
    schools (``for_authority_id``), so reading never writes."""

    local_authority = models.OneToOneField(LocalAuthority, on_delete=models.CASCADE, related_name="cohort_settings")
    share_with_schools = models.BooleanField(
        "Show the wider cohort to Designated Teachers",
        default=False,
        help_text="Designated Teachers see the children of their school who are previously looked after, have "
        "a social worker or are in kinship care, and the advice shared with the school; never their PEPs or records",
    )

    FIELDS = ("share_with_schools",)

    class Meta:
        verbose_name_plural = "cohort settings"

    def __str__(self):
        return f"Cohort settings of {self.local_authority}"

    @classmethod
    def for_authority_id(cls, authority_id: int) -> "CohortSettings":
        return cls.objects.filter(local_authority_id=authority_id).first() or cls(local_authority_id=authority_id)


class CaseworkTopic(models.Model):
    """A topic of advice in a council's list. Retired, never deleted: entries keep theirs."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="casework_topics")
    name = models.CharField(max_length=100)
    active = models.BooleanField("In use", default=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["local_authority", "name"], name="casework_topic_unique")]

    def __str__(self):
        return self.name


class CaseworkEntry(models.Model):
    """Advice the Virtual School gave about a child: when, to whom, by whom, how, on what topic,
    what was said, when to follow it up and whether the child's school's Designated Teacher sees it."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="casework")
    given_on = models.DateField("Date")
    given_to = models.CharField("Given to", max_length=20, choices=GivenTo.choices)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="casework_given")
    how = models.CharField("How", max_length=10, choices=How.choices)
    topic = models.ForeignKey(CaseworkTopic, on_delete=models.PROTECT, related_name="entries")
    notes = BoundedTextField("Notes", max_length=SHORT)
    follow_up_on = models.DateField("Follow-up date", null=True, blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    shared_with_school = models.BooleanField("Shared with the school", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name_plural = "casework entries"
        indexes = [models.Index(fields=["given_by", "followed_up_at"], name="casework_follow_ups")]

    def __str__(self):
        return f"Advice on {self.topic} to {self.get_given_to_display().lower()} on {self.given_on}"

    @property
    def audit_child_id(self) -> int:
        return self.child_id
