"""``manage.py raise_warnings``: raise today's early warnings now, as the worker does daily."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from openpep.warnings.services import raise_warnings


class Command(BaseCommand):
    help = "Raise the early warnings the councils' rules call for, each once (the worker runs this daily)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to raise them for (YYYY-MM-DD); default today")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date: {error}") from error
        raised = raise_warnings(today)
        self.stdout.write(f"{len(raised)} early warning{'s' if len(raised) != 1 else ''} raised")
