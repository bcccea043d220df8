"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

The browser is never downloaded: CI installs the `chromium` package with apt. Locally the tests
skip (with a message saying how to run them) when that package is missing; in CI (CI=true) a
missing browser fails the run instead, so the tests cannot silently stop running there.
"""

import json
import os
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import connection
from playwright.sync_api import sync_playwright
from wagtail.models import Locale

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# What Django re-creates after emptying the database for a transactional test.
SURVIVE_A_FLUSH = ("contenttypes.contenttype", "auth.permission")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Generous for a 2-core CI machine running the admin's JavaScript; a hang still ends the test.
TIMEOUT_MS = 30_000

# Playwright's sync API runs an asyncio loop in the test's thread; the ORM calls the tests make
# between browser steps are still ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    """Runs the tests of this folder last.

    They need the live server's committed (transactional) database, which is emptied after each
    of them; any later test that expects the migrated site structure would find nothing.
    """
    here = Path(__file__).resolve().parent
    ours = [item for item in items if here in item.path.resolve().parents]
    if ours:
        items[:] = [item for item in items if item not in ours] + ours


SNAPSHOT = pytest.StashKey[str | None]()


# Per module, not per session: while Playwright runs, pytest-django cannot restore its snapshot
# (see below), which a later serialized_rollback browser test elsewhere may rely on.
@pytest.fixture(scope="module")
def chromium(request, django_db_setup):
    if not CHROMIUM.exists():
        message = (
            f"{CHROMIUM} is missing: install Debian's chromium package "
            "(apt-get install chromium) to run the browser tests"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    # pytest-django snapshots the migrated database for serialized_rollback tests and keeps it on
    # the connection. Once Playwright's event loop runs in this thread, Django hands the thread
    # a fresh connection object without it, so the snapshot is read here, before Playwright.
    request.config.stash[SNAPSHOT] = getattr(connection, "_test_serialized_contents", None)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _migrated_site(request, chromium):
    """Restores the migrated site (locales, homes, topics, roles) for serialized_rollback tests.

    An earlier transactional test leaves the database empty, except for the content types and
    permissions Django re-creates with new ids when it flushes. Those are replaced by their
    snapshot rows first (restoring the rest would otherwise clash with them), then the rest of
    the snapshot is loaded. (pytest-django's own restore looks for the snapshot on the
    connection after Playwright has started, and so never finds it.)
    """
    marker = request.node.get_closest_marker("django_db")
    contents = request.config.stash.get(SNAPSHOT, None)
    if not (marker and marker.kwargs.get("serialized_rollback") and contents):
        return
    if Locale.objects.exists():
        return
    snapshot = json.loads(contents)
    # Content types first: permissions point at them.
    kept = [row for model in SURVIVE_A_FLUSH for row in snapshot if row["model"] == model]
    ContentType.objects.all().delete()
    for row in serializers.deserialize("json", json.dumps(kept)):
        row.save()
    ContentType.objects.clear_cache()
    connection.creation.deserialize_db_from_string(contents)


FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(FAILED, False)
    if report.when == "call" and report.failed:
        item.stash[FAILED] = True
    return report


@pytest.fixture
def open_browser(request, chromium, live_server):
    """Opens a fresh browser session (its own cookies) on the live server.

    When the test fails, each session's last screen is saved in test-artifacts/ to show why.
    """
    contexts = []

    def open_session():
        context = chromium.new_context(
            base_url=live_server.url, viewport={"width": 1400, "height": 1000}
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_session
    if request.node.stash.get(FAILED, False):
        ARTIFACTS.mkdir(exist_ok=True)
        for number, context in enumerate(contexts):
            for page in context.pages:
                page.screenshot(path=ARTIFACTS / f"failure-{request.node.name}-{number}.png")
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def _no_autosave(settings):
    """Turns off the page editor's autosave.

    On SQLite the live server's threads share the test's one in-memory connection, so an autosave
    request running alongside the editor's own submit could interleave their transactions.
    """
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
