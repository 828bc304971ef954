"""What the import commands share: --dry-run, progress on stderr, errors, exit status."""

from django.core.management.base import BaseCommand, CommandError

from openpep.people.models import LocalAuthority

from .reading import Report


class ImportCommand(BaseCommand):
    unit = "rows"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing")

    def progress(self, path: str, count: int) -> None:
        self.stderr.write(f"{path}: {count} rows read…")

    def authority(self, code: str) -> LocalAuthority:
        try:
            return LocalAuthority.objects.get(code=code)
        except LocalAuthority.DoesNotExist:
            raise CommandError(f"There is no local authority with LA code {code!r}") from None

    def finish(self, report: Report) -> None:
        for problem in report.problems:
            self.stderr.write(str(problem))
        for change in report.changes:
            self.stdout.write(str(change))
        self.stdout.write(report.summary(self.unit))
        if report.failed:
            raise CommandError(f"{len(report.problems)} errors: see the lines above", returncode=1)
