"""Topics, authors, trends, media, redirects, feeds, sitemap, preview and the contract itself."""

import datetime
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail_headless_preview.models import PagePreview

from cms.openapi import build_document
from digest.models import ArticlePage, Topic
from tests.api.contract import document
from tests.api.pages import MISSING_IN_BELARUSIAN, article

FRONTEND = "https://frontend.test"


def test_topics_are_listed_per_locale_in_editorial_order(api):
    items = api("topics/", locale="be").json()["items"]
    assert [item["slug"] for item in items][:5] == [
        "the-ruling-elite",
        "society-and-political-parties",
        "security-issues",
        "belarus-west-relations",
        "belarus-russia-relations",
    ]
    assert items[0]["name"] == "Кіруючы клас"


def test_a_topic_is_found_by_slug_and_locale(api):
    [item] = api("topics/", slug="security-issues", locale="ru").json()["items"]
    assert item["name"] == "Вопросы безопасности"
    assert api(f"topics/{item['id']}/").json()["slug"] == "security-issues"


def test_authors_are_listed_per_locale(api):
    items = api("authors/", locale="be", limit=100).json()["items"]
    assert "Павел Сямёнаў" in {item["name"] for item in items}


def test_the_trend_series_gives_each_week_of_a_topic(api):
    data = api("trends/", locale="be", topic="belarus-west-relations").json()
    [series] = data["topics"]
    assert series["topic"]["name"] == "Адносіны Беларусі і Захаду"
    assert len(series["points"]) == 8
    seed_week = next(p for p in series["points"] if p["week"]["start"] == "2023-09-11")
    assert seed_week["trend"] == {
        "value": "unchanged",
        "label": "Сітуацыя не змянілася",
        "direction": 0,
    }
    assert seed_week["article"]["path"].startswith("/be/")


def test_the_trend_series_links_a_missing_belarusian_article_to_russian(api):
    week, topic = MISSING_IN_BELARUSIAN
    [series] = api("trends/", locale="be", topic=topic).json()["topics"]
    point = next(p for p in series["points"] if p["week"]["start"] == week.isoformat())
    assert point["article"]["locale"] == "ru"


def test_trends_without_a_topic_cover_every_topic_that_published_articles_use(api):
    data = api("trends/", locale="en").json()
    used = Topic.objects.filter(locale__language_code="en", articles__live=True).distinct()
    assert {series["topic"]["slug"] for series in data["topics"]} == {t.slug for t in used}


@pytest.mark.parametrize(
    "params",
    [{}, {"locale": "xx"}, {"locale": "en", "topic": "nope"}, {"locale": "en", "date_from": "x"}],
)
def test_bad_trend_queries_are_refused(api, params):
    assert api("trends/", **params).status_code == 400


def test_images_come_with_renditions_and_credit(api):
    item = api("images/", limit=1).json()["items"][0]
    assert item["credit"]
    assert item["renditions"]


def test_a_redirect_is_found_with_its_frontend_location(api):
    target = article("ru")
    Redirect.objects.create(old_path="/old-path", redirect_page=target, is_permanent=True)
    data = api("redirects/find/", html_path="/old-path/").json()
    assert data["is_permanent"] is True
    assert (
        data["location"]
        == "https://frontend.test" + api(f"pages/{target.id}/").json()["meta"]["path"]
    )


def test_an_unknown_redirect_is_a_json_404(api):
    response = api("redirects/find/", html_path="/nothing-here/")
    assert response.status_code == 404


@pytest.mark.parametrize(("language", "kind"), [("en", "rss"), ("be", "atom"), ("ru", "rss")])
def test_each_locale_has_a_feed_of_its_articles_with_frontend_links(
    demo, db, client, language, kind
):
    response = client.get(f"/api/v2/feeds/{language}/{kind}/")
    assert response.status_code == 200
    tree = ET.fromstring(response.content)
    links = [
        element.text or element.get("href")
        for element in tree.iter()
        if element.tag.endswith("link")
    ]
    assert links
    prefix = "https://frontend.test/" if language == "en" else f"https://frontend.test/{language}/"
    assert all(link.startswith(prefix) for link in links if link and "api/v2" not in link)


@pytest.mark.parametrize("language", ["en", "be", "ru"])
def test_feed_entries_are_dated_by_their_week_and_identified_by_their_frontend_url(
    demo, db, client, language
):
    channel = ET.fromstring(client.get(f"/api/v2/feeds/{language}/rss/").content).find("channel")
    weeks = set()
    for item in channel.findall("item"):
        link = item.findtext("link")
        guid = item.find("guid")
        assert guid.text == link
        assert guid.get("isPermaLink") != "false"
        # Dated by the Sunday of the article's week, whenever the CMS published it (the demo
        # was published today).
        found = client.get("/api/v2/pages/find/", {"html_path": link.removeprefix(FRONTEND)})
        week_start = ArticlePage.objects.get(pk=found.json()["id"]).week_start
        published = parsedate_to_datetime(item.findtext("pubDate"))
        assert published.date() == week_start + datetime.timedelta(days=6)
        weeks.add(week_start)
    assert len(weeks) > 1


def test_the_sitemap_lists_public_pages_with_hreflang_alternates(demo, db, client):
    response = client.get("/api/v2/sitemap.xml")
    assert response.status_code == 200
    tree = ET.fromstring(response.content)
    namespace = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "x": "http://www.w3.org/1999/xhtml",
    }
    urls = tree.findall("s:url", namespace)
    seed = next(
        url
        for url in urls
        if url.find("s:loc", namespace).text.endswith("/2023-09-11/" + article("en").slug + "/")
    )
    alternates = {
        link.get("hreflang"): link.get("href") for link in seed.findall("x:link", namespace)
    }
    assert set(alternates) == {"en", "be", "ru", "x-default"}
    assert all(href.startswith("https://frontend.test/") for href in alternates.values())


def preview_token(page, editor):
    page.title = "Draft title for the preview"
    preview = page.create_page_preview(issuer=editor)
    return preview.token


def test_a_draft_is_served_to_the_preview_with_a_valid_token(api, admin_user):
    page = article("be")
    token = preview_token(page, admin_user)
    response = api("page_preview/", content_type="digest.articlepage", token=token)
    assert response.status_code == 200
    assert response.json()["title"] == "Draft title for the preview"
    assert response["Cache-Control"] == "private, no-store"
    # The live page is unchanged.
    assert api(f"pages/{page.id}/").json()["title"] != "Draft title for the preview"


@pytest.mark.parametrize("token", ["", "forged", "id=1:abcdef"])
def test_a_preview_without_a_valid_token_shows_nothing(api, token):
    response = api("page_preview/", content_type="digest.articlepage", token=token)
    assert response.status_code in (400, 404)


def test_a_preview_token_for_another_content_type_shows_nothing(api, admin_user):
    token = preview_token(article("en"), admin_user)
    response = api("page_preview/", content_type="digest.reportpage", token=token)
    assert response.status_code == 404
    assert PagePreview.objects.filter(token=token).exists()


def test_cors_allows_the_frontend_origin(demo, db, client):
    response = client.get("/api/v2/topics/", HTTP_ORIGIN="https://frontend.test")
    assert response["Access-Control-Allow-Origin"] == "https://frontend.test"
    other = client.get("/api/v2/topics/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other


def test_the_served_contract_is_the_committed_one(api):
    assert api("openapi.json").json() == document() == build_document()


def test_the_api_root_lists_every_endpoint_each_of_which_answers(api, client, settings):
    index = api("").json()
    assert index["languages"] == ["en", "be", "ru"]
    endpoints = index["endpoints"]
    root = f"{settings.WAGTAILAPI_BASE_URL}/api/v2/"
    assert endpoints["openapi"] == f"{root}openapi.json"
    assert {"listPages", "findPage", "search", "subscribe"} <= set(endpoints)
    page_id = api("pages/").json()["items"][0]["id"]
    for name, url in endpoints.items():
        assert url.startswith(root), name
        path = "/api/v2/" + url.removeprefix(root)
        path = path.replace("{locale}", "be").replace("{id}", str(page_id))
        # Each is there: some want parameters (400) or another method (405), none is missing
        # (a page's id is no topic's or image's, hence a 404 there).
        response = client.get(path)
        allowed = (200, 400, 404, 405) if "{id}" in url else (200, 400, 405)
        assert response.status_code in allowed, (name, response.status_code)
