"""`manage.py backup`: the database and the media library into one folder (see cms/backups.py)."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and media into a new folder under --output (default: backups/)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=os.environ.get("BACKUP_DIR") or str(Path(settings.BASE_DIR) / "backups"),
            help="Where the backup folder is created (default: $BACKUP_DIR or backups/).",
        )

    def handle(self, *args, output, **options):
        try:
            folder = create_backup(Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(folder))
