"""After every kind of change, every affected API response is fresh on the very next request —
although each of them was served from the cache just before."""

import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Locale, PageViewRestriction

from core import api_cache
from digest.factories import ArticlePageFactory, ReportPageFactory, topic
from digest.models import ArticlePage
from digest.trends import Trend
from search.tasks import update_search_index
from tests.performance.conftest import publish_translations, titles

HELD_BACK_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def cached(get, *requests):
    """GET each (path, params) twice, so that the answers now come from the cache."""
    for path, params in requests:
        get(path, **params)
        get(path, **params)


def article_listing(language="en", **params):
    return ("pages/", {"type": "digest.ArticlePage", "locale": language, **params})


def detail(page, **params):
    return (f"pages/{page.id}/", params)


def find(path):
    return ("pages/find/", {"html_path": path})


def feed(language="en"):
    return (f"feeds/{language}/rss/", {})


SITEMAP = ("sitemap.xml", {})


def fetch(get, request):
    path, params = request
    return get(path, **params)


def test_a_published_article_appears_everywhere_at_once(week, get):
    cached(
        get, article_listing(), detail(week.report), feed(), SITEMAP, ("trends/", {"locale": "en"})
    )

    article = ArticlePageFactory(
        parent=week.report, title="Border talks resume", topic=topic("the-ruling-elite")
    )

    assert "Border talks resume" in titles(fetch(get, article_listing()))
    week_articles = fetch(get, detail(week.report)).json()["articles"]
    assert "Border talks resume" in [item["title"] for item in week_articles]
    assert "Border talks resume" in fetch(get, feed()).content.decode()
    assert "/situation-in-belarus/2023-09-11/border-talks-resume/" in (
        fetch(get, SITEMAP).content.decode()
    )
    points = fetch(get, ("trends/", {"locale": "en"})).json()["topics"]
    elite = next(series for series in points if series["topic"]["slug"] == "the-ruling-elite")
    assert [point["article"]["id"] for point in elite["points"]] == [article.id]


def test_a_republished_correction_is_served_at_once(week, get):
    path = "/situation-in-belarus/2023-09-11/minsk-calls-for-friendship/"
    cached(get, detail(week.west), find(path), article_listing())

    week.west.title = "Minsk calls for friendship, corrected"
    week.west.save_revision().publish()

    assert fetch(get, detail(week.west)).json()["title"] == "Minsk calls for friendship, corrected"
    assert fetch(get, find(path)).json()["title"] == "Minsk calls for friendship, corrected"
    assert "Minsk calls for friendship, corrected" in titles(fetch(get, article_listing()))


def test_an_unpublished_article_disappears_at_once(trilingual_week, get):
    week = trilingual_week
    russian = week.version(week.west, "ru")
    cached(get, detail(week.west), article_listing(), detail(week.report), detail(russian), SITEMAP)

    week.west.unpublish()

    assert fetch(get, detail(week.west)).status_code == 404
    assert "Minsk calls for friendship" not in titles(fetch(get, article_listing()))
    assert week.west.id not in [a["id"] for a in fetch(get, detail(week.report)).json()["articles"]]
    translations = fetch(get, detail(russian)).json()["meta"]["translations"]
    assert {link["locale"]: link["status"] for link in translations}["en"] == "missing"
    english_url = (
        "https://frontend.test/situation-in-belarus/2023-09-11/minsk-calls-for-friendship/"
    )
    assert f"<loc>{english_url}</loc>" not in fetch(get, SITEMAP).content.decode()


def test_a_moved_article_is_found_at_its_new_path_at_once(week, get):
    old_path = "/situation-in-belarus/2023-09-11/minsk-calls-for-friendship/"
    new_path = "/situation-in-belarus/2023-09-18/minsk-calls-for-friendship/"
    next_week = ReportPageFactory(week_start=datetime.date(2023, 9, 18))
    next_week.save_revision().publish()
    cached(get, find(old_path), detail(week.west), detail(week.report), detail(next_week))

    week.west.move(next_week, pos="last-child")

    assert fetch(get, find(old_path)).status_code == 404
    assert fetch(get, find(new_path)).json()["id"] == week.west.id
    moved = fetch(get, detail(week.west)).json()
    assert moved["meta"]["path"] == new_path
    assert moved["week"]["start"] == "2023-09-18"
    assert [a["id"] for a in fetch(get, detail(week.report)).json()["articles"]] == [
        week.security.id
    ]
    assert [a["id"] for a in fetch(get, detail(next_week)).json()["articles"]] == [week.west.id]


def test_a_deleted_article_is_gone_at_once(week, get):
    cached(get, detail(week.west), article_listing(), detail(week.report), feed())
    article_id = week.west.id

    week.west.delete()

    assert fetch(get, ("pages/" + f"{article_id}/", {})).status_code == 404
    assert "Minsk calls for friendship" not in titles(fetch(get, article_listing()))
    assert [a["title"] for a in fetch(get, detail(week.report)).json()["articles"]] == [
        "Troops on the border"
    ]
    assert "Minsk calls for friendship" not in fetch(get, feed()).content.decode()


def test_a_published_translation_is_linked_from_the_other_languages_at_once(week, get, committed):
    from digest.desk.translation import translate_week

    with committed():
        translate_week(week.report, None, ["be"])
        publish_translations(week.report, ["be"])
    fallback_listing = (
        "pages/",
        {"type": "digest.ArticlePage", "locale": "be", "fallback": "true"},
    )
    belarusian_only = article_listing("be", fallback="false")
    cached(get, detail(week.west), belarusian_only, fallback_listing, feed("be"))

    publish_translations(week.west, ["be"])

    links = fetch(get, detail(week.west)).json()["meta"]["translations"]
    assert {link["locale"]: link["status"] for link in links} == {"be": "live", "ru": "missing"}
    assert len(titles(fetch(get, belarusian_only))) == 1
    served = {
        item["meta"]["served_locale"] for item in fetch(get, fallback_listing).json()["items"]
    }
    assert served == {"be", "en"}
    belarusian = week.west.get_translation(Locale.objects.get(language_code="be"))
    assert f"<title>{belarusian.title}</title>" in fetch(get, feed("be")).content.decode()


def test_a_view_restriction_hides_the_week_at_once_and_its_removal_shows_it_again(week, get):
    requests = [detail(week.west), detail(week.report), article_listing(), feed(), SITEMAP]
    cached(get, *requests)

    restriction = PageViewRestriction.objects.create(
        page=week.report, restriction_type=PageViewRestriction.LOGIN
    )

    assert fetch(get, detail(week.west)).status_code == 404
    assert fetch(get, detail(week.report)).status_code == 404
    assert titles(fetch(get, article_listing())) == []
    assert "Minsk calls for friendship" not in fetch(get, feed()).content.decode()
    assert "2023-09-11" not in fetch(get, SITEMAP).content.decode()
    cached(get, *requests)

    restriction.delete()

    assert fetch(get, detail(week.west)).status_code == 200
    assert len(titles(fetch(get, article_listing()))) == 2


def test_a_renamed_topic_is_shown_in_every_article_and_listing_at_once(week, get):
    topic_requests = [detail(week.west), article_listing(), ("topics/", {"locale": "en"})]
    cached(get, *topic_requests)

    renamed = topic("belarus-west-relations")
    renamed.name = "Relations with the West"
    renamed.save()

    assert fetch(get, detail(week.west)).json()["topic"]["name"] == "Relations with the West"
    listing = fetch(get, article_listing()).json()["items"]
    assert "Relations with the West" in [item["topic"]["name"] for item in listing]
    topics = fetch(get, ("topics/", {"locale": "en"})).json()["items"]
    assert "Relations with the West" in [item["name"] for item in topics]


def test_a_corrected_author_name_is_shown_in_every_byline_at_once(week, get):
    cached(get, detail(week.west), detail(week.security), ("authors/", {}))

    week.analyst.name = "Pavel Siamionau (Warsaw)"
    week.analyst.save()

    for article in (week.west, week.security):
        authors = fetch(get, detail(article)).json()["authors"]
        assert [author["name"] for author in authors] == ["Pavel Siamionau (Warsaw)"]
    names = [item["name"] for item in fetch(get, ("authors/", {})).json()["items"]]
    assert "Pavel Siamionau (Warsaw)" in names


def test_a_corrected_photo_credit_is_shown_at_once(week, get):
    image = week.west.photo
    cached(get, detail(week.west), (f"images/{image.id}/", {}))

    image.credit = "Photo: president.gov.by"
    image.save()

    assert fetch(get, detail(week.west)).json()["photo"]["credit"] == "Photo: president.gov.by"
    assert fetch(get, (f"images/{image.id}/", {})).json()["credit"] == "Photo: president.gov.by"


def test_a_new_redirect_is_served_at_once(week, get):
    cached(get, ("redirects/find/", {"html_path": "/old-friendship/"}))

    Redirect.objects.create(old_path="/old-friendship", redirect_page=week.west)

    found = fetch(get, ("redirects/find/", {"html_path": "/old-friendship/"}))
    assert found.status_code == 200
    assert found.json()["location"].endswith("/minsk-calls-for-friendship/")


def test_a_new_document_is_listed_at_once(week, get):
    from wagtail.documents import get_document_model

    cached(get, ("documents/", {}))

    get_document_model().objects.create(
        title="Annual review", file=SimpleUploadedFile("review.pdf", b"%PDF-1.4")
    )

    assert [item["title"] for item in fetch(get, ("documents/", {})).json()["items"]] == [
        "Annual review"
    ]


def test_search_results_follow_the_index_once_it_has_caught_up(week, get, committed):
    search = ("search/", {"q": "checkpoints", "locale": "en"})
    with override_settings(TASKS=HELD_BACK_TASKS), committed():
        article = ArticlePageFactory(
            parent=week.report,
            title="Checkpoints close",
            topic=topic("the-ruling-elite"),
            trend=Trend.WORSENED,
        )
    # Published and committed, but the index task has not run yet: the search page is cached
    # without the article...
    cached(get, search)
    assert article.id not in [item["id"] for item in fetch(get, search).json()["items"]]

    with override_settings(TASKS=IMMEDIATE_TASKS):
        update_search_index.enqueue([article.id])

    # ...and shows it as soon as the index has it.
    assert article.id in [item["id"] for item in fetch(get, search).json()["items"]]


def test_a_response_rendered_before_the_commit_is_not_kept_after_it(week, get, committed):
    path = f"pages/{week.west.id}/"
    with committed():
        week.west.title = "Minsk calls for friendship, committed"
        week.west.save_revision().publish()
        # A reader served between the change and the commit (in production: from rows not
        # yet committed, so possibly the old ones).
        get(path)
    with CaptureQueriesContext(connection) as queries:
        after_commit = get(path)
    assert len(queries) > 0
    assert after_commit.json()["title"] == "Minsk calls for friendship, committed"


# ---- several processes ----------------------------------------------------------------------


@pytest.fixture
def shared_cache(settings, tmp_path):
    """A cache that several processes share (files here; Redis in production), with the
    production lease."""
    settings.API_CACHE_GENERATION_LEASE = 0.1
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }


@pytest.fixture
def clock(monkeypatch):
    """The leases' clock, and their waits, which move it on instead of sleeping."""
    now = {"seconds": 1000.0}

    def wait(seconds):
        now["seconds"] += seconds

    monkeypatch.setattr(api_cache.leases, "clock", lambda: now["seconds"])
    monkeypatch.setattr(api_cache.leases, "sleep", wait)
    return now


def test_a_change_made_by_another_process_is_served_once_its_publish_has_returned(
    week, get, shared_cache, clock, settings
):
    path = f"pages/{week.west.id}/"
    assert get(path).json()["title"] == "Minsk calls for friendship"

    # Another process publishes a correction: new rows, a new generation in the shared cache…
    ArticlePage.objects.filter(id=week.west.id).update(title="Minsk calls for friendship, again")
    cache.incr("api-cache:generation:content", 1_000_000)
    # …and its publish returns once the leases on the old generation have run out.
    clock["seconds"] += settings.API_CACHE_GENERATION_LEASE

    assert get(path).json()["title"] == "Minsk calls for friendship, again"


def test_publishing_returns_once_no_process_can_serve_the_old_version(
    week, shared_cache, clock, settings, committed
):
    started = clock["seconds"]
    with committed():
        week.west.title = "Minsk calls for friendship, corrected"
        week.west.save_revision().publish()
    assert clock["seconds"] - started >= settings.API_CACHE_GENERATION_LEASE


def test_with_one_process_publishing_does_not_wait(week, clock, committed):
    started = clock["seconds"]
    with committed():
        week.west.title = "Minsk calls for friendship, corrected"
        week.west.save_revision().publish()
    assert clock["seconds"] == started


def test_a_command_publishing_many_pages_waits_out_the_lease_once_when_it_ends(
    week, shared_cache, clock, settings, committed
):
    started = clock["seconds"]
    with api_cache.settled_once():
        for number in range(3):
            with committed():
                week.west.title = f"Minsk calls for friendship, corrected {number}"
                week.west.save_revision().publish()
        assert clock["seconds"] == started
    assert clock["seconds"] - started == pytest.approx(settings.API_CACHE_GENERATION_LEASE)
