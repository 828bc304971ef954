"""An e-mail backend that sends through GOV.UK Notify with its official client.

Optional: set EMAIL_BACKEND=openpep.notify.NotifyEmailBackend, NOTIFY_API_KEY and
NOTIFY_TEMPLATE_ID. Notify sends from templates, so the service has one e-mail
template whose subject is ((subject)) and whose body is ((body)); every e-mail the
application writes goes through it unchanged. Notify cannot attach files to an
e-mail sent this way, so a meeting's .ics is left out: its text already gives the
date, time and place."""

import logging

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.notifications import NotificationsAPIClient

log = logging.getLogger(__name__)


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.client = NotificationsAPIClient(settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL)
        self.template_id = settings.NOTIFY_TEMPLATE_ID

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            try:
                for address in message.recipients():
                    self.client.send_email_notification(
                        email_address=address,
                        template_id=self.template_id,
                        personalisation={"subject": message.subject, "body": message.body},
                    )
            except Exception:
                if not self.fail_silently:
                    raise
                log.exception("GOV.UK Notify refused an e-mail")
            else:
                sent += 1
        return sent
