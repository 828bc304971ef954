import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q

from openpep import text_limits
from openpep.children.models import Child
from openpep.plans.models import Pep
from openpep.text_limits import BoundedTextField

from .enums import CopyKind, JobStatus


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class StoredCopy(models.Model):
    """The PDF of a signed-off PEP, rendered once when it was signed off and kept as it was.

    The file lives in the ``documents`` storage under ``path``; ``sha256`` is checked
    every time it is read, so a file changed on disk is refused rather than served.
    A row is never updated or deleted (like an audit entry)."""

    pep = models.ForeignKey(Pep, on_delete=models.PROTECT, related_name="stored_copies")
    kind = models.CharField(max_length=10, choices=CopyKind.choices)
    path = models.CharField(max_length=255, help_text="The file's name in the documents storage")
    size = models.PositiveIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Whose sign-off produced it: the name in its footer",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pep_id", "kind"]
        verbose_name_plural = "stored copies"
        constraints = [models.UniqueConstraint(fields=["pep", "kind"], name="one_stored_copy_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.pep}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("A stored copy of a signed-off PEP cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("A stored copy of a signed-off PEP cannot be deleted")

    @property
    def audit_child_id(self):
        return self.pep.child_id

    @property
    def audit_pep_id(self):
        return self.pep_id


class ExportJob(models.Model):
    """A subject-access export of everything held about one child, made by the worker.

    ``include_carer_details`` is only ever true with a reason (a constraint says so):
    carers are third parties, whose details leave OpenPEP only on a Virtual School
    officer's recorded decision."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="export_jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    include_carer_details = models.BooleanField("Include carer details", default=False)
    carer_details_reason = BoundedTextField("Why carer details are included", blank=True, max_length=text_limits.SHORT)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done, 0 to 100")
    step = models.CharField(max_length=200, blank=True, help_text="What the worker is doing now")
    file = models.CharField(max_length=255, blank=True, help_text="The ZIP's name in the documents storage")
    size = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    error = BoundedTextField(blank=True, max_length=text_limits.SHORT)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_at_most_100"),
            models.CheckConstraint(
                condition=Q(include_carer_details=False) | ~Q(carer_details_reason=""),
                name="export_carer_details_need_a_reason",
            ),
        ]

    def __str__(self):
        return f"Subject-access export for {self.child} ({self.created_at:%d %b %Y %H:%M})"

    @property
    def audit_child_id(self):
        return self.child_id

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
