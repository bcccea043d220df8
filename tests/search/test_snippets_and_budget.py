"""What a search costs and where its snippets come from.

`snippet_window()` picks the part of a long text that PostgreSQL's ts_headline gets (it parses
and stems everything it is given); the endpoint's query count must not grow with `limit`.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.engines import (
    FIRST_PASS_CHARACTERS,
    FRAGMENT_AFTER,
    FRAGMENT_BEFORE,
    UNMATCHED_WORDS,
    WORD_COUNT_SLACK,
    snippet_window,
)
from tests.search.conftest import publish_article
from tests.shared import shared_content

# A search's queries, whatever `limit` is. PostgreSQL: the language's topics, the scan (total,
# facets and the page), the titles and snippets, one per page type shown, the images'
# renditions, the translations (6 here). SQLite's backend counts and facets apart (9 here).
SEARCH_QUERY_BUDGET = 10


def words(count: int, start: int = 0) -> list[str]:
    return [f"w{number}" for number in range(start, start + count)]


def test_a_text_without_a_match_gives_its_first_words():
    text = " ".join(words(500))

    window = snippet_window(text, [], one_lexeme=True)

    assert window.split() == words(UNMATCHED_WORDS)


def test_a_match_near_the_start_gives_the_start_of_the_text():
    text = " ".join(words(500))

    window = snippet_window(text, [5], one_lexeme=False)

    assert text.startswith(window)
    assert len(window) == FIRST_PASS_CHARACTERS


def test_a_deep_match_gives_the_text_around_it():
    text = " ".join(words(1000))
    match = 600  # the 600th word: w599

    window = snippet_window(text, [match], one_lexeme=False).split()

    assert window[0] == f"w{match - 1 - FRAGMENT_BEFORE - WORD_COUNT_SLACK}"
    assert f"w{match - 1}" in window
    assert len(" ".join(window)) <= FIRST_PASS_CHARACTERS


def test_one_lexeme_matched_once_needs_only_one_fragment_of_text():
    text = " ".join(words(1000))

    window = snippet_window(text, [600], one_lexeme=True).split()

    assert window[-1] == f"w{599 + FRAGMENT_AFTER + WORD_COUNT_SLACK}"


def test_one_lexeme_matched_again_soon_keeps_the_second_fragment():
    text = " ".join(words(1000))
    second = 600 + FRAGMENT_AFTER + 10

    window = snippet_window(text, [600, second], one_lexeme=True).split()

    assert window[-1] == f"w{second - 1 + FRAGMENT_AFTER + WORD_COUNT_SLACK}"


def test_a_second_match_beyond_the_window_does_not_stretch_it():
    text = " ".join(words(1000))

    window = snippet_window(text, [600, 900], one_lexeme=True).split()

    assert window[-1] == f"w{599 + FRAGMENT_AFTER + WORD_COUNT_SLACK}"


def test_positions_beyond_the_text_give_the_text_from_its_start():
    text = " ".join(words(50))

    assert snippet_window(text, [400], one_lexeme=True) == text
    assert snippet_window(text, [400], one_lexeme=False) == text


@pytest.fixture(scope="module")
def many_hits(django_db_setup, django_db_blocker):
    def build():
        monday = datetime.date(2022, 1, 3)
        return [
            publish_article(
                monday + datetime.timedelta(weeks=number),
                title=f"Convoys, week {number}",
                lead="Convoys were seen near the border again.",
            )
            for number in range(6)
        ]

    yield from shared_content(django_db_blocker, build)


@pytest.mark.parametrize("limit", [1, 6])
def test_the_number_of_queries_of_a_search_does_not_grow_with_limit(
    db, many_hits, client, django_assert_max_num_queries, limit
):
    params = {"q": "convoys", "locale": "en"}
    client.get("/api/v2/search/", params)  # the site's visibility and roots are cached now
    with CaptureQueriesContext(connection) as one:
        response = client.get("/api/v2/search/", {**params, "limit": 1})
    assert response.status_code == 200

    with django_assert_max_num_queries(min(len(one), SEARCH_QUERY_BUDGET)):
        response = client.get("/api/v2/search/", {**params, "limit": limit})

    assert response.status_code == 200
    assert len(response.json()["items"]) == limit


LONG_BODY = " ".join(f"Filler sentence number {number} about nothing much." for number in range(80))


@pytest.mark.postgres
def test_a_match_deep_in_a_long_text_is_marked_with_the_words_around_it(db, indexed, search):
    with indexed():
        publish_article(
            datetime.date(2023, 2, 6),
            lead="Nothing to see in the lead.",
            body=[
                {
                    "type": "paragraph",
                    "value": f"<p>{LONG_BODY} The ferry to Klaipeda was cancelled. {LONG_BODY}</p>",
                }
            ],
        )

    text = search(q="ferry", locale="en").json()["items"][0]["highlight"]["text"]

    assert "The <mark>ferry</mark> to Klaipeda was cancelled" in text
    assert "Nothing to see" not in text


@pytest.mark.postgres
def test_a_match_only_in_the_title_leaves_the_first_words_unmarked(db, indexed, search):
    with indexed():
        publish_article(
            datetime.date(2023, 2, 13),
            title="Hovercraft on the Neman",
            lead="Patrols on the river were stepped up this week.",
            body=[{"type": "paragraph", "value": f"<p>{LONG_BODY}</p>"}],
        )

    item = search(q="hovercraft", locale="en").json()["items"][0]

    assert item["highlight"]["title"] == "<mark>Hovercraft</mark> on the Neman"
    assert item["highlight"]["text"].startswith("Patrols on the river were stepped up")
    assert "<mark>" not in item["highlight"]["text"]
