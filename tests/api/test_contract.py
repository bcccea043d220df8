"""The committed contract is current, describes every block and page type, and its golden
examples match it."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from wagtail.models import Page, get_page_models

from digest.blocks import ArticleBodyBlock
from tests.api.contract import assert_matches_contract, document, schema_for, validate

EXAMPLES = Path(__file__).resolve().parents[2] / "frontend_contract" / "examples"


def test_the_committed_contract_matches_the_code():
    call_command("export_contract", "--check")


def test_every_body_block_is_a_typed_variant_of_the_stream():
    schemas = document()["components"]["schemas"]
    mapping = schemas["BodyBlock"]["discriminator"]["mapping"]
    assert set(mapping) == set(ArticleBodyBlock().child_blocks)
    for name, target in mapping.items():
        variant = schemas[target.rsplit("/", 1)[1]]
        assert variant["properties"]["type"] == {"const": name}


def test_every_page_type_has_a_detail_and_a_listing_schema_told_apart_by_its_type():
    """A generated client narrows `Page`, `PageSummary` and `SearchResult` by `item.type`: each
    union is discriminated, and every page model readers can reach is one of its variants."""
    schemas = document()["components"]["schemas"]
    models = {f"{m._meta.app_label}.{m.__name__}": m for m in get_page_models() if m is not Page}
    for union, suffix in (("Page", ""), ("PageSummary", "Summary")):
        mapping = schemas[union]["discriminator"]["mapping"]
        assert schemas[union]["discriminator"]["propertyName"] == "type"
        assert set(mapping) == set(models), union
        for type_name, target in mapping.items():
            variant = schemas[target.rsplit("/", 1)[1]]
            assert target.endswith(models[type_name].__name__ + suffix)
            assert variant["properties"]["type"] == {"const": type_name}
            assert "type" in variant["required"]
    search_mapping = schemas["SearchResult"]["discriminator"]["mapping"]
    assert set(search_mapping) == {"digest.ArticlePage", "digest.ReportPage"}


def test_errors_are_described_for_every_operation():
    for path, item in document()["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert {"200", "202"} & set(responses), (method, path)
            if "{" in path or operation.get("parameters") or "requestBody" in operation:
                assert {"400", "404"} & set(responses), (method, path)


@pytest.mark.django_db
def test_newsletter_answers_match_the_contract(client):
    subscribe = client.post(
        "/api/v2/newsletter/subscribe/",
        {"email": "reader@example.org", "locale": "be"},
        content_type="application/json",
    )
    refused = client.post("/api/v2/newsletter/confirm/", {"token": "x"}, "application/json")
    wrong_type = client.post("/api/v2/newsletter/subscribe/", {"email": "a@b.org"})
    unsubscribed = client.post("/api/v2/newsletter/unsubscribe/?token=nonsense")
    for response in (subscribe, refused, wrong_type, unsubscribed):
        assert_matches_contract(response)
    assert [r.status_code for r in (subscribe, refused, wrong_type, unsubscribed)] == [
        202,
        400,
        415,
        400,
    ]


@pytest.mark.parametrize("name", sorted(json.loads((EXAMPLES / "index.json").read_text()).keys()))
def test_golden_examples_match_the_contract(name):
    index = json.loads((EXAMPLES / "index.json").read_text())
    request = index[name]
    path = urlsplit(request["request"].split(" ", 1)[1]).path
    example = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    validate(example, schema_for(path, request["status"]))


def test_the_seed_article_has_golden_examples_in_three_languages():
    titles = {
        language: json.loads((EXAMPLES / f"article-{language}.json").read_text())["title"]
        for language in ("en", "be", "ru")
    }
    assert len(set(titles.values())) == 3
    assert json.loads((EXAMPLES / "article-en.json").read_text())["trend"]["value"] == "unchanged"


def test_the_contract_says_which_texts_are_html_and_which_are_plain_text():
    schemas = document()["components"]["schemas"]
    media = {}
    for name, schema in schemas.items():
        for field, prop in schema.get("properties", {}).items():
            if "contentMediaType" in prop:
                media[f"{name}.{field}"] = prop["contentMediaType"]
    assert media["ArticlePage.lead"] == "text/plain"
    assert media["ArticlePageSummary.lead"] == "text/plain"
    assert media["ReportPage.summary"] == "text/plain"
    assert media["ReportIndexPage.intro"] == "text/plain"
    assert media["HomePage.about"] == "text/html"
    # The body's rich text and the search highlights are HTML.
    assert "text/html" in json.dumps(schemas["ParagraphBlock"])
    assert media["SearchHighlight.text"] == "text/html"


def test_every_get_documents_its_validators_and_the_304_a_frontend_gets():
    for path, operations in document()["paths"].items():
        get = operations.get("get")
        # The newsletter's answers are a subscriber's own: never cached nor validated.
        if get is None or "200" not in get["responses"] or path.startswith("/api/v2/newsletter/"):
            continue
        ok = get["responses"]["200"]
        assert {"ETag", "Cache-Control"} <= set(ok.get("headers", {})), path
        assert get["responses"]["304"] == {"$ref": "#/components/responses/NotModified"}, path


def test_a_real_304_and_its_headers_are_as_the_contract_says(api, client):
    first = api("pages/", type="digest.ArticlePage", locale="be")
    assert first["Cache-Control"].startswith("public")
    again = client.get(
        "/api/v2/pages/",
        {"type": "digest.ArticlePage", "locale": "be"},
        headers={"If-None-Match": first["ETag"]},
    )
    assert again.status_code == 304
    assert_matches_contract(again)
    for header, spec in document()["components"]["responses"]["NotModified"]["headers"].items():
        assert again.has_header(header), header
        validate(again[header], spec["schema"])


def test_the_contract_defines_only_statuses_some_operation_answers():
    used = json.dumps(document()["paths"])
    unused = [
        name
        for name in document()["components"]["responses"]
        if f"#/components/responses/{name}" not in used
    ]
    assert unused == []
    # No operation promises a 500: a server error is a bug, not part of the contract.
    assert '"500"' not in used
