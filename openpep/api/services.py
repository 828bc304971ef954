"""Writes of the api app: tokens, webhooks and their deliveries. Each records its audit entry."""

import datetime
import hashlib
import hmac
import http.client
import json
import logging
import secrets
import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from openpep.audit.enums import Verb
from openpep.audit.services import record, viewed_many
from openpep.people.enums import Role
from openpep.people.models import LocalAuthority, Membership, User
from openpep.plans.enums import Status
from openpep.plans.models import Pep

from . import addresses
from .enums import DeliveryState, Event, Scope
from .models import ApiToken, Delivery, DeliveryAttempt, Webhook

log = logging.getLogger("openpep.api")

TOKEN_START = "opep_"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_token(actor: User, authority: LocalAuthority, *, name: str, scope: Scope) -> tuple[ApiToken, str]:
    """A token for one connected system. Returns it with its secret, which is never stored
    (only its SHA-256) and so can be shown only now. Side effects: the token's principal — an
    account that cannot sign in, holding the authority's Virtual School membership — and an audit entry."""
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    principal = User.objects.create(
        email=f"system-{prefix}@connected-systems.invalid",
        full_name=f"{name} (connected system)",
        job_title="Connected system (API token)",
        password=make_password(None),
    )
    # VS_ADMIN rather than VS_OFFICER: officers are sent invitations and escalations by e-mail.
    # What the token may do is decided by the API, which calls only the services it exposes.
    Membership.objects.create(
        user=principal, role=Role.VS_ADMIN, local_authority=authority, starts_on=timezone.localdate()
    )
    token = ApiToken.objects.create(
        local_authority=authority,
        name=name,
        scope=scope,
        prefix=prefix,
        secret_hash=hash_secret(secret),
        principal=principal,
        created_by=actor,
    )
    record(actor, Verb.CREATED, token, summary=f"Made an API token for {name} ({Scope(scope).label.lower()})")
    return token, secret


@transaction.atomic
def revoke_token(actor: User, token: ApiToken) -> None:
    """Ends the token for good: it authenticates no more, and its principal loses its membership."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return
    now = timezone.now()
    token.revoked_at = now
    token.save(update_fields=["revoked_at"])
    User.objects.filter(pk=token.principal_id).update(is_active=False)
    Membership.objects.filter(user_id=token.principal_id, ends_on__isnull=True).update(ends_on=timezone.localdate())
    record(actor, Verb.REVOKED, token, summary=f"Revoked the API token of {token.name}")


def authenticate(secret: str) -> ApiToken | None:
    """The live token with this secret, its last use noted (at most once a minute)."""
    if not secret.startswith(TOKEN_START):
        return None
    token = (
        ApiToken.objects.select_related("principal", "local_authority")
        .filter(secret_hash=hash_secret(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.principal.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


# Webhooks


def record_reads(principal: User, reads, *, what: str) -> int:
    """A connected system read these records, a page of a list or one: one audit entry each, as
    a page view is one (``reads`` are (record, child_id, pep_id)), all written in one INSERT, so
    a page of 50 costs one write, not 50. Side effects: the audit entries."""
    return viewed_many(principal, reads, summary=f"Read {what} through the API")


@transaction.atomic
def add_webhook(actor: User, authority: LocalAuthority, *, name: str, url: str, events: list[str]) -> Webhook:
    """Side effects: audit entry. The signing secret is made here and shown once. An address
    inside the network is refused (``addresses.RefusedAddress``), as the form refuses it."""
    addresses.check(url)
    webhook = Webhook.objects.create(
        local_authority=authority,
        name=name,
        url=url,
        secret=secrets.token_urlsafe(32),
        events=sorted(set(events)),
        created_by=actor,
    )
    record(actor, Verb.CREATED, webhook, summary=f"Added a webhook for {name}: {url}")
    return webhook


@transaction.atomic
def remove_webhook(actor: User, webhook: Webhook) -> None:
    """Stops sending to it; the delivery log stays."""
    if webhook.removed_at is not None:
        return
    Webhook.objects.filter(pk=webhook.pk).update(removed_at=timezone.now())
    webhook.deliveries.filter(state=DeliveryState.PENDING).update(state=DeliveryState.FAILED)
    record(actor, Verb.DELETED, webhook, summary=f"Removed the webhook of {webhook.name}")


EVENT_OF_STATUS = {
    Status.SUBMITTED: Event.SUBMITTED,
    Status.RETURNED_TO_SCHOOL: Event.RETURNED,
    Status.RETURNED_TO_SW: Event.RETURNED,
    Status.SIGNED_OFF: Event.SIGNED_OFF,
}


def _payload(event: Event, key: str, pep: Pep, occurred_at: datetime.datetime, **extra) -> dict:
    """What a receiver is told: the event and which PEP, nothing about the child; it reads the rest
    through the API with its token."""
    return {
        "id": key,
        "event": event.value,
        "occurred_at": occurred_at.isoformat(),
        "pep": {
            "id": pep.pk,
            "child_id": pep.child_id,
            "status": pep.status,
            "url": f"{settings.SITE_URL}/api/v1/peps/{pep.pk}/",
        },
        **extra,
    }


def _queue(event: Event, key: str, pep: Pep, occurred_at: datetime.datetime, **extra) -> int:
    webhooks = Webhook.objects.filter(
        local_authority_id=pep.child.local_authority_id, removed_at__isnull=True, created_at__lte=occurred_at
    )
    made = 0
    for webhook in webhooks:
        if event.value not in webhook.events:
            continue
        try:
            with transaction.atomic():
                Delivery.objects.create(
                    webhook=webhook,
                    event=event,
                    key=key,
                    pep_id=pep.pk,
                    payload=_payload(event, key, pep, occurred_at, **extra),
                    next_attempt_at=timezone.now(),
                )
                made += 1
        except IntegrityError:
            pass  # queued already: each event once per webhook
    return made


def queue_move(pep: Pep, to: Status, at: datetime.datetime) -> int:
    """Deliveries for one move of a PEP (``plans.signals.pep_moved``): a move into a status that
    has an event, to each of the authority's webhooks that wants it; once per move."""
    event = EVENT_OF_STATUS.get(Status(to))
    if event is None:
        return 0
    return _queue(event, f"move-{pep.pk}-{at.isoformat()}", pep, at, status=Status(to).value)


def queue_overdue(today: datetime.date | None = None) -> int:
    """A delivery for each PEP in progress whose due date has passed: once per due date."""
    today = today or timezone.localdate()
    # Filtered in Python: SQLite's JSON has no containment, and there are few webhooks.
    authority_ids = {
        w.local_authority_id for w in Webhook.objects.filter(removed_at__isnull=True) if Event.OVERDUE in w.events
    }
    if not authority_ids:
        return 0
    peps = (
        Pep.objects.exclude(status=Status.SIGNED_OFF)
        .filter(clock__pep_due__lt=today, child__local_authority_id__in=authority_ids)
        .select_related("child", "clock")
    )
    made = 0
    for pep in peps:
        due = pep.clock.pep_due
        key = f"overdue-{pep.pk}-{due.isoformat()}"
        made += _queue(Event.OVERDUE, key, pep, timezone.now(), due_on=due.isoformat())
    return made


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value: ``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, *, tolerance: int = 300, now: float | None = None) -> bool:
    """What a receiver does (and the tests): a fresh timestamp and a matching HMAC."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), header)


def _post(delivery: Delivery) -> tuple[int | None, str, int]:
    body = json.dumps(delivery.payload, sort_keys=True).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "OpenPEP-Webhooks/1",
        "X-OpenPEP-Event": delivery.event,
        "X-OpenPEP-Delivery": str(delivery.pk),
        "X-OpenPEP-Signature": sign(delivery.webhook.secret, timestamp, body),
    }
    started = time.monotonic()
    try:
        status = addresses.post(delivery.webhook.url, body, headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS)
        error = "" if 200 <= status < 300 else f"HTTP {status}"
        if 300 <= status < 400:
            error += " (redirects are not followed)"
    except addresses.RefusedAddress as refused:
        status, error = None, f"Not sent: {refused}"[:300]
    except (OSError, http.client.HTTPException, ValueError) as failure:
        status, error = None, (str(failure) or type(failure).__name__)[:300]
    return status, error, int((time.monotonic() - started) * 1000)


def deliver_due(now: datetime.datetime | None = None, limit: int = 100) -> int:
    """POST every delivery whose time has come; a failure is tried again after 1, 2, 4… times
    ``WEBHOOK_RETRY_SECONDS``, and given up after ``WEBHOOK_MAX_ATTEMPTS``. Each delivery is claimed
    by a conditional update first, so several workers never send the same one at once."""
    now = now or timezone.now()
    delivered = 0
    due = Delivery.objects.filter(
        state=DeliveryState.PENDING, next_attempt_at__lte=now, webhook__removed_at__isnull=True
    ).order_by("next_attempt_at", "id")
    for delivery in list(due.select_related("webhook")[:limit]):
        lease = now + datetime.timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * 3)
        claimed = Delivery.objects.filter(
            pk=delivery.pk, state=DeliveryState.PENDING, next_attempt_at=delivery.next_attempt_at
        ).update(next_attempt_at=lease)
        if not claimed:
            continue
        status, error, milliseconds = _post(delivery)
        attempts = delivery.attempts + 1
        ok = status is not None and 200 <= status < 300
        with transaction.atomic():
            DeliveryAttempt.objects.create(
                delivery=delivery, at=now, status_code=status, error=error, milliseconds=milliseconds
            )
            if ok:
                state, next_at, delivered_at = DeliveryState.DELIVERED, now, now
                delivered += 1
            elif attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
                state, next_at, delivered_at = DeliveryState.FAILED, now, None
            else:
                backoff = settings.WEBHOOK_RETRY_SECONDS * 2 ** (attempts - 1)
                state, next_at, delivered_at = DeliveryState.PENDING, now + datetime.timedelta(seconds=backoff), None
            Delivery.objects.filter(pk=delivery.pk).update(
                state=state, attempts=attempts, next_attempt_at=next_at, delivered_at=delivered_at
            )
        if not ok:
            log.warning("Webhook delivery %s failed (attempt %s): %s", delivery.pk, attempts, error or status)
    return delivered


_overdue_looked_at: float | None = None
#: Seconds between looks for newly overdue PEPs (the worker sends what is due every few seconds).
OVERDUE_EVERY = 300


def run_webhooks(today: datetime.date | None = None) -> int:
    """The worker's job: queue overdue events every few minutes, then send what is due."""
    global _overdue_looked_at
    if _overdue_looked_at is None or time.monotonic() - _overdue_looked_at >= OVERDUE_EVERY:
        queue_overdue(today)
        _overdue_looked_at = time.monotonic()
    return deliver_due()
