from openpep.imports.cohorts import import_orders
from openpep.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Load children in kinship care and previously looked-after children from a CSV of their orders "
        "(LAchildID, UPN, Cohort, OrderType, OrderDate, OrderEndDate, LookedAfterIn)."
    )
    unit = "children"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--authority", required=True, help="LA code of the council whose children these are")
        super().add_arguments(parser)

    def handle(self, *args, file, authority, dry_run, **options):
        la = self.authority(authority)
        self.finish(import_orders(file, la, dry_run=dry_run, progress=self.progress))
