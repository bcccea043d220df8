"""Editors can work in the Wagtail admin in English, Belarusian and Russian."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from digest.factories import ArticlePageFactory, ReportPageFactory
from digest.trends import Trend

pytestmark = pytest.mark.django_db

TREND_LABELS = {
    "en": "The situation got worse",
    "be": "Сітуацыя пагоршылася",
    "ru": "Ситуация ухудшилась",
}


@pytest.fixture
def editor(admin_user, client):
    client.force_login(admin_user)
    return admin_user


def use_admin_language(user, language):
    user.wagtail_userprofile.preferred_language = language
    user.wagtail_userprofile.save()


@pytest.mark.parametrize("language", ["en", "be", "ru"])
def test_the_article_editor_speaks_the_editors_language(client, editor, language):
    from wagtail.users.models import UserProfile

    UserProfile.get_for_user(editor)
    use_admin_language(editor, language)
    article = ArticlePageFactory(trend=Trend.WORSENED)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))

    assert response.status_code == 200
    assert TREND_LABELS[language] in response.content.decode()


def test_a_new_week_form_asks_only_for_the_monday_and_a_summary(client, editor):
    archive = Page.objects.get(slug="situation-in-belarus")
    response = client.get(
        reverse("wagtailadmin_pages:add", args=["digest", "reportpage", archive.pk])
    )
    form = response.context["form"]
    assert response.status_code == 200
    assert {"week_start", "summary"} <= set(form.fields)
    assert "title" not in form.fields
    assert "week_end" not in form.fields


def test_creating_a_week_in_the_admin_names_it_from_the_monday(client, editor):
    archive = Page.objects.get(slug="situation-in-belarus")
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["digest", "reportpage", archive.pk]),
        {"week_start": "2023-09-11", "summary": "", "action-publish": "publish"},
    )
    assert response.status_code == 302
    week = Page.objects.child_of(archive).get(slug="2023-09-11")
    assert week.title == "September 11 – September 17, 2023"


def test_a_second_report_for_the_same_week_is_refused_with_a_clear_message(client, editor):
    report = ReportPageFactory()
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["digest", "reportpage", report.get_parent().pk]),
        {"week_start": report.week_start.isoformat(), "summary": "", "action-publish": "1"},
    )
    assert response.status_code == 200
    assert "There is already a report for the week of" in response.content.decode()


def test_topics_and_authors_are_managed_as_snippets(client, editor):
    assert client.get(reverse("wagtailsnippets_digest_topic:list")).status_code == 200
    assert client.get(reverse("wagtailsnippets_digest_author:list")).status_code == 200
