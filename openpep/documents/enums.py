from django.db import models


class CopyKind(models.TextChoices):
    """The two documents made of a PEP. The school section is what the school keeps."""

    WHOLE = "whole", "Whole PEP"
    SCHOOL = "school", "School section (Sections B and D)"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being prepared"
    DONE = "done", "Ready to download"
    FAILED = "failed", "Failed"


#: How a sentence names each kind: "Download the whole PEP".
KIND_NOUNS = {CopyKind.WHOLE: "the whole PEP", CopyKind.SCHOOL: "the school section"}
