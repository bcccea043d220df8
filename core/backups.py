"""Backups of the database and the media library, and restoring them into an empty installation.

A backup is a folder `situation-desk-<UTC time>/` with three files:

- the database in its engine's native format: SQLite copied page by page through SQLite's
  online-backup API (consistent while the site keeps running), PostgreSQL as a `pg_dump`
  custom-format archive. Native dumps keep every id, sequence and JSON column (page revisions and
  wagtail-localize hold content-type ids inside JSON, which `dumpdata`/`loaddata` would not
  remap), so a restored site is the same site;
- `media.tar.gz`: every file of the media storages — `default` (original uploads, documents) and
  `renditions` (the images the API links to): two folders on the local disk, one S3 bucket —
  read and written through Django's storage API, each under its storage's name (`default/…`,
  `renditions/…`; a format-1 archive held only the default storage);
- `manifest.json`: format version, engine, time and what the archive holds.
"""

import io
import json
import os
import posixpath
import sqlite3
import subprocess
import tarfile
import time
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 2
READABLE_FORMATS = (1, 2)
MEDIA_STORAGES = ("default", "renditions")
MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup cannot be made or restored; the message says why."""


def create_backup(destination: Path) -> Path:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    created = datetime.now(UTC)
    folder = Path(destination) / f"situation-desk-{created:%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True)
    database_file = folder / DATABASE_FILES[connection.vendor]
    if connection.vendor == "sqlite":
        _copy_sqlite(connection, database_file)
    else:
        _pg_dump(connection, database_file)
    media_files = _archive_media(folder / MEDIA_ARCHIVE)
    manifest = {
        "format": FORMAT,
        "created": created.isoformat(),
        "engine": connection.vendor,
        "database": database_file.name,
        "media": MEDIA_ARCHIVE,
        "media_files": media_files,
        "latest_migrations": _latest_migrations(connection),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return folder


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((Path(folder) / MANIFEST).read_text())
    except FileNotFoundError as error:
        raise BackupError(f"{folder} is not a backup: it has no {MANIFEST}.") from error
    if manifest.get("format") not in READABLE_FORMATS:
        raise BackupError(f"{folder} has backup format {manifest.get('format')}, not {FORMAT}.")
    return manifest


def restore_backup(folder: Path) -> dict:
    """Replaces the configured database and media with the backup's. Returns its manifest."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    connection = connections[DEFAULT_DB_ALIAS]
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"This backup holds a {manifest['engine']} database, but the configured database "
            f"is {connection.vendor}; restore it into the same kind of database."
        )
    media_archive = folder / manifest["media"]
    # Refuse a tampered archive before anything is replaced.
    _check_media_archive(media_archive, manifest["format"])
    database_file = folder / manifest["database"]
    if connection.vendor == "sqlite":
        _restore_sqlite(connection, database_file)
    else:
        _pg_restore(connection, database_file)
    _restore_media(media_archive, manifest["format"])
    # Whatever the cache held describes the content that was just replaced.
    cache.clear()
    return manifest


def _copy_sqlite(connection, target: Path) -> None:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def _restore_sqlite(connection, source: Path) -> None:
    backup = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        connection.ensure_connection()
        backup.backup(connection.connection)
    finally:
        backup.close()
        connection.close()


def _libpq_environment(connection) -> dict:
    """The database settings as libpq variables, so no password appears on a command line."""
    settings_dict = connection.settings_dict
    _, environment = connection.client.settings_to_cmd_args_env(settings_dict, [])
    environment = {**os.environ, **(environment or {})}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    environment["PGDATABASE"] = settings_dict["NAME"]
    return environment


def _run(command: list[str], environment: dict) -> None:
    try:
        subprocess.run(command, env=environment, check=True, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL client tools).") from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed:\n{error.stderr.strip()}") from error


def _pg_dump(connection, target: Path) -> None:
    _run(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"],
        _libpq_environment(connection),
    )


def _pg_restore(connection, source: Path) -> None:
    environment = _libpq_environment(connection)
    connections.close_all()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={environment['PGDATABASE']}",
            str(source),
        ],
        environment,
    )


def _distinct_media_storages() -> list[str]:
    """The media storages, once each: on S3 both names are the one bucket."""
    distinct = []
    for alias in MEDIA_STORAGES:
        if all(settings.STORAGES[alias] != settings.STORAGES[seen] for seen in distinct):
            distinct.append(alias)
    return distinct


def _media_names(storage, directory: str = ""):
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        yield posixpath.join(directory, name) if directory else name
    for subdirectory in directories:
        yield from _media_names(
            storage, posixpath.join(directory, subdirectory) if directory else subdirectory
        )


def _archive_media(target: Path) -> int:
    count = 0
    with tarfile.open(target, "w:gz") as archive:
        for alias in _distinct_media_storages():
            count += _archive_storage(archive, alias)
    return count


def _archive_storage(archive: tarfile.TarFile, alias: str) -> int:
    storage = storages[alias]
    count = 0
    for name in sorted(_media_names(storage)):
        with storage.open(name, "rb") as media_file:
            content = media_file.read()
        info = tarfile.TarInfo(f"{alias}/{name}")
        info.size = len(content)
        info.mtime = int(time.time())
        archive.addfile(info, io.BytesIO(content))
        count += 1
    return count


def _check_media_archive(source: Path, format: int) -> None:
    with tarfile.open(source, "r:gz") as archive:
        for member in archive:
            path = PurePosixPath(member.name)
            if path.is_absolute() or ".." in path.parts:
                raise BackupError(f"The media archive holds an unsafe path: {member.name}")
            if format > 1 and member.isfile() and path.parts[0] not in MEDIA_STORAGES:
                raise BackupError(f"The media archive names no media storage: {member.name}")


def _restore_media(source: Path, format: int) -> None:
    with tarfile.open(source, "r:gz") as archive:
        for member in archive:
            if not member.isfile():
                continue
            path = PurePosixPath(member.name)
            if format == 1:
                alias, name = "default", str(path)
            else:
                alias, name = path.parts[0], str(PurePosixPath(*path.parts[1:]))
            storage = storages[alias]
            if storage.exists(name):
                storage.delete(name)
            saved = storage.save(name, File(archive.extractfile(member), name=name))
            if saved != name:
                raise BackupError(f"The media file {name} was stored as {saved}.")


def _latest_migrations(connection) -> dict:
    latest = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, name), name)
    return dict(sorted(latest.items()))
