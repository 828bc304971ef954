from django.core.management.base import BaseCommand, CommandError

from openpep.api import exchange, parsing
from openpep.people.models import LocalAuthority


class Command(BaseCommand):
    help = (
        "Import a PEP exchange document into a local authority: validated against its JSON Schema, all or "
        "nothing; importing it again makes nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The exchange document (JSON)")
        parser.add_argument("--authority", required=True, help="LA code of the authority now looking after the child")

    def handle(self, *args, file, authority, **options):
        found = LocalAuthority.objects.filter(code=authority).first()
        if found is None:
            raise CommandError(f"No local authority with code {authority}")
        try:
            # The API's limits on size and depth: what one refuses, the other does too.
            with open(file, "rb") as handle:
                document = parsing.loads(parsing.read(handle, "The file").decode("utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"{file}: cannot read it as JSON: {error}") from None
        try:
            result = exchange.import_history(document, found)
        except exchange.InvalidDocument as invalid:
            raise CommandError(
                f"{file} is not a valid PEP exchange document:\n" + "\n".join(invalid.problems)
            ) from None
        made = ", ".join(f"{n} {k}" for k, n in sorted(result.created.items())) or "nothing"
        skipped = ", ".join(f"{n} {k}" for k, n in sorted(result.skipped.items())) or "nothing"
        self.stdout.write(f"Imported child {result.child.pk}: made {made}; already here: {skipped}")
