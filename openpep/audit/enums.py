from django.db import models


class Verb(models.TextChoices):
    CREATED = "created", "created"
    UPDATED = "updated", "updated"
    DELETED = "deleted", "deleted"
    MOVED = "moved", "moved"
    ALLOCATED = "allocated", "changed the allocated social worker of"
    ENROLLED = "enrolled", "recorded a change of school for"
    PLACED = "placed", "recorded a change of placement for"
    DOWNLOADED = "downloaded", "downloaded"
    VIEWED = "viewed", "viewed"
    REFUSED = "refused", "was refused"
