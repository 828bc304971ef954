from openpep.imports.command import ImportCommand
from openpep.imports.dfe_rules import RULESETS
from openpep.imports.ssda903 import import_903


class Command(ImportCommand):
    help = "Load children and their placements from the SSDA903 Header and Episodes tables."
    unit = "children"

    def add_arguments(self, parser):
        parser.add_argument("header")
        parser.add_argument("episodes")
        parser.add_argument("--authority", required=True, help="LA code of the authority looking after the children")
        parser.add_argument(
            "--year",
            choices=list(RULESETS),
            help="Collection year whose DfE validation rules the problems are coded by "
            "(default: the year of the latest date in the Episodes file)",
        )
        super().add_arguments(parser)

    def handle(self, *args, header, episodes, authority, dry_run, year, **options):
        la = self.authority(authority)
        self.finish(import_903(header, episodes, la, dry_run=dry_run, progress=self.progress, year=year))
