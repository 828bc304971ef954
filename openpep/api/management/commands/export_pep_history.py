import json

from django.core.management.base import BaseCommand, CommandError

from openpep.api import exchange
from openpep.children.models import Child


class Command(BaseCommand):
    help = "Write a child's whole PEP history as a PEP exchange document (JSON, see docs/pep-exchange-schema.json)."

    def add_arguments(self, parser):
        parser.add_argument("child_id", type=int, help="The child's id in this OpenPEP")
        parser.add_argument("--output", "-o", help="File to write (default: standard output)")

    def handle(self, *args, child_id, output, **options):
        child = Child.objects.select_related("local_authority").filter(pk=child_id).first()
        if child is None:
            raise CommandError(f"No child with id {child_id}")
        text = json.dumps(exchange.export_history(child), indent=2, ensure_ascii=False)
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text + "\n")
            self.stderr.write(f"Wrote the PEP history of child {child_id} to {output}")
        else:
            self.stdout.write(text)
