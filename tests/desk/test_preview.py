"""Preview buttons open the frontend with a preview token, for drafts in every language."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail_headless_preview.models import PagePreview

from digest.desk.status import week_status
from digest.desk.translation import translate_week
from digest.factories import locale
from tests.translating import publish_translated

pytestmark = pytest.mark.django_db

FRONTEND_PREVIEW = settings.WAGTAIL_HEADLESS_PREVIEW["CLIENT_URLS"]["default"]


def preview_target(response):
    assert response.status_code == 302
    parts = urlsplit(response.url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}", parse_qs(parts.query)


@pytest.mark.parametrize("language_code", ["be", "ru"])
def test_the_boards_preview_of_a_translation_draft_opens_the_frontend_with_a_token(
    client, chief, english_week, language_code
):
    report, west, _ = english_week
    translate_week(report, chief, [language_code])
    client.force_login(chief)
    row = next(row for row in week_status(report).rows if row.english.pk == west.pk)
    cell = next(cell for cell in row.cells if cell.language_code == language_code)

    url, query = preview_target(client.get(cell.preview_url))

    assert url == FRONTEND_PREVIEW
    assert query["content_type"] == ["digest.articlepage"]
    preview = PagePreview.objects.get(token=query["token"][0]).as_page()
    assert preview.locale_id == locale(language_code).pk
    assert preview.pk == west.get_translation(locale(language_code)).pk


def test_the_boards_preview_of_an_english_draft_opens_the_frontend(client, chief, english_week):
    report, west, _ = english_week
    draft = west.get_latest_revision_as_object()
    draft.title = "A draft title"
    draft.save_revision()
    client.force_login(chief)

    url, query = preview_target(
        client.get(reverse("wagtailadmin_pages:view_draft", args=[west.pk]))
    )

    assert url == FRONTEND_PREVIEW
    assert PagePreview.objects.get(token=query["token"][0]).as_page().title == "A draft title"


def test_the_page_editors_preview_of_a_report_opens_the_frontend(client, chief, english_week):
    report, _, _ = english_week
    translate_week(report, chief, ["ru"])
    russian = report.get_translation(locale("ru"))
    client.force_login(chief)

    url, query = preview_target(
        client.get(reverse("wagtailadmin_pages:view_draft", args=[russian.pk]))
    )

    assert url == FRONTEND_PREVIEW
    assert query["content_type"] == ["digest.reportpage"]


def test_the_preview_of_a_belarusian_week_shows_the_be_ru_edition(
    client, chief, english_week, django_capture_on_commit_callbacks
):
    """A Belarusian week whose article is translated into Russian only previews with it, as the
    BE/RU edition will show it: in Russian, marked."""
    report, west, security = english_week
    with django_capture_on_commit_callbacks(execute=True):
        translate_week(report, chief, ["be", "ru"])
        for page in (report, west, security):
            publish_translated(page, "ru")
        publish_translated(report, "be")
        publish_translated(security, "be")
    belarusian_week = report.get_translation(locale("be"))
    client.force_login(chief)
    _url, query = preview_target(
        client.get(reverse("wagtailadmin_pages:view_draft", args=[belarusian_week.pk]))
    )
    client.logout()

    data = client.get(
        "/api/v2/page_preview/",
        {"content_type": query["content_type"][0], "token": query["token"][0]},
    ).json()

    served = {item["id"]: item["meta"]["served_locale"] for item in data["articles"]}
    assert served == {
        west.get_translation(locale("ru")).pk: "ru",
        security.get_translation(locale("be")).pk: "be",
    }
    borrowed = next(item for item in data["articles"] if item["meta"]["fallback"])
    assert borrowed["meta"]["path"].startswith("/be/")


def test_the_preview_of_an_article_that_was_never_saved_shows_the_draft(
    client, english_week, admin_user
):
    """The page editor's preview while adding a page: the page has no id yet."""
    from digest.models import ArticlePage

    report, west, _security = english_week
    unsaved = ArticlePage(
        title="A new article", lead="Not saved yet.", topic=west.topic, locale=west.locale
    )
    unsaved.depth = report.depth + 1
    unsaved.path = report.path + "ZZZZ"
    unsaved.url_path = report.url_path + "a-new-article/"
    preview = unsaved.create_page_preview(issuer=admin_user)

    response = client.get(
        "/api/v2/page_preview/", {"content_type": "digest.articlepage", "token": preview.token}
    )

    assert response.status_code == 200, response.content[:300]
    data = response.json()
    assert data["title"] == "A new article"
    assert data["related_articles"] == []
    # Its week is its report's, as it will be once saved: the contract's week is never null.
    assert data["week"]["start"] == report.week_start.isoformat()


def test_the_preview_shows_the_drafts_byline_not_the_live_one(client, english_week, admin_user):
    from digest.factories import AuthorFactory
    from digest.models import ArticlePageAuthor

    _report, west, _security = english_week
    draft = west.get_latest_revision_as_object()
    newcomer = AuthorFactory(name="Hanna Liubakova")
    draft.authors = [ArticlePageAuthor(author=newcomer)]
    preview = draft.create_page_preview(issuer=admin_user)

    data = client.get(
        "/api/v2/page_preview/", {"content_type": "digest.articlepage", "token": preview.token}
    ).json()

    assert [author["name"] for author in data["authors"]] == ["Hanna Liubakova"]
    live = client.get(f"/api/v2/pages/{west.id}/").json()
    assert "Hanna Liubakova" not in [author["name"] for author in live["authors"]]


# ---- revocable tokens (core.preview_tokens) ---------------------------------------------------

PREVIEW = "/api/v2/page_preview/"


def shown(client, token) -> tuple[int, str | None]:
    response = client.get(PREVIEW, {"content_type": "digest.articlepage", "token": token})
    return response.status_code, response.json().get("code")


def deactivate(user, page):
    user.is_active = False
    user.save()


REVOCATIONS = {
    "the page is deleted": (lambda user, page: page.delete(), "revoked"),
    "the editor is deactivated": (deactivate, "revoked"),
    "the editor's account is deleted": (lambda user, page: user.delete(), "revoked"),
    "the editor leaves their group": (lambda user, page: user.groups.clear(), "revoked"),
    "a later draft is saved": (lambda user, page: page.save_revision(), "outdated"),
}


@pytest.mark.parametrize("cause", REVOCATIONS)
def test_a_preview_link_stops_working_as_soon_as(client, editor, english_week, cause):
    _report, west, _security = english_week
    token = west.create_page_preview(issuer=editor).token
    assert shown(client, token) == (200, None)
    change, code = REVOCATIONS[cause]

    change(editor, west)

    status, refused = shown(client, token)
    assert (status, refused) == (404, code)


def test_a_preview_of_a_page_being_added_is_revoked_with_the_right_to_add_it(
    client, editor, english_week
):
    from digest.models import ArticlePage

    report, west, _security = english_week
    unsaved = ArticlePage(title="New", lead="Not saved.", topic=west.topic, locale=west.locale)
    unsaved.depth, unsaved.path = report.depth + 1, report.path + "ZZZZ"
    unsaved.url_path = report.url_path + "new/"
    token = unsaved.create_page_preview(issuer=editor).token
    assert shown(client, token) == (200, None)

    editor.groups.clear()

    assert shown(client, token) == (404, "revoked")


def test_a_preview_nobody_opened_is_never_shown(client, english_week):
    _report, west, _security = english_week

    token = west.create_page_preview().token

    assert shown(client, token) == (404, "revoked")


def test_an_expired_or_forged_preview_says_so(client, editor, english_week, monkeypatch):
    _report, west, _security = english_week
    token = west.create_page_preview(issuer=editor).token
    monkeypatch.setattr("core.preview_tokens.MAX_AGE_SECONDS", -1)

    assert shown(client, token) == (404, "expired")
    assert shown(client, token[:-3] + "abc") == (404, "invalid")
