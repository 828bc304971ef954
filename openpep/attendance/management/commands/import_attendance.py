from openpep.attendance.importer import import_attendance
from openpep.imports.command import ImportCommand


class Command(ImportCommand):
    help = "Load the schools' daily attendance: one row a session (UPN, URN, DATE, SESSION, CODE)."
    unit = "sessions"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--authority", required=True, help="LA code of the authority looking after the children")
        super().add_arguments(parser)

    def handle(self, *args, file, authority, dry_run, **options):
        la = self.authority(authority)
        self.finish(import_attendance(file, la, dry_run=dry_run, progress=self.progress))
