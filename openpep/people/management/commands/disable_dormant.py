from django.conf import settings
from django.core.management.base import BaseCommand

from openpep.people.services import disable_dormant_accounts


class Command(BaseCommand):
    help = "Disable accounts nobody has signed in to for DORMANT_AFTER_DAYS days (the worker runs this daily)."

    def handle(self, *args, **options):
        count = disable_dormant_accounts()
        self.stdout.write(f"Disabled {count} accounts unused for {settings.DORMANT_AFTER_DAYS} days")
