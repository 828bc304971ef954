from openpep.imports.cohorts import import_cin
from openpep.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Load children with a social worker from a CSV shaped like the Children in Need census "
        "(LAchildID, UPN, CINPlanStartDate, CINPlanEndDate, CPPstartDate, CPPendDate)."
    )
    unit = "children"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--authority", required=True, help="LA code of the council whose children these are")
        super().add_arguments(parser)

    def handle(self, *args, file, authority, dry_run, **options):
        la = self.authority(authority)
        self.finish(import_cin(file, la, dry_run=dry_run, progress=self.progress))
