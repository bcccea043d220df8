"""Bad input is a 400 with a message; hostile input is just text. Never a 500."""

import datetime

import pytest

from tests.search.conftest import publish_article
from tests.shared import shared_content

NASTY = [
    '"',
    "'",
    "\\",
    "%",
    "_",
    "%_%",
    "border\\",
    '"border',
    "border'",
    "' OR 1=1 --",
    "'; DROP TABLE search_searchentry; --",
    "border) | (!x",
    "a & b | !c <-> d",
    "border:*",
    "border:*A",
    "NEAR(border friendship)",
    "border AND OR NOT",
    "title:border",
    "^bor.*der$",
    "[a-z]+(?=x)",
    "{{ 1|add:1 }}",
    "<script>alert(1)</script>",
    "\u202e\u200b\ufeff",
    "🇧🇾 граница",
    "x" * 200,
    "a " * 100,
    "-border",
    "*",
    "?",
]


@pytest.fixture(scope="module")
def an_article(django_db_setup, django_db_blocker):
    yield from shared_content(
        django_db_blocker,
        lambda: publish_article(datetime.date(2023, 9, 11), lead="The border stayed shut."),
    )


@pytest.mark.parametrize("text", NASTY)
def test_hostile_queries_are_plain_text_and_never_an_error(an_article, search, text):
    for suggest in (False, True):
        response = search(suggest=suggest, q=text, locale="en")
        assert response.status_code == 200, response.content


@pytest.mark.parametrize("text", ["\x00", "border\x00friendship"])
def test_a_nul_character_is_refused_with_a_message(an_article, search, text):
    # No language writes NUL; the database could not store it, so it is refused plainly.
    for suggest in (False, True):
        response = search(suggest=suggest, q=text, locale="en")
        assert response.status_code == 400
        assert response.json()["message"] == "q must not contain NUL characters"


def test_quotes_and_operators_around_a_word_still_find_it(an_article, search):
    for text in ('"border"', "border:*", "(border)", "border'", "%border%"):
        assert search(q=text, locale="en").json()["meta"]["total_count"] == 1, text


@pytest.mark.parametrize(
    "raw",
    [
        "q=%FF%FE%FD&locale=en",
        "q=%C3%28&locale=en",
        "q=%00&locale=en",
        "q=border&locale=%FF",
        "q=border&locale=en&topic=%FF%00",
    ],
)
def test_bytes_that_are_not_utf8_are_handled(an_article, db, client, raw):
    response = client.get(f"/api/v2/search/?{raw}")
    assert response.status_code in (200, 400)
    assert response.json()["status" if response.status_code == 400 else "meta"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"locale": "en"}, "q is required"),
        ({"q": "", "locale": "en"}, "q is required"),
        ({"q": "   ", "locale": "en"}, "q is required"),
        ({"q": "x" * 201, "locale": "en"}, "at most 200"),
        ({"q": "border"}, "locale is required"),
        ({"q": "border", "locale": "de"}, "unknown locale"),
        ({"q": "border", "locale": "en", "topic": "weather"}, "unknown topic"),
        ({"q": "border", "locale": "en", "trend": "sideways"}, "unknown trend"),
        ({"q": "border", "locale": "en", "date_from": "yesterday"}, "YYYY-MM-DD"),
        ({"q": "border", "locale": "en", "date_to": "2023-02-30"}, "YYYY-MM-DD"),
        (
            {"q": "border", "locale": "en", "date_from": "2024-01-01", "date_to": "2023-01-01"},
            "date_from must not be after date_to",
        ),
        ({"q": "border", "locale": "en", "limit": "101"}, "cannot be higher than 100"),
        ({"q": "border", "locale": "en", "limit": "-1"}, "positive integer"),
        ({"q": "border", "locale": "en", "limit": "ten"}, "positive integer"),
        ({"q": "border", "locale": "en", "offset": "-5"}, "positive integer"),
        ({"q": "border", "locale": "en", "offset": "99999999999999999999"}, "cannot be higher"),
        ({"q": "border", "locale": "en", "sort": "date"}, "not an operation"),
    ],
)
def test_bad_parameters_are_a_400_with_a_message(an_article, search, params, message):
    response = search(**params)
    assert response.status_code == 400
    assert response.json()["status"] == 400
    assert message in response.json()["message"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"locale": "en"}, "q is required"),
        ({"q": "bord"}, "locale is required"),
        ({"q": "bord", "locale": "xx"}, "unknown locale"),
        ({"q": "bord", "locale": "en", "limit": "21"}, "cannot be higher than 20"),
        ({"q": "bord", "locale": "en", "topic": "x"}, "not an operation"),
    ],
)
def test_bad_suggest_parameters_are_a_400_with_a_message(an_article, search, params, message):
    response = search(suggest=True, **params)
    assert response.status_code == 400
    assert message in response.json()["message"]


def test_other_methods_are_refused_as_json(an_article, db, client):
    response = client.post("/api/v2/search/?q=border&locale=en")
    assert response.status_code == 405
    assert response.json()["status"] == 405
