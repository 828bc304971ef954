from django.db import models


class Verb(models.TextChoices):
    """What was done, one verb per kind of act; the label reads "<who> <label> <what>".
    ``UPDATED`` is for edits of what something says; an act with a name of its own has its verb.
    ``MOVED`` is kept for entries written before each move had its verb."""

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
    # A PEP's moves (``plans.workflow.VERB``).
    SUBMITTED = "submitted", "submitted"
    RETURNED = "returned", "returned"
    REOPENED = "reopened", "reopened"
    SIGNED_OFF = "signed_off", "signed off"
    # Decisions: an access request, a PP+ request.
    CONFIRMED = "confirmed", "confirmed"
    APPROVED = "approved", "approved"
    REJECTED = "rejected", "rejected"
    PAID = "paid", "recorded the payment of"
    # Ends of access.
    DEACTIVATED = "deactivated", "deactivated"
    REVOKED = "revoked", "revoked"
    ENDED = "ended", "ended"
    # Meetings.
    SCHEDULED = "scheduled", "scheduled"
    CANCELLED = "cancelled", "cancelled"
    ANSWERED = "answered", "answered"
    SENT = "sent", "sent"
    # Early warnings.
    RAISED = "raised", "raised"
    ACKNOWLEDGED = "acknowledged", "acknowledged"
