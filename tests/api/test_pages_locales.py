"""Pages in three languages: locale filters, paths, translations and the be → ru fallback."""

import pytest

from digest.models import ArticlePage, ReportPage
from tests.api.pages import MISSING_IN_BELARUSIAN, SEED_WEEK, article, report

LANGUAGES = ("en", "be", "ru")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_locale_listing_without_fallback_only_holds_that_languages_pages(api, language):
    response = api(
        "pages/", locale=language, fallback="false", type="digest.ArticlePage", limit=100
    )
    items = response.json()["items"]
    assert items
    assert {item["meta"]["locale"] for item in items} == {language}
    assert {item["meta"]["served_locale"] for item in items} == {language}
    assert (
        response.json()["meta"]["total_count"]
        == ArticlePage.objects.filter(locale__language_code=language, live=True).count()
    )


def test_an_unknown_locale_is_refused(api):
    response = api("pages/", locale="de")
    assert response.status_code == 400
    assert response.json()["message"] == "unknown locale 'de': use one of en, be, ru"


@pytest.mark.parametrize(
    ("language", "path"),
    [
        ("en", "/situation-in-belarus/2023-09-11/"),
        ("be", "/be/situacyja-u-bielarusi/2023-09-11/"),
        ("ru", "/ru/situaciya-v-belarusi/2023-09-11/"),
    ],
)
def test_find_resolves_the_paths_of_every_locale(api, language, path):
    response = api("pages/find/", html_path=path)
    assert response.status_code == 200
    assert response.json()["id"] == report(language).id
    assert response.json()["meta"]["served_locale"] == language


def test_every_published_page_in_every_locale_matches_the_contract_and_is_found_by_its_url(api):
    # `api` validates each response against the contract: listings, and each page via find.
    for language in LANGUAGES:
        offset, total = 0, None
        while total is None or offset < total:
            listing = api("pages/", locale=language, limit=100, offset=offset).json()
            total = listing["meta"]["total_count"]
            for item in listing["items"]:
                found = api("pages/find/", html_path=item["meta"]["html_url"])
                assert found.status_code == 200, item["meta"]["html_url"]
                assert found.json()["id"] == item["id"]
            offset += 100


def test_find_ignores_the_query_string_and_fragment_a_frontend_location_carries(api):
    path = "/be/situacyja-u-bielarusi/2023-09-11/"
    for location in (f"{path}?utm_source=feed", f"{path}#top", f"https://frontend.test{path}?a=1"):
        response = api("pages/find/", html_path=location)
        assert response.status_code == 200, location
        assert response.json()["id"] == report("be").id


@pytest.mark.parametrize(
    "url",
    [
        "https://elsewhere.example/be/situacyja-u-bielarusi/2023-09-11/",
        "http://frontend.test/be/situacyja-u-bielarusi/2023-09-11/",
        "//elsewhere.example/be/",
    ],
)
def test_find_refuses_a_url_of_another_site(api, url):
    response = api("pages/find/", html_path=url)
    assert response.status_code == 400
    assert "another site" in response.json()["message"]


def test_find_of_a_missing_path_is_a_json_404(api):
    response = api("pages/find/", html_path="/be/no-such-page/")
    assert response.status_code == 404
    assert response.json()["message"] == "No page at this path."


def test_every_page_links_its_translations_for_the_language_switch(api):
    english = article("en")
    data = api(f"pages/{english.id}/").json()
    translations = {link["locale"]: link for link in data["meta"]["translations"]}
    assert set(translations) == {"be", "ru"}
    for language in ("be", "ru"):
        translated = article(language)
        assert translations[language]["status"] == "live"
        assert translations[language]["id"] == translated.id
        assert (
            translations[language]["path"] == api(f"pages/{translated.id}/").json()["meta"]["path"]
        )


def test_a_missing_translation_is_marked_missing_without_an_id(api):
    week, topic = MISSING_IN_BELARUSIAN
    english = article("en", week, topic)
    data = api(f"pages/{english.id}/").json()
    belarusian = next(link for link in data["meta"]["translations"] if link["locale"] == "be")
    assert belarusian == {
        "locale": "be",
        "status": "missing",
        "id": None,
        "path": None,
        "html_url": None,
    }


def test_a_belarusian_listing_with_fallback_covers_the_same_articles_as_english(api):
    english = api("pages/", locale="en", type="digest.ArticlePage", limit=100).json()
    belarusian = api(
        "pages/", locale="be", fallback="true", type="digest.ArticlePage", limit=100
    ).json()
    assert belarusian["meta"]["total_count"] == english["meta"]["total_count"]
    english_keys = {
        ArticlePage.objects.get(id=item["id"]).translation_key for item in english["items"]
    }
    belarusian_keys = {
        ArticlePage.objects.get(id=item["id"]).translation_key for item in belarusian["items"]
    }
    assert belarusian_keys == english_keys


def test_a_missing_belarusian_article_falls_back_to_russian_marked_as_such(api):
    week, topic = MISSING_IN_BELARUSIAN
    items = api(
        "pages/",
        locale="be",
        fallback="true",
        type="digest.ArticlePage",
        week=week.isoformat(),
        topic=topic,
    ).json()["items"]
    assert len(items) == 1
    [item] = items
    assert item["id"] == article("ru", week, topic).id
    assert item["meta"]["locale"] == "be"
    assert item["meta"]["served_locale"] == "ru"
    assert item["meta"]["fallback"] is True
    # The interface language still names the topic and the trend.
    assert item["topic"]["name"] == "Кіруючы клас"
    assert item["trend"]["label"] == "Сітуацыя пагоршылася"


def test_fallback_never_serves_english_while_russian_exists(api):
    items = api(
        "pages/", locale="be", fallback="true", type="digest.ArticlePage", limit=100
    ).json()["items"]
    assert "en" not in {item["meta"]["served_locale"] for item in items}


def test_english_is_the_last_resort_of_the_fallback_chain(api):
    english_only = article("en", SEED_WEEK, "security-issues")
    ArticlePage.objects.filter(translation_key=english_only.translation_key).exclude(
        id=english_only.id
    ).update(live=False)
    items = api(
        "pages/",
        locale="be",
        fallback="true",
        type="digest.ArticlePage",
        week=SEED_WEEK.isoformat(),
        topic="security-issues",
    ).json()["items"]
    assert [(item["id"], item["meta"]["served_locale"]) for item in items] == [
        (english_only.id, "en")
    ]


def test_a_page_can_be_asked_for_in_another_language_with_fallback(api):
    week, topic = MISSING_IN_BELARUSIAN
    english = article("en", week, topic)
    without = api(f"pages/{english.id}/", locale="be", fallback="false")
    with_fallback = api(f"pages/{english.id}/", locale="be", fallback="true")
    by_default = api(f"pages/{english.id}/", locale="be")
    assert by_default.json() == with_fallback.json()
    assert without.status_code == 404
    assert with_fallback.json()["id"] == article("ru", week, topic).id
    assert with_fallback.json()["meta"]["fallback"] is True


def test_a_belarusian_week_with_fallback_lists_all_five_topics(api):
    week, _topic = MISSING_IN_BELARUSIAN
    belarusian_report = report("be", week)
    plain = api(f"pages/{belarusian_report.id}/", locale="be", fallback="false").json()
    with_fallback = api(f"pages/{belarusian_report.id}/", locale="be", fallback="true").json()
    assert api(f"pages/{belarusian_report.id}/").json()["articles"] == with_fallback["articles"]
    assert len(plain["articles"]) == 4
    assert len(with_fallback["articles"]) == 5
    borrowed = [item for item in with_fallback["articles"] if item["meta"]["fallback"]]
    assert [item["meta"]["served_locale"] for item in borrowed] == ["ru"]


def test_urls_point_at_the_frontend(api, settings):
    data = api(f"pages/{article('ru').id}/").json()
    assert data["meta"]["html_url"].startswith("https://frontend.test/ru/")
    assert all(
        link["html_url"].startswith("https://frontend.test/")
        for link in data["meta"]["translations"]
    )


def test_report_pages_only_exist_once_per_week_and_locale(api):
    reports = api("pages/", type="digest.ReportPage", locale="ru", limit=100).json()["items"]
    weeks = [item["week"]["start"] for item in reports]
    assert (
        len(weeks)
        == len(set(weeks))
        == ReportPage.objects.filter(locale__language_code="ru").count()
    )
