"""The index follows the pages without manual steps; only what the public may see is found."""

import datetime

import pytest
from django.core.management import call_command
from wagtail.models import Locale, PageViewRestriction

from digest.factories import ReportPageFactory, topic
from digest.models import ArticlePage
from search.models import SearchEntry
from tests.search.conftest import ids, publish_article

WEEK = datetime.date(2023, 9, 11)
WORD = "Silene"  # in the factory article's body


@pytest.fixture
def article(db, indexed):
    with indexed():
        return publish_article(WEEK, title="Checkpoint closures")


def found(search, text=WORD, locale="en", **params) -> list[int]:
    return ids(search(q=text, locale=locale, **params))


def test_a_draft_is_never_found(db, indexed, search):
    with indexed():
        report = ReportPageFactory(week_start=WEEK)
        report.save_revision().publish()
        draft = ArticlePage(
            title="Draft", lead="Unpublished zeppelin plans.", topic=topic(), live=False
        )
        report.add_child(instance=draft)
        draft.save_revision()

    assert found(search, "zeppelin") == []


def test_a_draft_edit_is_not_found_and_the_live_text_still_is(article, indexed, search):
    with indexed():
        article.lead = "A draft about zeppelins."
        article.save_revision()

    assert found(search, "zeppelins") == []
    assert found(search, "closures") == [article.id]


def test_publishing_a_change_replaces_the_indexed_text(article, indexed, search):
    with indexed():
        article.lead = "Now about zeppelins."
        article.save_revision().publish()

    assert found(search, "zeppelins") == [article.id]
    assert found(search, "arrest") == []  # the factory's lead, replaced


def test_unpublishing_removes_a_page_and_publishing_brings_it_back(article, indexed, search):
    with indexed():
        article.unpublish()
    assert found(search) == []

    with indexed():
        article.save_revision().publish()
    assert found(search) == [article.id]


@pytest.mark.parametrize("restriction", [PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN])
def test_private_pages_are_not_found_until_the_restriction_is_lifted(
    article, indexed, search, restriction
):
    week = article.get_parent()
    with indexed():
        rule = PageViewRestriction.objects.create(
            page=week, restriction_type=restriction, password="secret"
        )
    assert found(search) == []
    assert found(search, "closures") == []
    assert search(suggest=True, q="closu", locale="en").json()["items"] == []
    assert not SearchEntry.objects.filter(page_id=article.id).exists()

    with indexed():
        rule.delete()
    assert found(search) == [article.id]


def test_a_page_made_private_is_hidden_even_before_the_index_catches_up(article, search):
    # No on-commit hooks run here: the index still holds the page, the query must not show it.
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert SearchEntry.objects.filter(page_id=article.id).exists()
    assert found(search) == []


def test_an_unpublished_page_is_hidden_before_the_index_catches_up_and_found_once_republished(
    article, search
):
    # As above: the index still holds the page. Searches in between must follow each change.
    assert found(search) == [article.id]
    article.unpublish()
    assert SearchEntry.objects.filter(page_id=article.id).exists()
    assert found(search) == []

    article.save_revision().publish()
    assert found(search) == [article.id]


def test_a_moved_article_is_found_under_its_new_week(article, indexed, search):
    with indexed():
        later = ReportPageFactory(week_start=datetime.date(2024, 3, 4))
        later.save_revision().publish()
        article.move(later, pos="last-child")

    assert found(search, WORD) == [article.id]
    item = search(q=WORD, locale="en").json()["items"][0]
    assert item["week"]["start"] == "2024-03-04"
    assert search(q=WORD, locale="en").json()["facets"]["years"] == [{"year": 2024, "count": 1}]


def test_a_deleted_page_is_gone(article, indexed, search):
    with indexed():
        article.delete()

    assert found(search) == []
    assert (
        not SearchEntry.objects.exists()
        or not SearchEntry.objects.filter(title="Checkpoint closures").exists()
    )


def test_a_translation_is_found_in_its_language_once_published(article, indexed, search):
    russian = Locale.objects.get(language_code="ru")
    with indexed():
        translation = article.copy_for_translation(russian, copy_parents=True)
        translation.title = "Закрытие пунктов пропуска"
        translation.lead = "Латвия закрывает пункт пропуска Силене."
        translation.topic = topic("belarus-west-relations", "ru")
        translation.save_revision()
    assert found(search, "Силене", locale="ru") == []

    with indexed():
        translation.save_revision().publish()
    assert found(search, "Силене", locale="ru") == [translation.id]
    assert found(search, "Силене", locale="en") == []
    assert found(search, "closures", locale="ru") == []

    translation.refresh_from_db()
    with indexed():
        translation.unpublish()
    assert found(search, "Силене", locale="ru") == []


def test_a_belarusian_search_finds_the_russian_article_the_be_ru_edition_borrows(
    article, indexed, search
):
    with indexed():
        russian = article.copy_for_translation(
            Locale.objects.get(language_code="ru"), copy_parents=True
        )
        russian.title = "Закрытие пунктов пропуска"
        russian.lead = "Латвия закрывает пункт пропуска Силене."
        russian.topic = topic("belarus-west-relations", "ru")
        russian.save_revision().publish()

    data = search(q="Силене", locale="be").json()
    [item] = data["items"]
    assert item["id"] == russian.id
    assert (item["meta"]["served_locale"], item["meta"]["fallback"]) == ("ru", True)
    assert item["meta"]["path"].startswith("/be/")
    assert item["topic"]["slug"] == "belarus-west-relations"
    assert "<mark>Силене</mark>" in item["highlight"]["text"]
    [facet] = data["facets"]["topics"]
    assert facet["topic"]["id"] == topic("belarus-west-relations", "be").id
    assert found(search, "Силене", locale="be", topic="belarus-west-relations") == [russian.id]

    with indexed():
        belarusian = article.copy_for_translation(
            Locale.objects.get(language_code="be"), copy_parents=True
        )
        belarusian.title = "Закрыццё пунктаў пропуску"
        belarusian.lead = "Латвія зачыняе пункт пропуску Сілене."
        belarusian.topic = topic("belarus-west-relations", "be")
        belarusian.save_revision().publish()
    assert found(search, "Силене", locale="be") == []
    assert found(search, "Сілене", locale="be") == [belarusian.id]


def test_update_index_rebuilds_the_index_and_reports_progress(article, capsys):
    SearchEntry.objects.all().delete()

    call_command("update_index", verbosity=1)

    output = capsys.readouterr().out
    assert "Search index:" in output
    assert "public pages indexed" in output
    assert SearchEntry.objects.filter(page_id=article.id).exists()
    assert SearchEntry.objects.filter(page_id=article.get_parent().id).exists()


def test_after_update_index_search_stops_answering_what_it_cached_before(article, search):
    SearchEntry.objects.all().delete()  # an index lost (or never built), as after a restore
    assert found(search) == []  # … and that empty answer is now cached

    call_command("update_index", verbosity=0)

    assert found(search) == [article.id]
