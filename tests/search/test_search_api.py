"""GET /api/v2/search/ and /api/v2/search/suggest/: what a reader and a frontend get."""

import datetime

import pytest

from digest.factories import topic
from digest.trends import Trend
from tests.search.conftest import ids, publish_article
from tests.shared import shared_content

SEP_11 = datetime.date(2023, 9, 11)
OCT_7_2024 = datetime.date(2024, 10, 7)


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker):
    yield from shared_content(django_db_blocker, three_articles)


def three_articles() -> dict:
    """Three English articles in two years, on two topics, with distinctive words."""
    seed = publish_article(
        SEP_11,
        title="Lukashenka offers friendship to the neighbours",
        lead="The reply was a closed checkpoint at the Latvian border.",
        topic=topic("belarus-west-relations"),
        trend=Trend.UNCHANGED,
    )
    drills = publish_article(
        SEP_11 + datetime.timedelta(weeks=1),
        title="Drills near the border",
        lead="Exercises with Wagner instructors continued near the Polish border.",
        topic=topic("security-issues"),
        trend=Trend.WORSENED,
    )
    later = publish_article(
        OCT_7_2024,
        title="Border queues grow again",
        lead="Trucks waited for days at the border crossing.",
        topic=topic("belarus-west-relations"),
        trend=Trend.WORSENED,
    )
    return {"seed": seed, "drills": drills, "later": later}


def test_a_published_article_is_found_by_a_word_of_its_text_with_the_word_marked(archive, search):
    data = search(q="Latvian", locale="en").json()

    assert [item["id"] for item in data["items"]] == [archive["seed"].id]
    item = data["items"][0]
    assert "<mark>Latvian</mark>" in item["highlight"]["text"]
    assert item["highlight"]["title"] == "Lukashenka offers friendship to the neighbours"
    assert item["score"] > 0


def test_a_result_is_the_article_summary_with_topic_trend_week_and_frontend_url(archive, search):
    item = search(q="Latvian", locale="en").json()["items"][0]

    assert item["meta"]["type"] == "digest.ArticlePage"
    assert item["title"] == "Lukashenka offers friendship to the neighbours"
    assert item["topic"]["slug"] == "belarus-west-relations"
    assert item["trend"]["value"] == Trend.UNCHANGED
    assert item["week"]["start"] == "2023-09-11"
    assert item["meta"]["path"].startswith("/situation-in-belarus/2023-09-11/")
    assert item["meta"]["html_url"] == "https://frontend.test" + item["meta"]["path"]


def test_title_matches_are_marked_in_the_title(archive, search):
    item = search(q="drills", locale="en").json()["items"][0]
    assert item["highlight"]["title"] == "<mark>Drills</mark> near the border"


def test_every_word_must_match(archive, search):
    assert ids(search(q="border Trucks", locale="en")) == [archive["later"].id]
    assert ids(search(q="border nonexistentword", locale="en")) == []


def test_weeks_are_found_by_their_summary(db, indexed, search):
    with indexed():
        article = publish_article(datetime.date(2023, 1, 2))
        report = article.get_parent().specific
        report.summary = "Minsk hosted a summit on grain corridors."
        report.save_revision().publish()

    data = search(q="corridors", locale="en").json()
    assert [item["id"] for item in data["items"]] == [report.id]
    assert data["items"][0]["meta"]["type"] == "digest.ReportPage"
    assert "<mark>corridors</mark>" in data["items"][0]["highlight"]["text"]


def test_markup_in_the_text_is_escaped_so_only_marks_are_html(db, indexed, search):
    with indexed():
        publish_article(
            datetime.date(2023, 1, 9), lead='A <script>alert("x")</script> & <b>bold</b> claim.'
        )

    text = search(q="claim", locale="en").json()["items"][0]["highlight"]["text"]
    assert "<script>" not in text and "<b>" not in text
    assert "&lt;/script&gt;" in text
    assert "&amp;" in text
    assert "<mark>claim</mark>" in text


def test_topic_trend_and_dates_narrow_the_results(archive, search):
    assert set(ids(search(q="border", locale="en", topic="security-issues"))) == {
        archive["drills"].id
    }
    assert set(ids(search(q="border", locale="en", trend=Trend.WORSENED))) == {
        archive["drills"].id,
        archive["later"].id,
    }
    assert set(ids(search(q="border", locale="en", date_from="2024-01-01"))) == {
        archive["later"].id
    }
    assert set(
        ids(search(q="border", locale="en", date_from="2023-09-01", date_to="2023-09-30"))
    ) == {archive["seed"].id, archive["drills"].id}


def test_facets_count_hits_per_topic_and_year_each_ignoring_its_own_filter(archive, search):
    data = search(q="border", locale="en", topic="belarus-west-relations").json()

    assert data["meta"]["total_count"] == 2
    topics = {facet["topic"]["slug"]: facet["count"] for facet in data["facets"]["topics"]}
    assert topics == {"belarus-west-relations": 2, "security-issues": 1}
    assert data["facets"]["years"] == [{"year": 2024, "count": 1}, {"year": 2023, "count": 1}]

    in_2023 = search(q="border", locale="en", date_from="2023-01-01", date_to="2023-12-31")
    assert {facet["year"]: facet["count"] for facet in in_2023.json()["facets"]["years"]} == {
        2023: 2,
        2024: 1,
    }


def test_pages_of_results_share_one_total(archive, search):
    first = search(q="border", locale="en", limit=2).json()
    second = search(q="border", locale="en", limit=2, offset=2).json()

    assert first["meta"]["total_count"] == second["meta"]["total_count"] == 3
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    assert not set(ids_of(first)) & set(ids_of(second))


def ids_of(data) -> list[int]:
    return [item["id"] for item in data["items"]]


def test_only_the_language_asked_for_is_searched(archive, search):
    assert search(q="Latvian", locale="ru").json()["meta"]["total_count"] == 0


def test_suggest_completes_the_words_of_titles(archive, search):
    items = search(suggest=True, q="friendsh", locale="en").json()["items"]

    assert [item["id"] for item in items] == [archive["seed"].id]
    assert items[0]["title"] == "Lukashenka offers friendship to the neighbours"
    assert items[0]["type"] == "digest.ArticlePage"
    assert items[0]["html_url"] == "https://frontend.test" + items[0]["path"]


def test_suggest_completes_the_last_of_several_words(archive, search):
    items = search(suggest=True, q="Border que", locale="en").json()["items"]
    assert [item["id"] for item in items] == [archive["later"].id]


def test_suggest_respects_its_limit(archive, search):
    assert len(search(suggest=True, q="bord", locale="en", limit=1).json()["items"]) == 1
