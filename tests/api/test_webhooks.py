"""Webhooks: a real local HTTP receiver that fails twice, then accepts."""

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from openpep.api import services
from openpep.api.enums import DeliveryState, Event
from openpep.api.models import Delivery
from openpep.plans.enums import Status
from tests.builders import cast_of, pep_in
from tests.fixtures import sign_in


@pytest.fixture(autouse=True)
def receivers_on_this_machine(settings):
    """The receivers here listen on loopback, which webhooks may reach only when allowed."""
    settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS = ["127.0.0.1"]


class Receiver:
    def __init__(self, failures: int):
        self.failures = failures
        self.received = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((self.headers, body))
                status = 503 if len(receiver.received) <= receiver.failures else 204
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_port}/openpep"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_a_delivery_survives_a_receiver_that_fails_twice(world, settings, django_capture_on_commit_callbacks, client):
    settings.WEBHOOK_RETRY_SECONDS = 30
    with Receiver(failures=2) as receiver:
        webhook = services.add_webhook(
            world.vs_admin, world.authority, name="Case system", url=receiver.url, events=[Event.SIGNED_OFF]
        )
        with django_capture_on_commit_callbacks(execute=True):
            pep = pep_in(cast_of(world), Status.SIGNED_OFF)
        delivery = Delivery.objects.get(webhook=webhook)
        assert delivery.event == Event.SIGNED_OFF and delivery.pep_id == pep.pk

        now = timezone.now()
        assert services.deliver_due(now) == 0  # 503
        delivery.refresh_from_db()
        assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, 1)
        assert delivery.next_attempt_at == now + datetime.timedelta(seconds=30)
        assert services.deliver_due(now + datetime.timedelta(seconds=29)) == 0  # not yet: nothing sent
        assert len(receiver.received) == 1
        assert services.deliver_due(now + datetime.timedelta(seconds=30)) == 0  # 503 again
        delivery.refresh_from_db()
        assert delivery.next_attempt_at == now + datetime.timedelta(seconds=30 + 60)  # backing off
        assert services.deliver_due(now + datetime.timedelta(seconds=90)) == 1
        delivery.refresh_from_db()
        assert (delivery.state, delivery.attempts) == (DeliveryState.DELIVERED, 3)
        assert services.deliver_due(now + datetime.timedelta(days=1)) == 0  # once only

    assert len(receiver.received) == 3
    headers, body = receiver.received[-1]
    assert headers["X-OpenPEP-Event"] == "pep.signed_off"
    assert services.verify(webhook.secret, headers["X-OpenPEP-Signature"], body)
    assert not services.verify("another secret", headers["X-OpenPEP-Signature"], body)
    assert not services.verify(webhook.secret, headers["X-OpenPEP-Signature"], body + b" ")
    payload = json.loads(body)
    assert payload["pep"] == {
        "id": pep.pk,
        "child_id": world.child.pk,
        "status": "signed_off",
        "url": payload["pep"]["url"],
    }
    assert "first_name" not in body.decode()

    # The Virtual School head reads the log: two failures, then delivered.
    sign_in(client, world.vs_admin)
    page = client.get(f"/admin/connected-systems/webhooks/{webhook.pk}/").content.decode()
    assert page.count("HTTP 503") == 2 and "HTTP 204" in page and "Delivered" in page


def test_submitted_returned_and_overdue_events(world, django_capture_on_commit_callbacks):
    webhook = services.add_webhook(
        world.vs_admin, world.authority, name="All", url="http://127.0.0.1:9/none", events=list(Event.values)
    )
    with django_capture_on_commit_callbacks(execute=True):
        pep = pep_in(cast_of(world), Status.RETURNED_TO_SW)
    assert sorted(webhook.deliveries.values_list("event", flat=True)) == ["pep.returned", "pep.submitted"]

    from openpep.clock.models import PepClock

    PepClock.objects.update_or_create(pep=pep, defaults={"pep_due": timezone.localdate() - datetime.timedelta(days=2)})
    assert services.queue_overdue() == 1
    assert services.queue_overdue() == 0  # once per due date
    assert webhook.deliveries.filter(event=Event.OVERDUE).count() == 1
    # An address that refuses the connection is logged and tried again later.
    services.deliver_due()
    overdue = webhook.deliveries.get(event=Event.OVERDUE)
    assert overdue.attempts == 1 and overdue.tries.get().status_code is None and overdue.tries.get().error


def test_the_worker_sends_what_is_due(world, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    with Receiver(failures=0) as receiver:
        webhook = services.add_webhook(
            world.vs_admin, world.authority, name="Case system", url=receiver.url, events=[Event.SUBMITTED]
        )
        with django_capture_on_commit_callbacks(execute=True):
            pep_in(cast_of(world), Status.SUBMITTED)
        call_command("worker", "--once")
    assert webhook.deliveries.get().state == DeliveryState.DELIVERED
    assert len(receiver.received) == 1
