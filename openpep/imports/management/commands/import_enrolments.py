from openpep.imports.command import ImportCommand
from openpep.imports.enrolments import import_enrolments


class Command(ImportCommand):
    help = "Load which school each child attends (CHILD or UPN, URN, START DATE, END DATE)."
    unit = "children"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--authority", required=True, help="LA code of the authority looking after the children")
        super().add_arguments(parser)

    def handle(self, *args, file, authority, dry_run, **options):
        la = self.authority(authority)
        self.finish(import_enrolments(file, la, dry_run=dry_run, progress=self.progress))
