"""What a frontend gets for an article, a week and the home page — in one request each."""

import html
import re

import pytest

from digest.models import ArticlePage
from tests.api.pages import MISSING_IN_BELARUSIAN, SEED_WEEK, article, report

BLOCK_TYPES = {"paragraph", "heading", "quote", "image", "embed", "table", "key_figures"}


def test_an_article_carries_topic_trend_authors_lead_photo_and_typed_body(api):
    seed = article("en")
    data = api(f"pages/{seed.id}/").json()

    assert data["topic"] == {
        "id": seed.topic_id,
        "slug": "belarus-west-relations",
        "name": "Belarus-West relations",
    }
    assert data["trend"] == {
        "value": "unchanged",
        "label": "The situation has not changed",
        "direction": 0,
    }
    assert data["week"] == {
        "start": "2023-09-11",
        "end": "2023-09-17",
        "title": "September 11 – September 17, 2023",
    }
    assert [author["name"] for author in data["authors"]] == [
        credit.author.name for credit in seed.authors.all()
    ]
    assert data["lead"] == seed.lead
    assert {block["type"] for block in data["body"]} <= BLOCK_TYPES
    assert all(set(block) == {"type", "id", "value"} for block in data["body"])


def test_the_photo_comes_as_renditions_in_several_widths_including_webp(api):
    data = api(f"pages/{article('en').id}/").json()
    photo = data["photo"]
    assert photo["credit"] == "Фото: http://kremlin.ru/"
    assert photo["alt"]
    widths = {(rendition["width"], rendition["format"]) for rendition in photo["renditions"]}
    assert widths == {
        (480, "jpeg"),
        (480, "webp"),
        (960, "jpeg"),
        (960, "webp"),
        (1440, "jpeg"),
        (1440, "webp"),
    }
    assert all(rendition["url"].startswith("http") for rendition in photo["renditions"])


def test_the_photo_and_its_credit_are_shared_by_the_translations(api):
    english = api(f"pages/{article('en').id}/").json()["photo"]
    belarusian = api(f"pages/{article('be').id}/").json()["photo"]
    assert belarusian["id"] == english["id"]
    assert belarusian["credit"] == english["credit"]


def test_trend_labels_are_localized(api):
    labels = {
        language: api(f"pages/{article(language).id}/").json()["trend"]["label"]
        for language in ("en", "be", "ru")
    }
    assert labels == {
        "en": "The situation has not changed",
        "be": "Сітуацыя не змянілася",
        "ru": "Ситуация не изменилась",
    }


def test_rich_text_is_frontend_html_with_internal_links_resolved(api):
    linking = next(
        page
        for page in ArticlePage.objects.filter(locale__language_code="ru")
        if 'linktype="page"' in str(page.body.raw_data)
    )
    body = api(f"pages/{linking.id}/").json()["body"]
    html = " ".join(block["value"] for block in body if block["type"] == "paragraph")
    assert "linktype" not in html
    assert 'href="https://frontend.test/ru/' in html


def test_internal_links_in_belarusian_text_follow_the_fallback_chain(api):
    for page in ArticlePage.objects.filter(locale__language_code="be"):
        body = api(f"pages/{page.id}/").json()["body"]
        html = " ".join(block["value"] for block in body if block["type"] == "paragraph")
        assert 'href="https://frontend.test/situation-in-belarus/' not in html


def tree_text(nodes) -> str:
    return "".join(node.get("text", "") + tree_text(node.get("children", [])) for node in nodes)


def page_links(nodes):
    for node in nodes:
        if node["type"] == "page_link":
            yield node
        yield from page_links(node.get("children", []))


@pytest.mark.parametrize("language", ["ru", "be"])
def test_rich_text_also_comes_as_a_typed_tree_with_page_links_as_references(api, language):
    """rich_text_tree=true: each paragraph's `tree` says what its HTML says; a link to one of
    our pages names the page (id, locale, path) instead of a URL on one frontend's domain."""
    linking = [
        page
        for page in ArticlePage.objects.filter(locale__language_code=language)
        if 'linktype="page"' in str(page.body.raw_data)
    ]
    assert linking
    links = []
    for page in linking:
        body = api(f"pages/{page.id}/", rich_text_tree="true").json()["body"]
        for block in (block for block in body if block["type"] == "paragraph"):
            assert tree_text(block["tree"]) == html.unescape(re.sub(r"<[^>]+>", "", block["value"]))
            assert {node["type"] for node in block["tree"]} <= {"paragraph", "list"}
            for node in page_links(block["tree"]):
                target = node["page"]
                assert f'href="https://frontend.test{target["path"]}"' in block["value"]
                assert api(f"pages/{target['id']}/").json()["meta"]["locale"] == target["locale"]
                links.append(target)
    assert links and all(link["path"].startswith(f"/{language}/") for link in links)
    # Opt-in: without it, paragraphs are HTML only.
    assert "tree" not in api(f"pages/{linking[0].id}/").json()["body"][0]


def test_tables_come_as_rows_and_key_figures_as_values(api):
    tables, figures = [], []
    for page in ArticlePage.objects.filter(locale__language_code="be"):
        for block in api(f"pages/{page.id}/").json()["body"]:
            if block["type"] == "table":
                tables.append(block["value"])
            if block["type"] == "key_figures":
                figures.append(block["value"])
    assert tables and figures
    assert all(isinstance(cell, str) for table in tables for row in table["rows"] for cell in row)
    assert all({"value", "label"} == set(figure) for box in figures for figure in box["figures"])


def test_related_articles_come_as_summaries_in_the_readers_language(api):
    data = api(f"pages/{article('be').id}/").json()
    related = data["related_articles"]
    assert related
    assert all(item["meta"]["type"] == "digest.ArticlePage" for item in related)
    assert all(item["meta"]["locale"] == "be" for item in related)
    assert all(item["id"] != data["id"] for item in related)


def test_a_week_lists_its_articles_as_summaries_in_one_response(api):
    week = report("ru")
    data = api(f"pages/{week.id}/").json()
    assert data["title"] == "11–17 сентября 2023"
    assert data["week"]["start"] == SEED_WEEK.isoformat()
    assert len(data["articles"]) == 5
    summary = data["articles"][0]
    assert {"title", "topic", "trend", "lead", "thumbnail", "week"} <= set(summary)
    assert summary["meta"]["path"].startswith("/ru/situaciya-v-belarusi/2023-09-11/")
    assert summary["thumbnail"]["renditions"][0]["width"] == 480


def test_a_week_with_its_articles_bodies_is_one_request(api, django_assert_max_num_queries):
    """`include=articles.body,articles.authors`: what five article requests would say, in one.
    The Belarusian week borrows its missing article from Russian, body included."""
    week = report("be", MISSING_IN_BELARUSIAN[0])
    api(f"pages/{week.id}/", include="articles.body")  # what every request shares, warmed
    with django_assert_max_num_queries(16):
        data = api(f"pages/{week.id}/", include="articles.body,articles.authors").json()
    assert len(data["articles"]) == 5
    for summary in data["articles"]:
        full = api(f"pages/{summary['id']}/", locale="be").json()
        assert summary["body"] == full["body"]
        assert summary["authors"] == full["authors"]
        assert "related_articles" not in summary and "photo" not in summary
    borrowed = [item for item in data["articles"] if item["meta"]["fallback"]]
    assert [item["meta"]["served_locale"] for item in borrowed] == ["ru"]
    # Without include, summaries as before; the same for find and the home page's latest week.
    assert "body" not in api(f"pages/{week.id}/").json()["articles"][0]
    home = api("pages/find/", html_path="/be/", include="articles.photo").json()
    assert all("photo" in item for item in home["latest_week"]["articles"])
    # An article has no `articles`: include changes nothing there.
    assert api(f"pages/{article('be').id}/", include="articles.body").status_code == 200


@pytest.mark.parametrize("include", ["body", "articles.related_articles", "articles.body,x"])
def test_an_unknown_include_is_refused_with_what_may_be_included(api, include):
    response = api(f"pages/{report('en').id}/", include=include)
    assert response.status_code == 400
    assert "articles.body, articles.authors, articles.photo" in response.json()["message"]


@pytest.mark.parametrize("language", ["en", "be", "ru"])
def test_the_home_page_has_the_latest_week_and_the_site_texts(api, language):
    home = api("pages/find/", html_path="/" if language == "en" else f"/{language}/").json()
    assert home["meta"]["type"] == "home.HomePage"
    assert home["latest_week"]["week"]["start"] == "2023-10-09"
    assert home["latest_week"]["articles"]
    assert home["newsletter"]["title"]
    assert home["newsletter"]["success_message"]


def test_the_tree_keeps_structure_marks_links_and_drops_hidden_links_href():
    from digest.api.context import LinkTarget
    from digest.api.richtext import rich_text_tree

    target = LinkTarget(id=7, locale="ru", path="/be/situacyja-u-bielarusi/2023-09-11/x/")

    class Context:
        link_targets = {7: target, 8: None}

    html_text = (
        '<p>A <b>bold</b> and <em>it&amp;alic</em> <a href="https://frontend.test'
        '/be/situacyja-u-bielarusi/2023-09-11/x/">week</a>, <a href="https://example.org/">out'
        "</a>, <a>hidden</a><br/>end</p><ol><li>one<sup>1</sup></li></ol>"
    )
    assert rich_text_tree(html_text, Context()) == [
        {
            "type": "paragraph",
            "children": [
                {"type": "text", "text": "A "},
                {"type": "bold", "children": [{"type": "text", "text": "bold"}]},
                {"type": "text", "text": " and "},
                {"type": "italic", "children": [{"type": "text", "text": "it&alic"}]},
                {"type": "text", "text": " "},
                {
                    "type": "page_link",
                    "page": {"id": 7, "locale": "ru", "path": target.path},
                    "children": [{"type": "text", "text": "week"}],
                },
                {"type": "text", "text": ", "},
                {
                    "type": "link",
                    "href": "https://example.org/",
                    "children": [{"type": "text", "text": "out"}],
                },
                {"type": "text", "text": ", hidden"},
                {"type": "line_break"},
                {"type": "text", "text": "end"},
            ],
        },
        {
            "type": "list",
            "ordered": True,
            "children": [
                {
                    "type": "list_item",
                    "children": [
                        {"type": "text", "text": "one"},
                        {"type": "superscript", "children": [{"type": "text", "text": "1"}]},
                    ],
                }
            ],
        },
    ]
