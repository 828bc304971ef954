from openpep.imports.command import ImportCommand
from openpep.imports.gias import import_gias


class Command(ImportCommand):
    help = "Load schools from the Get Information about Schools establishments CSV (upserts by URN)."
    unit = "schools"

    def add_arguments(self, parser):
        parser.add_argument("file")
        super().add_arguments(parser)

    def handle(self, *args, file, dry_run, **options):
        self.finish(import_gias(file, dry_run=dry_run, progress=self.progress))
