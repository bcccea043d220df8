"""The BE/RU edition is one edition, whatever the door: a Belarusian reader who only follows
`/be/…` URLs sees every article of every week — in Russian where Belarusian is missing, marked
— with the topic, trend and byline in Belarusian (core.languages).

On the demo archive, where a few Belarusian articles are deliberately missing.
"""

import re
from urllib.parse import urlsplit

import pytest

from digest.models import ArticlePage, ReportPage
from digest.newsletter.content import week_digest
from tests.api.pages import MISSING_IN_BELARUSIAN, article, report

FRONTEND = "https://frontend.test"


def keys(items) -> set:
    ids = [item["id"] for item in items]
    return set(ArticlePage.objects.filter(id__in=ids).values_list("translation_key", flat=True))


def weeks():
    return list(
        ReportPage.objects.filter(live=True, locale__language_code="en")
        .order_by("week_start")
        .values_list("week_start", flat=True)
    )


def test_every_door_lists_the_same_articles_for_be_as_for_en_in_every_week(api):
    for week in weeks():
        english = api("pages/", type="digest.ArticlePage", locale="en", week=week).json()
        expected = keys(english["items"])
        assert len(expected) == 5, week

        listing = api("pages/", type="digest.ArticlePage", locale="be", week=week).json()
        assert keys(listing["items"]) == expected, f"listing, {week}"

        week_path = f"/be/situacyja-u-bielarusi/{week.isoformat()}/"
        found = api("pages/find/", html_path=week_path).json()
        assert keys(found["articles"]) == expected, f"find, {week}"
        detail = api(f"pages/{report('be', week).id}/").json()
        assert keys(detail["articles"]) == expected, f"week detail, {week}"

        digest = week_digest(week, "be")
        assert len(digest.items) == 5
        assert all(item.url.startswith(f"{FRONTEND}/be/") for item in digest.items)

        for item in listing["items"]:
            assert item["meta"]["path"].startswith("/be/"), item["meta"]["path"]
            again = api("pages/find/", html_path=item["meta"]["path"])
            assert again.status_code == 200, item["meta"]["path"]
            assert again.json()["id"] == item["id"]


def test_the_home_page_of_the_be_edition_shows_the_whole_latest_week(api):
    home = api("pages/find/", html_path="/be/").json()
    latest = home["latest_week"]
    english = api("pages/find/", html_path="/").json()["latest_week"]
    assert keys(latest["articles"]) == keys(english["articles"])


def test_a_borrowed_article_lives_at_a_be_path_and_is_marked(api):
    week, topic = MISSING_IN_BELARUSIAN
    russian = article("ru", week, topic)
    listing = api("pages/", type="digest.ArticlePage", locale="be", week=week).json()
    [borrowed] = [item for item in listing["items"] if item["meta"]["fallback"]]
    assert borrowed["id"] == russian.id
    meta = borrowed["meta"]
    assert (meta["locale"], meta["served_locale"]) == ("be", "ru")
    assert meta["path"] == f"/be/situacyja-u-bielarusi/{week.isoformat()}/{russian.slug}/"
    assert meta["html_url"] == FRONTEND + meta["path"]

    detail = api("pages/find/", html_path=meta["path"]).json()
    assert detail["id"] == russian.id
    assert (detail["meta"]["served_locale"], detail["meta"]["fallback"]) == ("ru", True)
    links = {link["locale"]: link for link in detail["meta"]["translations"]}
    assert set(links) == {"en", "ru"}, "the language switch offers the other languages"
    assert links["ru"]["status"] == "live"
    assert links["ru"]["path"].startswith("/ru/")
    assert links["en"]["id"] == article("en", week, topic).id


def test_a_borrowed_article_is_labelled_in_belarusian(api):
    week, topic = MISSING_IN_BELARUSIAN
    russian = article("ru", week, topic)
    data = api(f"pages/{russian.id}/", locale="be").json()
    assert data["meta"]["fallback"] is True
    belarusian_topic = article("be", week, "security-issues").topic.__class__.objects.get(
        translation_key=russian.topic.translation_key, locale__language_code="be"
    )
    assert data["topic"]["name"] == belarusian_topic.name
    assert data["week"]["title"] == api(f"pages/{report('be', week).id}/").json()["title"]
    russian_names = {credit.author.name for credit in russian.authors.all()}
    assert data["authors"], "the article has a byline"
    for author in data["authors"]:
        assert author["name"] not in russian_names
        assert re.search(r"[іў]", author["name"] + author["role"]), author


def test_fallback_false_opts_out_of_the_edition(api):
    week, topic = MISSING_IN_BELARUSIAN
    only_belarusian = api(
        "pages/", type="digest.ArticlePage", locale="be", week=week, fallback="false"
    ).json()
    assert len(only_belarusian["items"]) == 4
    assert {item["meta"]["served_locale"] for item in only_belarusian["items"]} == {"be"}
    week_path = f"/be/situacyja-u-bielarusi/{week.isoformat()}/{article('ru', week, topic).slug}/"
    assert api("pages/find/", html_path=week_path, fallback="false").status_code == 404


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_be_feed_is_the_be_ru_edition(api, kind):
    week, topic = MISSING_IN_BELARUSIAN
    russian = article("ru", week, topic)
    feed = api(f"feeds/be/{kind}/").content.decode()
    assert russian.title in feed
    links = re.findall(rf"{re.escape(FRONTEND)}(/[^<\"]*)", feed)
    article_links = [link for link in links if link.count("/") > 3]
    assert article_links and all(link.startswith("/be/") for link in article_links)


def test_the_sitemap_does_not_advertise_a_borrowed_page_as_belarusian(api):
    week, topic = MISSING_IN_BELARUSIAN
    russian = article("ru", week, topic)
    sitemap = api("sitemap.xml").content.decode()
    borrowed_path = f"/be/situacyja-u-bielarusi/{week.isoformat()}/{russian.slug}/"
    assert borrowed_path not in sitemap
    locations = [urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    assert f"/ru/situaciya-v-belarusi/{week.isoformat()}/{russian.slug}/" in locations


def test_links_inside_a_belarusian_text_stay_in_the_be_edition(api):
    data = api("pages/find/", html_path="/be/").json()
    assert all(item["meta"]["path"].startswith("/be/") for item in data["latest_week"]["articles"])
