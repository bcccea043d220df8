"""On PostgreSQL each language has its own stemming: another form of a word finds the text."""

import datetime

import pytest
from django.db import connection

from search import postgres
from tests.search.conftest import ids, publish_article
from tests.shared import shared_content

pytestmark = pytest.mark.postgres

TEXTS = {
    "en": "Latvia may close the border; its guards search every truck.",
    "ru": "Латвия может закрыть пункт пропуска, граница останется на замке.",
    "be": "Латвія можа зачыніць пункт пропуску, а граніца застанецца на замку.",
}


@pytest.fixture(scope="module")
def articles(django_db_setup, django_db_blocker):
    def build():
        return {
            language: publish_article(
                datetime.date(2023, 9, 11), language, title=f"Article ({language})", lead=text
            )
            for language, text in TEXTS.items()
        }

    yield from shared_content(django_db_blocker, build)


@pytest.mark.parametrize(
    ("language", "query", "marked"),
    [
        ("en", "borders", "border"),
        ("en", "guard", "guards"),
        ("ru", "границу", "граница"),
        ("ru", "пунктов", "пункт"),
        ("be", "граніцу", "граніца"),
        ("be", "пункту", "пункт"),
    ],
)
def test_another_form_of_a_word_finds_the_article_and_is_marked(
    articles, search, language, query, marked
):
    data = search(q=query, locale=language).json()

    # The BE/RU edition also searches Russian pages it has no Belarusian version of (the
    # Russian article here is a page of its own): those come back marked as borrowed.
    own = [item for item in data["items"] if not item["meta"]["fallback"]]
    assert [item["id"] for item in own] == [articles[language].id]
    assert f"<mark>{marked}</mark>" in own[0]["highlight"]["text"]


def test_belarusian_endings_of_its_own_are_reduced_with_the_hunspell_dictionary(articles, search):
    if not postgres.uses_hunspell(connection):
        pytest.skip("the hunspell-be dictionary is not installed in this PostgreSQL server")
    assert ids(search(q="пунктаў", locale="be")) == [articles["be"].id]
    assert ids(search(q="граніцай", locale="be")) == [articles["be"].id]


def test_words_are_stemmed_by_their_own_language_only(articles, search):
    assert ids(search(q="borders", locale="ru")) == []
    assert ids(search(q="границу", locale="en")) == []


def test_suggestions_complete_stems_of_title_words(db, indexed, search):
    with indexed():
        article = publish_article(
            datetime.date(2024, 1, 8),
            "ru",
            title="Пограничники закрывают переходы",
            slug="pogranichniki",
        )
    assert ids(search(suggest=True, q="погранични", locale="ru")) == [article.id]
    assert ids(search(suggest=True, q="пограничник закры", locale="ru")) == [article.id]
