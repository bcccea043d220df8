"""Done when: on the demo site a reader finds the September 2023 article (week of 11 September,
Belarus-West relations) in each language by a word of its text — on PostgreSQL also by another
grammatical form of it — with the words marked.

PostgreSQL loads the real demo archive (digest/demo_content); SQLite, which only matches the
same form, the two-week copy in tests/fixtures. Loading happens once for the module, the index
filled by exactly the tasks that publishing queued.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test import TestCase, override_settings
from django_tasks import task_backends

from digest.demo import CONTENT_DIR, DemoLoader
from search.tasks import update_search_index
from tests.api.pages import article
from tests.shared import shared_content

FIXTURE_CONTENT = Path(__file__).resolve().parents[1] / "fixtures" / "demo_content"
HELD_BACK_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
SEED_WEEK = datetime.date(2023, 9, 11)


def load_demo_and_index() -> None:
    content = CONTENT_DIR if connection.vendor == "postgresql" else FIXTURE_CONTENT
    # Image renditions are held back (the API makes them on first use); the search updates
    # that publishing queued are then run as the task worker would run them.
    with override_settings(TASKS=HELD_BACK_TASKS):
        with TestCase.captureOnCommitCallbacks(execute=True):
            DemoLoader(content).load()
        queued = [
            result
            for result in task_backends["default"].results
            if result.task.module_path == update_search_index.module_path
        ]
    assert queued, "publishing queued no search index update"
    for result in queued:
        result.task.call(*result.args, **result.kwargs)


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    yield from shared_content(django_db_blocker, load_demo_and_index)


def text_of(page) -> str:
    blocks = page.body.stream_block.get_searchable_content(page.body)
    return " ".join([page.title, page.lead, *blocks])


def a_word_of(page) -> str:
    """The longest word of the article's lead: distinctive, and certainly in its text."""
    return max(re.findall(r"\w+", page.lead), key=len)


@pytest.mark.parametrize("language", ["en", "be", "ru"])
def test_the_seed_article_is_found_by_a_word_of_its_text(demo_site, search, language):
    seed = article(language, week=SEED_WEEK)
    word = a_word_of(seed)

    data = search(q=word, locale=language, limit=100).json()

    hit = next(item for item in data["items"] if item["id"] == seed.id)
    assert hit["week"]["start"] == "2023-09-11"
    assert hit["topic"]["slug"] == "belarus-west-relations"
    assert f"<mark>{word}</mark>" in hit["highlight"]["text"]


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("language", "query", "in_text"),
    [("en", "checkpoints", "checkpoint"), ("be", "мяжой", "мяжа"), ("ru", "границу", "граница")],
)
def test_the_seed_article_is_found_by_another_form_of_a_word(
    demo_site, search, language, query, in_text
):
    seed = article(language, week=SEED_WEEK)
    words = {word.lower() for word in re.findall(r"\w+", text_of(seed))}
    assert query not in words and in_text in words

    data = search(q=query, locale=language, limit=100).json()

    hit = next(item for item in data["items"] if item["id"] == seed.id)
    assert re.search(rf"<mark>{in_text}</mark>", hit["highlight"]["text"], re.IGNORECASE)


@pytest.mark.parametrize("language", ["en", "be", "ru"])
def test_the_search_box_suggests_the_seed_article_from_the_start_of_a_title_word(
    demo_site, search, language
):
    seed = article(language, week=SEED_WEEK)
    word = max(re.findall(r"\w+", seed.title), key=len)

    items = search(suggest=True, q=word[:5], locale=language, limit=20).json()["items"]

    assert seed.id in [item["id"] for item in items]
