"""Search tests: content is published inside `django_capture_on_commit_callbacks(execute=True)`,
because the index follows pages from on-commit hooks (and the test tasks backend runs them at
once). Tests marked `postgres` need PostgreSQL's text-search configurations and are skipped on
SQLite; CI runs the suite on PostgreSQL too."""

import datetime
from pathlib import Path

import pytest
from django.db import connection

from digest.factories import ArticlePageFactory, ReportPageFactory, archive, topic
from digest.trends import Trend
from tests.api.contract import assert_matches_contract


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` are skipped on other databases — before their fixtures load."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL (stemming): run with DATABASE_URL=postgres://…"
    )
    here = Path(__file__).resolve().parent
    for item in items:
        if item.get_closest_marker("postgres") and here in Path(str(item.path)).parents:
            item.add_marker(skip)


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """`with indexed(): ...` — changes made inside reach the search index when it ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def search(db, client):
    """GET /api/v2/search/ (or suggest/ with `suggest=True`) and check it against the contract."""

    def get(suggest=False, **params):
        path = "/api/v2/search/suggest/" if suggest else "/api/v2/search/"
        response = client.get(path, params)
        assert_matches_contract(response)
        return response

    return get


def publish_article(week: datetime.date, language: str = "en", **fields):
    """A published article in its own published week, in `language`'s tree."""
    report = ReportPageFactory(week_start=week, parent=archive(language))
    report.save_revision().publish()
    fields.setdefault("topic", topic("belarus-west-relations", language))
    fields.setdefault("trend", Trend.UNCHANGED)
    return ArticlePageFactory(parent=report, **fields)


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]
