"""The change feed tells a static build what readers could see change — which files to rebuild
and which to delete, in every language — and nothing readers could not see."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone
from wagtail.models import PageViewRestriction

from core import api_cache
from digest.desk.publishing import publish_week
from digest.desk.translation import translate_week
from digest.factories import (
    ArticlePageFactory,
    CreditedImageFactory,
    ReportPageFactory,
    english_week,
    topic,
)
from digest.trends import Trend
from tests.api.contract import assert_matches_contract
from tests.translating import publish_translated

pytestmark = pytest.mark.django_db

WEEK = "/situation-in-belarus/2023-09-11/"
EN_WEST = f"{WEEK}minsk-calls-for-friendship/"
# The BE/RU edition borrows the English article where it has no Belarusian or Russian one.
BE_BORROWED_WEST = "/be/situacyja-u-bielarusi/2023-09-11/minsk-calls-for-friendship/"
BE_WEST = "/be/situacyja-u-bielarusi/2023-09-11/be-minsk-calls-for-friendship/"
RU_WEST = "/ru/situaciya-v-belarusi/2023-09-11/ru-minsk-calls-for-friendship/"
TOPICS = (
    "the-ruling-elite",
    "security-issues",
    "belarus-west-relations",
    "belarus-russia-relations",
    "economy",
)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` — committed when it ends, its on-commit work done."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def feed(client):
    def get(headers=None, **params):
        response = client.get("/api/v2/changes/", params, headers=headers)
        assert_matches_contract(response)
        return response

    return get


@pytest.fixture
def position(feed):
    """The feed's current position, as a first build asks for it."""
    return lambda: feed().json()["meta"]["cursor"]


@pytest.fixture
def changes_since(feed):
    def read(cursor) -> list[dict]:
        answer = feed(since=cursor, limit=500).json()
        assert answer["meta"]["has_more"] is False
        return answer["items"]

    return read


@pytest.fixture
def week(committed):
    with committed():
        report, west, security, _analyst = english_week()
    return report, west, security


@pytest.fixture
def trilingual_week(week, committed):
    report, west, security = week
    with committed():
        translate_week(report, None, ["be", "ru"])
        for page in (report, west, security):
            for language in ("be", "ru"):
                publish_translated(page, language)
    return week


def by_page(entries) -> dict[int, dict]:
    assert len({entry["page_id"] for entry in entries}) == len(entries), "one entry per page"
    return {entry["page_id"]: entry for entry in entries}


def test_without_a_cursor_the_feed_answers_its_position_and_no_entries(week, feed):
    answer = feed().json()

    assert answer["items"] == []
    assert answer["meta"]["since"] is None
    assert answer["meta"]["has_more"] is False
    assert int(answer["meta"]["cursor"]) > 0  # the week's publication is behind it
    assert answer["meta"]["next"].endswith(f"/api/v2/changes/?since={answer['meta']['cursor']}")


def test_a_published_week_is_one_created_entry_per_page_with_its_paths_in_every_language(
    position, changes_since, committed, admin_user, client
):
    with committed():  # the week as the desk leaves it: drafts
        report = ReportPageFactory(week_start=datetime.date(2023, 9, 18), live=False)
        report.save_revision()
        articles = []
        for slug in TOPICS:
            article = ArticlePageFactory.build(
                title=f"News on {slug}",
                topic=topic(slug),
                trend=Trend.UNCHANGED,
                photo=CreditedImageFactory(),
                live=False,
            )
            report.add_child(instance=article)
            article.save_revision()
            articles.append(article)
    cursor = position()
    assert changes_since(cursor) == [], "drafts are no change"

    with committed():
        publish_week(report, "en", admin_user)

    entries = by_page(changes_since(cursor))
    assert set(entries) == {report.id, *(article.id for article in articles)}
    assert {entry["action"] for entry in entries.values()} == {"created"}
    assert entries[report.id]["page_type"] == "digest.ReportPage"
    assert entries[report.id]["paths"] == {
        "en": "/situation-in-belarus/2023-09-18/",
        "be": "/be/situacyja-u-bielarusi/2023-09-18/",
        "ru": None,
    }
    article = entries[articles[0].id]
    assert (article["page_type"], article["locale"], article["removed_paths"]) == (
        "digest.ArticlePage",
        "en",
        [],
    )
    assert article["paths"]["en"] == "/situation-in-belarus/2023-09-18/news-on-the-ruling-elite/"
    # Every path is where the API finds the page for that edition's readers.
    for entry in entries.values():
        for path in filter(None, entry["paths"].values()):
            found = client.get("/api/v2/pages/find/", {"html_path": path})
            assert found.json()["id"] == entry["page_id"], path


def test_a_draft_saved_is_no_change(week, position, changes_since, committed):
    _report, west, _security = week
    cursor = position()

    with committed():
        west.title = "A draft nobody may read"
        west.lead = "Secret lead"
        west.save_revision()

    assert changes_since(cursor) == []


def test_sending_a_week_to_translation_is_no_change(week, position, changes_since, committed):
    report, _west, _security = week
    cursor = position()

    with committed():  # drafts, and copies of the topics and authors awaiting their translation
        translate_week(report, None, ["be", "ru"])

    assert changes_since(cursor) == []


def test_a_corrected_article_is_updated_at_its_paths_in_every_language(
    trilingual_week, position, changes_since, committed
):
    _report, west, _security = trilingual_week
    cursor = position()

    with committed():
        west.title = "Minsk calls for friendship, corrected"
        west.save_revision().publish()

    [entry] = changes_since(cursor)
    assert (entry["page_id"], entry["action"], entry["locale"]) == (west.id, "updated", "en")
    # Slugs stay once published; the language switch of every version changed with it.
    assert entry["paths"] == {"en": EN_WEST, "be": BE_WEST, "ru": RU_WEST}
    assert entry["removed_paths"] == []


def test_a_published_translation_takes_its_editions_path_from_the_borrowed_page(
    week, position, changes_since, committed
):
    report, west, _security = week
    with committed():
        translate_week(report, None, ["be"])
        publish_translated(report, "be")
    cursor = position()

    with committed():
        belarusian = publish_translated(west, "be")

    entries = by_page(changes_since(cursor))
    entry = entries.pop(belarusian.id)
    assert (entry["action"], entry["locale"]) == ("created", "be")
    assert entry["paths"] == {"en": EN_WEST, "be": BE_WEST, "ru": None}
    assert entry["removed_paths"] == [BE_BORROWED_WEST]
    # The rest: English articles the BE/RU edition borrows, now labelled with the Belarusian
    # author and topic the translator published first.
    assert {(entry["locale"], entry["action"]) for entry in entries.values()} <= {("en", "updated")}


def test_an_unpublished_article_is_removed_and_its_translations_stay(
    trilingual_week, position, changes_since, committed
):
    _report, west, _security = trilingual_week
    cursor = position()

    with committed():
        west.unpublish()

    [entry] = changes_since(cursor)
    assert (entry["page_id"], entry["action"]) == (west.id, "unpublished")
    assert entry["paths"] == {"en": None, "be": BE_WEST, "ru": RU_WEST}
    assert entry["removed_paths"] == [EN_WEST]


def test_a_deleted_article_is_reported_deleted_with_every_path_it_had(
    week, position, changes_since, committed
):
    _report, west, _security = week
    west_id = west.id
    cursor = position()

    with committed():
        west.delete()

    [entry] = changes_since(cursor)
    assert (entry["page_id"], entry["action"], entry["page_type"]) == (
        west_id,
        "deleted",
        "digest.ArticlePage",
    )
    assert entry["paths"] == {"en": None, "be": None, "ru": None}
    assert entry["removed_paths"] == sorted([EN_WEST, BE_BORROWED_WEST])


def test_a_moved_article_is_updated_at_its_new_paths_and_its_old_ones_removed(
    week, position, changes_since, committed
):
    _report, west, _security = week
    with committed():
        next_week = ReportPageFactory(week_start=datetime.date(2023, 9, 18))
        next_week.save_revision().publish()
    cursor = position()

    with committed():
        west.move(next_week, pos="last-child")

    [entry] = changes_since(cursor)
    assert (entry["page_id"], entry["action"]) == (west.id, "updated")
    assert entry["paths"]["en"] == "/situation-in-belarus/2023-09-18/minsk-calls-for-friendship/"
    assert entry["removed_paths"] == sorted([EN_WEST, BE_BORROWED_WEST])


def test_a_restricted_week_is_a_removal_of_every_page_under_it_without_any_content(
    trilingual_week, position, changes_since, committed, feed
):
    report, west, security = trilingual_week
    cursor = position()

    with committed():
        restriction = PageViewRestriction.objects.create(
            page=report, restriction_type=PageViewRestriction.LOGIN
        )

    entries = by_page(changes_since(cursor))
    assert set(entries) == {report.id, west.id, security.id}
    assert {entry["action"] for entry in entries.values()} == {"unpublished"}
    assert entries[west.id]["removed_paths"] == [EN_WEST]
    assert entries[west.id]["paths"] == {"en": None, "be": BE_WEST, "ru": RU_WEST}
    text = feed(since=cursor).content.decode()
    for content in (west.title, west.lead, security.title, report.summary):
        assert content not in text

    cursor = position()
    with committed():
        restriction.delete()

    entries = by_page(changes_since(cursor))
    assert set(entries) == {report.id, west.id, security.id}
    assert {entry["action"] for entry in entries.values()} == {"created"}
    assert entries[west.id]["paths"]["en"] == EN_WEST


def test_a_page_published_under_a_restricted_week_is_no_change(
    week, position, changes_since, committed, feed
):
    report, _west, _security = week
    with committed():
        PageViewRestriction.objects.create(page=report, restriction_type=PageViewRestriction.LOGIN)
    cursor = position()

    with committed():
        ArticlePageFactory(parent=report, title="Behind the login", topic=topic("economy"))

    assert changes_since(cursor) == []
    assert "behind-the-login" not in feed(since=0, limit=500).content.decode()


def test_an_article_is_reported_gone_at_its_expiry_before_publish_scheduled_runs(
    week, position, changes_since, committed, feed, monkeypatch
):
    report, _west, _security = week
    expiry = timezone.now() + datetime.timedelta(hours=1)
    with committed():
        soon = ArticlePageFactory(
            parent=report, title="Soon gone", topic=topic("economy"), expire_at=expiry
        )
    cursor = position()
    assert changes_since(cursor) == []

    later = expiry + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(api_cache, "now_us", lambda: int(later.timestamp() * 1_000_000))

    [entry] = changes_since(cursor)
    assert (entry["page_id"], entry["action"]) == (soon.id, "unpublished")
    assert entry["removed_paths"] == sorted(
        [f"{WEEK}soon-gone/", "/be/situacyja-u-bielarusi/2023-09-11/soon-gone/"]
    )
    assert changes_since(entry["cursor"]) == [], "reported once"


def test_a_renamed_topic_updates_every_article_showing_it_in_every_language(
    trilingual_week, position, changes_since, committed
):
    _report, west, _security = trilingual_week
    cursor = position()

    with committed():
        renamed = topic("belarus-west-relations")
        renamed.name = "Relations with the West"
        renamed.save()

    entries = changes_since(cursor)
    assert {entry["action"] for entry in entries} == {"updated"}
    assert {entry["locale"] for entry in entries} == {"en", "be", "ru"}
    assert {entry["paths"]["en"] for entry in entries} == {EN_WEST}
    assert entries[0]["paths"] == {"en": EN_WEST, "be": BE_WEST, "ru": RU_WEST}


def test_a_corrected_photo_credit_updates_the_articles_showing_it(
    week, position, changes_since, committed
):
    _report, west, _security = week
    cursor = position()

    with committed():
        image = west.photo
        image.credit = "Photo: president.gov.by"
        image.save()

    [entry] = changes_since(cursor)
    assert (entry["page_id"], entry["action"]) == (west.id, "updated")
    assert entry["paths"]["en"] == EN_WEST


def test_the_feed_is_read_in_pages_in_cursor_order(week, feed, committed):
    report, _west, _security = week
    with committed():
        for slug in ("economy", "the-ruling-elite", "belarus-russia-relations"):
            ArticlePageFactory(parent=report, title=f"More on {slug}", topic=topic(slug))
    everything = feed(since=0, limit=500).json()["items"]
    assert len(everything) == 6

    pages, cursor, has_more = [], "0", True
    while has_more:
        meta_and_items = feed(since=cursor, limit=4).json()
        meta, items = meta_and_items["meta"], meta_and_items["items"]
        assert meta["since"] == cursor
        assert meta["next"].endswith(f"?since={meta['cursor']}&limit=4")
        pages.append(items)
        cursor, has_more = meta["cursor"], meta["has_more"]

    assert [len(items) for items in pages] == [4, 2]
    assert [item for items in pages for item in items] == everything
    cursors = [int(item["cursor"]) for item in everything]
    assert cursors == sorted(cursors) and len(set(cursors)) == len(cursors)
    assert feed(since=cursor).json()["items"] == []


@pytest.mark.parametrize(
    "query",
    [
        {"since": "abc"},
        {"since": "-1"},
        {"since": "1.5"},
        {"since": ""},
        {"since": "9" * 19},
        {"limit": "0"},
        {"limit": "501"},
        {"limit": "ten"},
        {"cursor": "1"},
    ],
)
def test_a_malformed_cursor_or_limit_is_a_400_with_a_message(feed, query):
    response = feed(**query)

    assert response.status_code == 400
    assert response.json()["message"]


def test_a_cursor_older_than_the_changes_kept_or_ahead_of_the_feed_asks_for_a_full_rebuild(
    week, feed, committed
):
    report, west, _security = week
    latest = int(feed().json()["meta"]["cursor"])

    ahead = feed(since=latest + 1000)
    assert (ahead.status_code, ahead.json()["code"]) == (410, "full_rebuild")

    with override_settings(CHANGE_FEED_RETENTION_DAYS=0), committed():
        west.title = "Minsk calls for friendship, corrected"
        west.save_revision().publish()

    pruned = feed(since=0)
    assert pruned.status_code == 410
    assert pruned.json()["code"] == "full_rebuild"
    assert "rebuild" in pruned.json()["message"]
    assert [item["page_id"] for item in feed(since=latest).json()["items"]] == [west.id]


def test_the_feed_is_never_stale_after_a_change(week, feed, committed):
    _report, west, _security = week
    cursor = feed().json()["meta"]["cursor"]
    first = feed(since=cursor)
    again = feed(since=cursor, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304  # it is cached and revalidated

    with committed():
        west.unpublish()

    fresh = feed(since=cursor, headers={"If-None-Match": first["ETag"]})
    assert fresh.status_code == 200
    assert [item["page_id"] for item in fresh.json()["items"]] == [west.id]
    assert feed().json()["meta"]["cursor"] == fresh.json()["meta"]["cursor"]


def test_the_listing_costs_the_same_few_queries_however_many_entries(
    week, feed, committed, django_assert_max_num_queries, django_assert_num_queries
):
    report, _west, _security = week
    with committed():
        for number in range(12):
            ArticlePageFactory(parent=report, title=f"Note {number}", topic=topic("economy"))

    # The cursor window, the entries, the expiry check, the next expiry (for the response
    # cache) and, once, the visibility rule of the site.
    with django_assert_max_num_queries(10):
        items = feed(since=0, limit=500).json()["items"]
    assert len({item["page_id"] for item in items}) == 15  # the week, its articles, the notes
    with django_assert_max_num_queries(5):
        assert len(feed(since=0, limit=2).json()["items"]) == 2
    with django_assert_max_num_queries(5):
        assert len(feed(since=0, limit=400).json()["items"]) == len(items)
