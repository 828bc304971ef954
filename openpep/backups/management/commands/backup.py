from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from openpep.backups.archive import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and the stored documents into one archive with a manifest of checksums."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", default=settings.BACKUP_DIR, help="Where to write the archive")

    def handle(self, *args, output_dir, **options):
        try:
            archive, manifest = create_backup(Path(output_dir))
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stderr.write(
            f"{len(manifest['tables'])} tables ({rows} rows) and {len(manifest['documents'])} documents backed up"
        )
        self.stdout.write(str(archive))
