"""Nothing that is not public leaks: drafts, private pages, unpublished translations, other sites,
private collections and internal fields."""

import json

import pytest
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction, Site

from digest.factories import CreditedImageFactory
from digest.models import ArticlePage
from tests.api.pages import article, report

INTERNAL_FIELDS = (
    "owner",
    "latest_revision",
    "locked",
    "locked_by",
    "locked_at",
    "live_revision",
    "draft_title",
    "has_unpublished_changes",
    "workflow",
    "url_path",
    "content_type",
)


def all_keys(value) -> set:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in all_keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in all_keys(item)}
    return set()


def test_a_draft_edit_of_a_published_page_keeps_serving_the_live_version(api):
    seed = article("en")
    live_title = seed.title
    seed.title = "DRAFT TITLE NOT FOR READERS"
    seed.save_revision()

    detail = api(f"pages/{seed.id}/").json()
    listing = json.dumps(api("pages/", type="digest.ArticlePage", locale="en", limit=100).json())
    assert detail["title"] == live_title
    assert "DRAFT TITLE" not in listing


def test_an_unpublished_page_is_gone_from_listing_detail_and_find(api):
    seed = article("ru")
    path = api(f"pages/{seed.id}/").json()["meta"]["path"]
    seed.unpublish()

    assert api(f"pages/{seed.id}/").status_code == 404
    assert api("pages/find/", html_path=path).status_code == 404
    ids = [item["id"] for item in api("pages/", locale="ru", limit=100).json()["items"]]
    assert seed.id not in ids


def test_an_unpublished_translation_is_marked_missing_in_the_language_switch(api):
    belarusian = article("be")
    belarusian.unpublish()
    data = api(f"pages/{article('en').id}/").json()
    link = next(link for link in data["meta"]["translations"] if link["locale"] == "be")
    assert link["status"] == "missing"
    assert link["id"] is None


@pytest.mark.parametrize("restriction", [PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN])
def test_private_pages_and_everything_under_them_are_absent(api, restriction):
    week = report("en")
    PageViewRestriction.objects.create(page=week, restriction_type=restriction, password="x")
    child = article("en")

    assert api(f"pages/{week.id}/").status_code == 404
    assert api(f"pages/{child.id}/").status_code == 404
    listing = api("pages/", locale="en", limit=100).json()["items"]
    assert not {week.id, child.id} & {item["id"] for item in listing}
    assert api("pages/find/", html_path="/situation-in-belarus/2023-09-11/").status_code == 404
    translations = api(f"pages/{article('ru').id}/").json()["meta"]["translations"]
    assert next(t for t in translations if t["locale"] == "en")["status"] == "missing"


def test_a_private_page_is_hidden_even_from_a_logged_in_editor(api, client, admin_user):
    week = report("en")
    PageViewRestriction.objects.create(page=week, restriction_type=PageViewRestriction.LOGIN)
    client.force_login(admin_user)
    assert api(f"pages/{week.id}/").status_code == 404


def test_pages_of_another_site_are_hidden(api):
    other_root = Page.get_first_root_node().add_child(
        instance=Page(title="Other site", slug="other-site")
    )
    Site.objects.create(hostname="other.example", port=80, root_page=other_root)
    assert api(f"pages/{other_root.id}/").status_code == 404
    ids = {item["id"] for item in api("pages/", limit=100).json()["items"]}
    assert other_root.id not in ids


def test_images_in_private_collections_are_hidden(api):
    private = Collection.get_first_root_node().add_child(name="Embargoed")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    hidden = CreditedImageFactory(collection=private)
    visible = CreditedImageFactory()

    listing = api("images/", limit=100).json()
    ids = {item["id"] for item in listing["items"]}
    assert visible.id in ids
    assert hidden.id not in ids
    assert api(f"images/{hidden.id}/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "pages/?fields=*&limit=10",
        "pages/?fields=*&type=digest.ArticlePage&limit=10",
        "pages/?fields=*&type=digest.ReportPage&limit=10",
    ],
)
def test_internal_fields_never_appear_even_with_fields_star(api, client, path):
    response = client.get(f"/api/v2/{path}")
    assert response.status_code == 200
    assert not all_keys(response.json()) & set(INTERNAL_FIELDS)


def test_internal_fields_cannot_be_asked_for(api):
    for name in INTERNAL_FIELDS:
        response = api("pages/", fields=name)
        assert response.status_code == 400, name


def test_an_article_detail_has_no_internal_fields(api):
    data = api(f"pages/{article('be').id}/").json()
    assert not all_keys(data) & set(INTERNAL_FIELDS)
    assert ArticlePage.objects.filter(id=data["id"]).exists()
