from django.core.management.base import BaseCommand

from openpep.quality.measure import all_peps, report, shares


class Command(BaseCommand):
    help = "Print the share of PEPs each check before submission catches (whatever each check is set to)."

    def handle(self, *args, **options):
        for line in report(shares(all_peps())):
            self.stdout.write(line)
