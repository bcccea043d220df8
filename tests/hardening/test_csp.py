"""Every admin page carries the Content-Security-Policy; API JSON does not need one."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from digest.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, str]:
    directives = (part.strip() for part in response["Content-Security-Policy"].split(";"))
    return dict(directive.split(" ", 1) for directive in directives if directive)


def test_the_sign_in_page_only_runs_and_loads_what_comes_from_the_cms(client):
    directives = policy(client.get(reverse("wagtailadmin_login")))

    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self' 'unsafe-inline'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert directives["frame-ancestors"] == "'self'"
    assert directives["connect-src"] == "'self'"


def test_the_preview_panel_may_frame_the_frontend_preview(client, settings):
    preview = urlsplit(settings.WAGTAIL_HEADLESS_PREVIEW["CLIENT_URLS"]["default"])

    directives = policy(client.get(reverse("wagtailadmin_login")))

    assert directives["frame-src"] == f"'self' {preview.scheme}://{preview.netloc}"


def test_the_dashboard_and_the_article_editor_carry_the_policy(admin_client):
    article = ArticlePageFactory()

    for url in (
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        reverse("wagtailimages:index"),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert policy(response)["script-src"] == "'self' 'unsafe-inline'", url


def test_api_responses_carry_no_policy(client):
    response = client.get("/api/v2/pages/")

    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
