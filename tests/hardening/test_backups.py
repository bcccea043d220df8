"""A backup restored into an empty installation serves the same content."""

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from core.backups import MEDIA_ARCHIVE

ROOT = Path(__file__).resolve().parents[2]


def run_in_installation(code: str, database_url: str, media_root: Path) -> str:
    """Runs `code` in a fresh interpreter configured for another installation."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "REDIS_", "AWS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media_root / "served"),
        PRIVATE_MEDIA_ROOT=str(media_root / "private"),
        # The addresses the API puts into URLs, as in this test run.
        FRONTEND_BASE_URL=settings.FRONTEND_BASE_URL,
        WAGTAILADMIN_BASE_URL=settings.WAGTAILADMIN_BASE_URL,
        WAGTAILAPI_BASE_URL=settings.WAGTAILAPI_BASE_URL,
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


SERVED_PAGES = """
import json
from django.test import Client
from digest.models import ArticlePage
client = Client()
article = ArticlePage.objects.get(title="Minsk calls for friendship")
listing = client.get("/api/v2/pages/?limit=100").json()
print(json.dumps({
    "listing": [[item["id"], item["title"]] for item in listing["items"]],
    "article": client.get(f"/api/v2/pages/{article.pk}/").json(),
    "photo": article.photo.file.name,
    "rendition": article.photo.get_rendition("fill-120x90").file.name,
}))
"""

# A live site: migrated, one published article with a photo, then backed up.
SITE_BACKED_UP = """
from django.core.management import call_command
from digest.factories import ArticlePageFactory
call_command("migrate", verbosity=0)
ArticlePageFactory(title="Minsk calls for friendship").photo.get_rendition("fill-120x90")
call_command("backup", output=%r)
"""


@pytest.fixture
def databases(tmp_path):
    """URLs of two empty databases, of the kind the tests run on: the live site and the new one."""
    if connection.vendor == "sqlite":
        yield [f"sqlite:///{tmp_path / name}.sqlite3" for name in ("site", "restored")]
        return
    server_settings = connection.settings_dict
    names = [f"{server_settings['NAME']}_{name}" for name in ("site", "restored")]
    server = psycopg.connect(
        host=server_settings["HOST"],
        port=server_settings["PORT"],
        user=server_settings["USER"],
        dbname="postgres",
        autocommit=True,
    )
    address = f"{server_settings['USER']}@{server_settings['HOST']}:{server_settings['PORT']}"
    try:
        for name in names:
            server.execute(f'DROP DATABASE IF EXISTS "{name}"')
            server.execute(f'CREATE DATABASE "{name}"')
        yield [f"postgres://{address}/{name}" for name in names]
    finally:
        for name in names:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()


def test_a_backup_restored_into_an_empty_database_serves_the_same_pages(tmp_path, databases):
    site, restored = databases
    backups = tmp_path / "backups"
    run_in_installation(SITE_BACKED_UP % str(backups), site, tmp_path / "site-media")
    before = json.loads(run_in_installation(SERVED_PAGES, site, tmp_path / "site-media"))
    (backup,) = backups.iterdir()
    manifest = json.loads((backup / "manifest.json").read_text())

    run_in_installation(
        f"from django.core.management import call_command\n"
        f"call_command('restore', {str(backup)!r}, interactive=False)",
        restored,
        tmp_path / "restored-media",
    )
    after = json.loads(run_in_installation(SERVED_PAGES, restored, tmp_path / "restored-media"))

    assert [title for _, title in after["listing"] if title == "Minsk calls for friendship"] == [
        "Minsk calls for friendship"
    ]
    assert after == before
    assert manifest["engine"] == connection.vendor
    assert manifest["media_files"] >= 1
    for folder, name in (("private", before["photo"]), ("served", before["rendition"])):
        restored_file = tmp_path / "restored-media" / folder / name
        assert restored_file.read_bytes() == (tmp_path / "site-media" / folder / name).read_bytes()


def fake_backup(folder: Path, engine: str, media: dict[str, bytes], format: int = 1) -> Path:
    folder.mkdir()
    manifest = {
        "format": format,
        "created": "2023-09-17T20:00:00+00:00",
        "engine": engine,
        "database": "database.sqlite3",
        "media": MEDIA_ARCHIVE,
        "media_files": len(media),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with tarfile.open(folder / MEDIA_ARCHIVE, "w:gz") as archive:
        for name, content in media.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return folder


def test_a_backup_of_another_database_engine_is_refused(tmp_path):
    backup = fake_backup(tmp_path / "backup", "oracle", {})

    with pytest.raises(CommandError, match="holds a oracle database, but the configured"):
        call_command("restore", str(backup), interactive=False)


def test_a_media_archive_reaching_outside_the_media_folder_is_refused_before_any_change(
    tmp_path,
):
    backup = fake_backup(
        tmp_path / "backup", connection.vendor, {"../../etc/cron.d/evil": b"* * * * * evil"}
    )

    with pytest.raises(CommandError, match="unsafe path: ../../etc/cron.d/evil"):
        call_command("restore", str(backup), interactive=False)


def test_restoring_something_that_is_not_a_backup_is_refused(tmp_path):
    with pytest.raises(CommandError, match="is not a backup: it has no manifest.json"):
        call_command("restore", str(tmp_path), interactive=False)


def test_a_media_archive_writing_into_a_storage_other_than_the_media_is_refused(tmp_path):
    backup = fake_backup(
        tmp_path / "backup", connection.vendor, {"staticfiles/admin.js": b"evil()"}, format=2
    )

    with pytest.raises(CommandError, match="names no media storage: staticfiles/admin.js"):
        call_command("restore", str(backup), interactive=False)
