"""The Notify backend drives the official client against a stand-in for Notify's API on
127.0.0.1 (no request leaves the machine), so what it sends is what Notify would receive."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.mail import EmailMessage, send_mail

SERVICE_ID = "4f8a1e9c-3b2d-4c6e-8a7f-1d2e3f4a5b6c"
SECRET = "9c8b7a6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"
TEMPLATE_ID = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"


class StandInNotify(BaseHTTPRequestHandler):
    received: list = []
    status = 201

    def do_POST(self):  # noqa: N802 (the http.server API)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append((self.path, self.headers["Authorization"].split(" ")[0], body))
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"id": "1", "errors": [{"message": "refused"}]}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def notify(settings):
    StandInNotify.received = []
    StandInNotify.status = 201
    server = HTTPServer(("127.0.0.1", 0), StandInNotify)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.EMAIL_BACKEND = "openpep.notify.NotifyEmailBackend"
    settings.NOTIFY_API_KEY = f"openpep_test-{SERVICE_ID}-{SECRET}"
    settings.NOTIFY_TEMPLATE_ID = TEMPLATE_ID
    settings.NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    yield StandInNotify
    server.shutdown()


def test_notify_backend_sends_each_recipient_through_the_template(notify):
    sent = send_mail(
        "Reminder: record Amira's views", "Sign in to see it", None, ["dt@test.example", "sw@test.example"]
    )

    assert sent == 1
    assert [
        (path, scheme, body["email_address"], body["template_id"], body["personalisation"])
        for path, scheme, body in notify.received
    ] == [
        (
            "/v2/notifications/email",
            "Bearer",
            "dt@test.example",
            TEMPLATE_ID,
            {"subject": "Reminder: record Amira's views", "body": "Sign in to see it"},
        ),
        (
            "/v2/notifications/email",
            "Bearer",
            "sw@test.example",
            TEMPLATE_ID,
            {"subject": "Reminder: record Amira's views", "body": "Sign in to see it"},
        ),
    ]


def test_notify_backend_raises_when_notify_refuses(notify):
    notify.status = 400

    with pytest.raises(Exception, match="400"):
        EmailMessage("Subject", "Body", None, ["dt@test.example"]).send()
