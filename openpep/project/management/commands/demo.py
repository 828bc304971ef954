"""``manage.py demo``: load the synthetic demonstration data, once."""

from django.core import mail
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from openpep.demo import (
    MARKER_EMAIL,
    PASSWORD,
    build_demo,
    build_sso_council,
    demo_exists,
    sso_council_exists,
    sso_summary,
    summary,
)


class Command(BaseCommand):
    help = (
        "Load invented demonstration data: two councils, three schools, staff in every role "
        f"(password ‘{PASSWORD}’) and about 30 children with PEPs at every stage; and a second council running "
        "OpenPEP, whose staff sign in with their council account. Does nothing when the data is already there."
    )

    def handle(self, *args, **options):
        if demo_exists():
            if sso_council_exists():
                self.stdout.write(f"The demo data is already loaded ({MARKER_EMAIL} exists): nothing to do.")
            else:  # loaded before the demo had its second council: add that alone
                self.stdout.write(self.style.SUCCESS("\n".join(sso_summary(build_sso_council()))))
            return
        # The services e-mail everyone the demo invites to a meeting. Those e-mails are
        # kept in memory and dropped: loading the demo should not fill the console (or,
        # with SMTP configured, anyone's mailbox) with invitations to invented meetings.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            result = build_demo()
            held_back = len(getattr(mail, "outbox", []))
            mail.outbox = []
        self.stdout.write(self.style.SUCCESS("\n".join(summary(result))))
        if held_back:
            self.stdout.write(f"({held_back} e-mails the demo would have sent were held back.)")
