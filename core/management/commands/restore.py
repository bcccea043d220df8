"""`manage.py restore <folder>`: replace the database and media with a backup's."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from core.backups import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database and media "
        "storage, replacing what is there. Meant for an empty installation."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The backup folder, e.g. backups/situation-desk-…")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, folder, interactive, **options):
        try:
            manifest = read_manifest(Path(folder))
            if interactive:
                database = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
                answer = input(
                    f"This replaces the database {database} and the media files with the backup "
                    f"made {manifest['created']}. Type 'yes' to continue: "
                )
                if answer != "yes":
                    raise CommandError("Restore cancelled.")
            restore_backup(Path(folder))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the database and {manifest['media_files']} media files from {folder}. "
            "If this code is newer than the backup, run `manage.py migrate` next."
        )
