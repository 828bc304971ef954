from django.conf import settings
from django.db import models


class Draft(models.Model):
    """What one person typed into one PEP section's form and has not saved: the form's fields as
    posted (name → list of values), kept by the page's autosave or by the request that found
    their session had run out. One per person and form (its path); only its owner ever sees it.
    Deleted when the section is saved or the draft discarded, and after ``DRAFT_DAYS``."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    pep = models.ForeignKey("plans.Pep", on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=200, help_text="The form's address, e.g. /peps/12/views/")
    data = models.JSONField()
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "path"], name="one_draft_per_person_and_form")]
        indexes = [models.Index(fields=["saved_at"])]

    def __str__(self):
        return f"Draft of {self.path} by {self.owner_id} at {self.saved_at:%Y-%m-%d %H:%M}"

    @property
    def audit_child_id(self):
        return self.pep.child_id

    @property
    def audit_pep_id(self):
        return self.pep_id
