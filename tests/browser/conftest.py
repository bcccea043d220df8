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
from django.core.servers.basehttp import WSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread
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


BLOCKER = pytest.StashKey[object]()


@pytest.fixture(autouse=True, scope="session")
def _keep_the_db_blocker(request, django_db_blocker):
    request.config.stash[BLOCKER] = django_db_blocker


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a browser test has emptied the database, restores the migrated site in it.

    A transactional test ends by flushing the database; the tests after it on the same pytest
    worker (in any order, whichever module) expect the locales, homes, topics and roles the
    migrations create. The content types and permissions Django re-creates with new ids when it
    flushes are replaced by their snapshot rows first (restoring the rest would otherwise clash
    with them), then the rest of the snapshot is loaded. (pytest-django's own restore looks for
    the snapshot on the connection after Playwright has started, and so never finds it.)
    """
    result = yield
    marker = item.get_closest_marker("django_db")
    contents = item.config.stash.get(SNAPSHOT, None)
    blocker = item.config.stash.get(BLOCKER, None)
    if marker and marker.kwargs.get("transaction") and contents and blocker:
        with blocker.unblock():
            if not Locale.objects.exists():
                restore_snapshot(contents)
    return result


def restore_snapshot(contents: str) -> None:
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


class SerialWSGIServer(WSGIServer):
    """Django's development server without threads: it answers in the live server's thread, which
    already holds the shared connections, one request (and one connection) at a time."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="session")
def _one_request_at_a_time():
    """The live server answers one request at a time.

    On SQLite its threads share the test's one in-memory connection, so two requests at once (the
    preview panel refreshing while "Preview in new tab" loads, say) interleave their transactions
    and one of them fails. Browsers queue requests to a server that answers serially; what the
    tests check (what a user sees) is the same.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveServerThread, "server_class", SerialWSGIServer)
        yield


@pytest.fixture(scope="session")
def live_server(_one_request_at_a_time, live_server):
    return live_server


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
