"""Every form of a word finds the others, in each language and on both engines (SQLite's
analysis in Python, PostgreSQL's text-search configurations: CI runs this module on both):
singular and plural, ё and е, words with an apostrophe, and words of different meaning kept
apart."""

import datetime

import pytest
from django.db import connection

from search import analysis, postgres
from tests.search.conftest import publish_article
from tests.shared import shared_content

TEXTS = {
    ("en", "border"): "Latvia closed the border at dawn.",
    ("en", "borders"): "Both borders stayed shut for the night.",
    ("ru", "граница"): "Граница закрыта до утра.",
    ("ru", "границы"): "У границы стоят очереди грузовиков.",
    ("ru", "политзаключённые"): "На свободу вышли трое политзаключённых.",
    ("ru", "выборы"): "Выборы назначены на весну.",
    ("ru", "выбор"): "У заводов нет выбора: поставщик один.",
    ("be", "мяжа"): "Мяжа зачынена да раніцы.",
    ("be", "мяжы"): "Ля мяжы стаяць чэргі грузавікоў.",
    ("be", "межы"): "Усе межы краіны зачыненыя, а за межамі чакаюць людзі.",
    ("be", "палітвязень"): "Палітвязень выйшаў на волю.",
    ("be", "палітвязні"): "Палітвязні пішуць лісты.",
    ("be", "мігранты"): "Мігранты чакаюць у лесе.",
    ("be", "выбары"): "Выбары прызначаныя на вясну.",
    ("be", "выбар"): "У заводаў няма выбару: пастаўшчык адзін.",
    ("be", "сям’і"): "Гісторыя адной сям’і з Гродна.",
    ("be", "сем’і"): "Гэтыя сем'і з'ехалі.",
}


@pytest.fixture(scope="module")
def articles(django_db_setup, django_db_blocker):
    def build():
        return {
            key: publish_article(
                datetime.date(2023, 9, 11) + datetime.timedelta(weeks=number),
                key[0],
                title=f"Article {number}",
                slug=f"article-{number}",
                lead=text,
            ).id
            for number, (key, text) in enumerate(TEXTS.items())
        }

    yield from shared_content(django_db_blocker, build)


@pytest.fixture
def found(articles, search):
    """The articles (TEXTS keys) a search finds in the language's own pages, with highlights."""

    def get(language, query):
        keys = {page_id: key for key, page_id in articles.items()}
        items = search(q=query, locale=language).json()["items"]
        return {
            keys[item["id"]][1]: item["highlight"]["text"]
            for item in items
            if keys.get(item["id"], ("",))[0] == language
        }

    return get


@pytest.fixture
def belarusian_dictionary(db):
    has_dictionary = (
        postgres.uses_hunspell(connection)
        if connection.vendor == "postgresql"
        else analysis.belarusian_hunspell() is not None
    )
    if not has_dictionary:
        pytest.skip("the hunspell-be dictionary is not installed (apt-get install hunspell-be)")


@pytest.mark.parametrize(
    ("language", "query", "articles_found"),
    [
        ("en", "border", {"border", "borders"}),
        ("en", "borders", {"border", "borders"}),
        ("ru", "граница", {"граница", "границы"}),
        ("ru", "границы", {"граница", "границы"}),
        ("ru", "политзаключённый", {"политзаключённые"}),
    ],
)
def test_a_singular_finds_the_plural_and_the_plural_the_singular(
    found, language, query, articles_found
):
    assert set(found(language, query)) == articles_found


@pytest.mark.parametrize(
    ("query", "articles_found"),
    [
        ("мяжа", {"мяжа", "мяжы", "межы"}),
        ("межы", {"мяжа", "мяжы", "межы"}),
        ("межаў", {"мяжа", "мяжы", "межы"}),
        ("палітвязень", {"палітвязень", "палітвязні"}),
        ("палітвязні", {"палітвязень", "палітвязні"}),
        ("палітвязняў", {"палітвязень", "палітвязні"}),
        ("мігрант", {"мігранты"}),
        ("сям’я", {"сям’і", "сем’і"}),
        ("сем’і", {"сям’і", "сем’і"}),
    ],
)
def test_a_belarusian_singular_finds_the_plural_and_the_plural_the_singular(
    belarusian_dictionary, found, query, articles_found
):
    assert set(found("be", query)) == articles_found


def test_every_matched_form_is_marked(belarusian_dictionary, found):
    # The article's lead, then its body (the factory's text).
    assert found("be", "мяжа")["межы"].startswith(
        "Усе <mark>межы</mark> краіны зачыненыя, а за <mark>межамі</mark> чакаюць людзі. "
    )


@pytest.mark.parametrize("query", ["политзаключенных", "политзаключённых", "ПОЛИТЗАКЛЮЧЕННЫЕ"])
def test_russian_yo_and_ye_are_the_same_letter(found, query):
    assert set(found("ru", query)) == {"политзаключённые"}


@pytest.mark.parametrize("query", ["сям’і", "сям'і", "сямʼі"])
def test_a_word_with_an_apostrophe_is_one_word_whichever_apostrophe(
    belarusian_dictionary, found, query
):
    assert set(found("be", query)) == {"сям’і", "сем’і"}
    assert found("be", query)["сям’і"].startswith("Гісторыя адной <mark>сям’і</mark> з Гродна.")


def test_the_pieces_of_a_word_with_an_apostrophe_find_nothing(found):
    assert found("be", "сям") == {}
    assert found("be", "сем") == {}
    assert found("be", "і") == {}


@pytest.mark.parametrize(
    ("language", "query", "articles_found"),
    [
        ("ru", "выборы", {"выборы"}),
        ("ru", "выборов", {"выборы"}),
        ("ru", "выбор", {"выбор"}),
        ("ru", "выбора", {"выбор"}),
        ("be", "выбары", {"выбары"}),
        ("be", "выбараў", {"выбары"}),
        ("be", "выбар", {"выбар"}),
        ("be", "выбару", {"выбар"}),
    ],
)
def test_elections_and_choice_stay_apart(found, language, query, articles_found):
    assert set(found(language, query)) == articles_found


@pytest.mark.postgres
def test_postgresql_reads_the_project_word_lists(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT lexemes FROM ts_debug('belarusian', 'межамі')), "
            "(SELECT lexemes FROM ts_debug('situation_russian', 'выборов'))"
        )
        assert cursor.fetchone() == (["мяжа"], ["выборы"])


@pytest.mark.parametrize(
    ("language", "query"), [("be", "сям’і"), ("be", "сям'"), ("en", "Lukashenka's"), ("ru", "д'Ар")]
)
def test_suggestions_take_words_with_an_apostrophe(articles, search, language, query):
    assert search(suggest=True, q=query, locale=language).status_code == 200
