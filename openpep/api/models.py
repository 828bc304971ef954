"""Connected systems: their API tokens, their webhooks and what was delivered, and the
exchange IDs of what was imported from another OpenPEP."""

from django.conf import settings
from django.db import models

from openpep.people.models import LocalAuthority

from .enums import DeliveryState, Event, Scope


class ApiToken(models.Model):
    """A token for one connected system (not a person) of one local authority.

    Only the SHA-256 of the secret is kept; the secret is shown once, when made.
    ``principal`` is an account that cannot sign in and holds the authority's
    Virtual School membership, so the API scopes what a token sees with the very
    queries the pages use (``children_for``, ``peps_for``)."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField("Name of the connected system", max_length=100)
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(max_length=16, unique=True, help_text="Shown to tell tokens apart; not secret")
    secret_hash = models.CharField(max_length=64, unique=True)
    principal = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_token")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.READ_WRITE and self.revoked_at is None


class Webhook(models.Model):
    """An address of a connected system that is told when a PEP of the authority moves."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="webhooks")
    name = models.CharField("Name of the connected system", max_length=100)
    url = models.URLField("Address to send events to", max_length=500)
    # Kept as written: the HMAC of each delivery is computed with it.
    secret = models.CharField(max_length=100)
    events = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name}: {self.url}"

    def event_labels(self) -> list[str]:
        return [Event(e).label for e in self.events if e in Event.values]


class Delivery(models.Model):
    """One event for one webhook, tried until the receiver answers 2xx (or it is given up)."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=30, choices=Event.choices)
    key = models.CharField(max_length=100, help_text="What happened, once: a PEP's move (its time) or a due date")
    pep_id = models.BigIntegerField()
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["webhook", "key"], name="one_delivery_per_event")]

    def __str__(self):
        return f"{self.event} for PEP {self.pep_id} to {self.webhook_id}"


class DeliveryAttempt(models.Model):
    """The log: each POST, with what came back."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    milliseconds = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"Attempt at {self.at:%Y-%m-%d %H:%M:%S}: {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class ExchangeId(models.Model):
    """The stable ID an object had in the PEP exchange document it was imported from,
    so a second import finds it instead of making it again, and a later export keeps the ID."""

    kind = models.CharField(max_length=20)
    exchange_id = models.CharField(max_length=200)
    object_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "exchange_id"], name="exchange_id_unique"),
            models.UniqueConstraint(fields=["kind", "object_id"], name="exchange_object_unique"),
        ]

    def __str__(self):
        return f"{self.kind} {self.exchange_id} -> {self.object_id}"
