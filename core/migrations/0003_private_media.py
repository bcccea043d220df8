"""Original uploads and documents leave the served media folder (settings: PRIVATE_MEDIA_ROOT).

An installation made before kept them under MEDIA_ROOT, which the web server serves: its
`documents/` and `original_images/` folders move to PRIVATE_MEDIA_ROOT, where the default
storage now reads them. Only files on the local disk move; a bucket keeps its keys (its policy
already keeps them private). Run again, or on a new installation, it finds nothing to move.
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import migrations

PRIVATE_FOLDERS = ("documents", "original_images")


def move_private_folders(apps, schema_editor):
    default = storages["default"]
    if not isinstance(default, FileSystemStorage):
        return
    served, private = Path(settings.MEDIA_ROOT), Path(default.location)
    if served.resolve() == private.resolve():
        return
    for folder in PRIVATE_FOLDERS:
        if not (served / folder).is_dir():
            continue
        for source in sorted((served / folder).rglob("*")):
            target = private / source.relative_to(served)
            if source.is_file() and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(source, target)
        # Only emptied folders go: a file that could not move (its name taken) stays put.
        for directory in sorted((served / folder).rglob("*"), reverse=True):
            if directory.is_dir() and not any(directory.iterdir()):
                directory.rmdir()
        if not any((served / folder).iterdir()):
            (served / folder).rmdir()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_cache_table")]

    operations = [
        migrations.RunPython(move_private_folders, migrations.RunPython.noop, elidable=True)
    ]
