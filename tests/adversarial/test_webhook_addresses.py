"""Webhooks cannot be pointed inside (issue 15, point 8).

A Virtual School head types a webhook's address; OpenPEP then POSTs to it from inside its own
network. Every address a name resolves to is checked — loopback, private, link-local (the cloud's
metadata service), shared, multicast, reserved and unspecified addresses are refused, in every
spelling (decimal, octal and hex IPv4, IPv4 inside IPv6) — when the webhook is saved and again at
each delivery, where the connection is made to the address checked and a redirect is not followed.
Real traffic goes only to receivers on this machine's loopback, which the deployment setting
``WEBHOOK_ALLOWED_INTERNAL_HOSTS`` lets through.
"""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from openpep.api import addresses, services
from openpep.api.enums import DeliveryState, Event
from openpep.api.models import Delivery, Webhook
from openpep.plans.enums import Status
from tests.builders import cast_of, pep_in
from tests.fixtures import sign_in

INSIDE = [
    "https://localhost/hook",
    "https://LOCALHOST/hook",
    "https://127.0.0.1/hook",
    "https://127.1.2.3:8443/hook",
    "https://2130706433/hook",  # 127.0.0.1 as one decimal number
    "https://0177.0.0.1/hook",  # octal
    "https://0x7f.0.0.1/hook",  # hex
    "https://0/hook",  # 0.0.0.0
    "https://0.0.0.0/hook",
    "https://10.0.0.1/hook",
    "https://172.16.5.4/hook",
    "https://192.168.1.1/hook",
    "https://169.254.169.254/latest/meta-data/",  # cloud metadata
    "https://100.64.0.1/hook",  # carrier-grade NAT
    "https://192.0.2.1/hook",  # documentation
    "https://198.18.0.1/hook",  # benchmarking
    "https://224.0.0.1/hook",  # multicast
    "https://240.0.0.1/hook",  # reserved
    "https://255.255.255.255/hook",
    "https://[::1]/hook",
    "https://[::]/hook",
    "https://[::ffff:127.0.0.1]/hook",  # IPv4-mapped
    "https://[::ffff:169.254.169.254]/hook",
    "https://[::127.0.0.1]/hook",  # IPv4-compatible
    "https://[64:ff9b::a9fe:a9fe]/hook",  # NAT64 of 169.254.169.254
    "https://[2002:7f00:1::]/hook",  # 6to4 of 127.0.0.1
    "https://[fe80::1]/hook",  # link-local
    "https://[fc00::1]/hook",  # unique local
    "https://[fd00:ec2::254]/hook",  # AWS's IPv6 metadata
    "https://[ff02::1]/hook",  # multicast
    "https://[2001:db8::1]/hook",  # documentation
]
OUTSIDE = ["https://93.184.215.14/hook", "https://[2606:4700:4700::1111]/hook", "http://8.8.8.8:8080/x?y=1"]


class Receiver:
    """A real HTTP server on loopback answering every POST with ``status`` (and ``location``)."""

    def __init__(self, status=204, location=None):
        self.received = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                receiver.received.append(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.end_headers()

            do_GET = do_POST  # what a client following a redirect may turn the POST into

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("url", INSIDE)
def test_every_inside_address_is_refused_in_every_spelling(url, settings):
    settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS = []
    with pytest.raises(addresses.RefusedAddress, match="inside a private network"):
        addresses.check(url)
    with pytest.raises(addresses.RefusedAddress):
        addresses.post(url, b"{}", {}, timeout=1)


def test_addresses_on_the_internet_pass_the_check(tally):
    for url in OUTSIDE:
        target = addresses.resolve(url)
        assert len(target.addresses) == 1 and not addresses.is_internal(
            addresses.ipaddress.ip_address(target.addresses[0])
        )
    assert addresses.resolve(OUTSIDE[2]).path == "/x?y=1"
    # A name not found today may be saved (it may be set up later); each delivery looks again.
    addresses.check("https://hooks.nowhere.invalid/")
    with pytest.raises(addresses.NotFound, match="hooks.nowhere.invalid could not be found"):
        addresses.post("https://hooks.nowhere.invalid/", b"{}", {}, timeout=1)
    tally("webhook addresses inside the network", len(INSIDE))


def test_the_admin_page_refuses_an_inside_address_and_keeps_what_was_typed(world, client, settings, tally):
    settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS = []
    sign_in(client, world.vs_admin)
    for url in ("https://localhost/hook", "https://169.254.169.254/latest/meta-data/", "https://[::ffff:10.0.0.1]/"):
        page = client.post(
            "/admin/connected-systems/webhooks/add/", {"name": "Mosaic", "url": url, "events": ["pep.signed_off"]}
        )
        html = page.content.decode()
        assert page.status_code == 200 and 'class="govuk-error-summary"' in html
        assert "Enter the address of a system on the internet" in html and "inside a private network" in html
        assert f'value="{url}"' in html and 'value="Mosaic"' in html
    assert not Webhook.objects.exists()
    # The service refuses it too, whoever calls it.
    with pytest.raises(addresses.RefusedAddress):
        services.add_webhook(
            world.vs_admin, world.authority, name="X", url="https://127.0.0.1/", events=["pep.submitted"]
        )
    assert not Webhook.objects.exists()
    tally("webhook addresses inside the network, saved through the page", 4)


def _one_delivery(world, webhook, django_capture_on_commit_callbacks) -> Delivery:
    with django_capture_on_commit_callbacks(execute=True):
        pep_in(cast_of(world), Status.SIGNED_OFF)
    return Delivery.objects.get(webhook=webhook)


def test_an_allowed_internal_host_is_delivered_to(world, settings, django_capture_on_commit_callbacks):
    settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS = ["127.0.0.1"]
    with Receiver() as receiver:
        url = f"http://127.0.0.1:{receiver.port}/openpep"
        webhook = services.add_webhook(
            world.vs_admin, world.authority, name="Mosaic", url=url, events=[Event.SIGNED_OFF]
        )
        delivery = _one_delivery(world, webhook, django_capture_on_commit_callbacks)
        assert services.deliver_due() == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and len(receiver.received) == 1


def test_delivery_checks_again_and_sends_nothing_inside(world, settings, django_capture_on_commit_callbacks, tally):
    """Saved while allowed (or before this check, or while its name resolved outside): when the
    address is inside at delivery, nothing is sent, and the attempt says why."""
    settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS = ["127.0.0.1"]
    with Receiver() as receiver:
        url = f"http://127.0.0.1:{receiver.port}/openpep"
        webhook = services.add_webhook(
            world.vs_admin, world.authority, name="Mosaic", url=url, events=[Event.SIGNED_OFF]
        )
        settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS = []
        delivery = _one_delivery(world, webhook, django_capture_on_commit_callbacks)
        assert services.deliver_due() == 0
    delivery.refresh_from_db()
    assert receiver.received == []
    assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, 1)
    attempt = delivery.tries.get()
    assert attempt.status_code is None
    assert attempt.error == (
        "Not sent: 127.0.0.1 is an address inside a private network (127.0.0.1): "
        "events are only sent to systems on the internet"
    )
    tally("webhook deliveries to an inside address", 1)


def test_a_redirect_is_not_followed(world, settings, django_capture_on_commit_callbacks, tally):
    """The allowed receiver answers 302 to a host that is not allowed (this machine by another
    name): the second server receives nothing and the attempt is a failure."""
    settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS = ["127.0.0.1"]
    with Receiver() as inside, Receiver(status=302, location=f"http://localhost:{inside.port}/x") as redirecting:
        url = f"http://127.0.0.1:{redirecting.port}/openpep"
        webhook = services.add_webhook(
            world.vs_admin, world.authority, name="Mosaic", url=url, events=[Event.SIGNED_OFF]
        )
        delivery = _one_delivery(world, webhook, django_capture_on_commit_callbacks)
        assert services.deliver_due() == 0
    delivery.refresh_from_db()
    assert len(redirecting.received) == 1 and inside.received == []
    attempt = delivery.tries.get()
    assert (attempt.status_code, attempt.error) == (302, "HTTP 302 (redirects are not followed)")
    tally("webhook redirects inside", 1)
