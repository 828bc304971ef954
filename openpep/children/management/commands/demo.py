"""``manage.py demo``: load the synthetic demonstration data, once."""

from django.core.management.base import BaseCommand

from openpep.demo import MARKER_EMAIL, PASSWORD, build_demo, demo_exists, summary


class Command(BaseCommand):
    help = (
        "Load invented demonstration data: two councils, three schools, staff in every role "
        f"(password ‘{PASSWORD}’) and about 30 children with PEPs at every stage. Does nothing when "
        "the data is already there."
    )

    def handle(self, *args, **options):
        if demo_exists():
            self.stdout.write(f"The demo data is already loaded ({MARKER_EMAIL} exists): nothing to do.")
            return
        result = build_demo()
        self.stdout.write(self.style.SUCCESS("\n".join(summary(result))))
