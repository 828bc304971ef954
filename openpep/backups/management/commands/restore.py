from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from openpep.backups.archive import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive made by `backup` into an empty database and an empty documents folder, "
        "then check every table and document against its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive, **options):
        if not archive.is_file():
            raise CommandError(f"No such file: {archive}")
        try:
            manifest = restore_backup(archive)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}: {len(manifest['tables'])} tables ({rows} rows) and "
            f"{len(manifest['documents'])} documents, all matching the manifest"
        )
