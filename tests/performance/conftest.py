"""Performance tests: a small site (one week, two articles, in English, Belarusian and Russian)
and an anonymous reader of the API, whose responses are checked against the contract."""

import datetime
import http.server
import queue
import threading
from dataclasses import dataclass, field

import pytest

from digest.desk.translation import translate_week
from digest.factories import english_week
from digest.models import ArticlePage, Author, ReportPage
from tests.api.contract import assert_matches_contract
from tests.translating import publish_translated

SEED_WEEK = datetime.date(2023, 9, 11)
TRANSLATIONS = ("be", "ru")


@dataclass
class Week:
    report: ReportPage
    west: ArticlePage
    security: ArticlePage
    analyst: Author

    def version(self, page, language: str):
        return type(page).objects.get(
            translation_key=page.translation_key, locale__language_code=language
        )


@pytest.fixture
def week(db, django_capture_on_commit_callbacks) -> Week:
    """A published English week with two articles by one analyst (committed: its on-commit
    work — search indexing, revalidation — has run)."""
    with django_capture_on_commit_callbacks(execute=True):
        return Week(*english_week(SEED_WEEK))


def publish_translations(page, languages=TRANSLATIONS) -> None:
    for language in languages:
        publish_translated(page, language)


@pytest.fixture
def trilingual_week(week, django_capture_on_commit_callbacks) -> Week:
    """The week translated (through wagtail-localize, as the desk does) and published in
    Belarusian and Russian."""
    with django_capture_on_commit_callbacks(execute=True):
        translate_week(week.report, None, list(TRANSLATIONS))
        for page in (week.report, week.west, week.security):
            publish_translations(page)
    return week


@pytest.fixture
def get(client):
    """An anonymous GET under /api/v2/, checked against the contract (304s included)."""

    def get(path, headers=None, **params):
        response = client.get(f"/api/v2/{path}", params, headers=headers)
        assert_matches_contract(response)
        return response

    return get


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` — what is done inside is committed when it ends (its on-commit
    work runs, as in production after the editor's request)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def titles(response) -> list[str]:
    return [item["title"] for item in response.json()["items"]]


# ---- a receiver on 127.0.0.1 for webhooks and CDN purges --------------------------------------


@dataclass
class Received:
    method: str
    path: str
    headers: dict
    body: bytes


@dataclass
class Receiver:
    """An HTTP server that records every request and answers with `statuses` in turn (then 200)."""

    url: str
    requests: "queue.Queue[Received]"
    statuses: list[int] = field(default_factory=list)

    def all(self) -> list[Received]:
        received = []
        while not self.requests.empty():
            received.append(self.requests.get_nowait())
        return received


@pytest.fixture
def receiver():
    requests = queue.Queue()
    statuses = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            requests.put(Received(self.command, self.path, dict(self.headers), body))
            self.send_response(statuses.pop(0) if statuses else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_PURGE = answer

        def log_message(self, format, *args):
            """Quiet: the test asserts on what was received."""

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Receiver(f"http://127.0.0.1:{server.server_address[1]}", requests, statuses)
    finally:
        server.shutdown()
        server.server_close()
