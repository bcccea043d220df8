"""A week goes live as one unit per language, or not at all; it can be scheduled."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail_localize.models import Translation, TranslationSource

from digest.desk.new_week import create_next_week
from digest.desk.publishing import WeekNotReady, publish_week
from digest.desk.status import SCHEDULED, week_status
from digest.desk.translation import translate_week
from digest.factories import (
    ArticlePageFactory,
    CreditedImageFactory,
    ReportPageFactory,
    locale,
    topic,
)
from digest.models import ArticlePage
from digest.trends import Trend
from tests.translating import translate_related_strings, translate_strings

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_week():
    """A week whose report and two articles are complete drafts, never published."""
    report = ReportPageFactory(week_start=datetime.date(2023, 9, 18), live=False)
    report.save_revision()
    articles = []
    for slug in ("belarus-west-relations", "security-issues"):
        article = ArticlePageFactory.build(
            topic=topic(slug), trend=Trend.UNCHANGED, photo=CreditedImageFactory(), live=False
        )
        report.add_child(instance=article)
        article.save_revision()
        articles.append(article)
    return report, articles


def test_publishing_the_week_puts_the_report_and_all_articles_live_together(draft_week, chief):
    report, articles = draft_week

    result = publish_week(report, "en", chief)

    assert result.pages[0].pk == report.pk
    assert {page.pk for page in result.pages[1:]} == {article.pk for article in articles}
    for page in (report, *articles):
        page.refresh_from_db()
        assert page.live


def test_when_one_article_is_not_ready_nothing_is_published(draft_week, chief):
    report, (west, security) = draft_week
    draft = security.get_latest_revision_as_object()
    draft.trend = ""
    draft.save_revision()

    with pytest.raises(WeekNotReady) as not_ready:
        publish_week(report, "en", chief)

    assert [problem.page.pk for problem in not_ready.value.problems] == [security.pk]
    assert "Choose a trend before publishing." in " ".join(not_ready.value.problems[0].messages)
    for page in (report, west, security):
        page.refresh_from_db()
        assert not page.live


def test_a_fresh_new_week_cannot_be_published_until_it_is_written(chief):
    report = create_next_week(chief)

    with pytest.raises(WeekNotReady) as not_ready:
        publish_week(report, "en", chief)

    assert len(not_ready.value.problems) == 5
    assert not ArticlePage.objects.child_of(report).live().exists()


def test_the_week_can_be_scheduled_to_go_live_later(draft_week, chief):
    report, articles = draft_week
    go_live_at = timezone.now() + datetime.timedelta(days=1)

    result = publish_week(report, "en", chief, go_live_at=go_live_at)

    assert result.scheduled
    for page in (report, *articles):
        page.refresh_from_db()
        assert not page.live
        assert page.scheduled_revision.approved_go_live_at == go_live_at
    assert {c.state for row in week_status(report).rows for c in row.cells[:1]} == {SCHEDULED}


def test_editors_cannot_publish_the_week(draft_week, editor):
    report, _ = draft_week
    with pytest.raises(PermissionDenied):
        publish_week(report, "en", editor)


def test_a_belarusian_week_is_published_from_its_translators_strings(
    english_week, translator_be, django_capture_on_commit_callbacks
):
    report, west, security = english_week
    translate_week(report, translator_be, ["be"])
    for page in (report, west, security):
        translate_related_strings(page, "be", "BE ")
        translate_strings(page, locale("be"), "BE ")

    with django_capture_on_commit_callbacks(execute=True):
        result = publish_week(report, "be", translator_be)

    assert len(result.pages) == 3
    belarusian = west.get_translation(locale("be"))
    assert belarusian.live
    assert belarusian.lead == f"BE {west.lead}"
    # The byline's author, translated by the translator, went live with the week.
    (author,) = result.snippets
    assert author.name.startswith("BE ") and not author.awaiting_translation
    assert [credit.author for credit in belarusian.authors.all()] == [author]


def test_a_belarusian_week_whose_author_is_not_translated_names_the_author(
    english_week, translator_be
):
    report, west, security = english_week
    translate_week(report, translator_be, ["be"])
    for page in (report, west, security):
        translate_strings(page, locale("be"), "BE ")
    author = west.authors.first().author

    with pytest.raises(WeekNotReady) as not_ready:
        publish_week(report, "be", translator_be)

    assert {problem.page.pk for problem in not_ready.value.problems} == {
        west.get_translation(locale("be")).pk,
        security.get_translation(locale("be")).pk,
    }
    for problem in not_ready.value.problems:
        assert f"author “{author.name}”" in problem.messages[0]
    assert not west.get_translation(locale("be")).live
    assert author.get_translation(locale("be")).awaiting_translation


def test_a_belarusian_week_with_untranslated_text_is_not_published(english_week, translator_be):
    report, west, security = english_week
    translate_week(report, translator_be, ["be"])
    translate_strings(report, locale("be"), "BE ")
    translate_related_strings(west, "be")
    translate_strings(west, locale("be"), "BE ")
    translate_strings(security, locale("be"), "BE ", only_first=1)

    with pytest.raises(WeekNotReady) as not_ready:
        publish_week(report, "be", translator_be)

    assert [problem.page.translation_key for problem in not_ready.value.problems] == [
        security.translation_key
    ]
    assert not west.get_translation(locale("be")).live


def test_translators_cannot_publish_another_languages_week(english_week, chief, translator_ru):
    report, _, _ = english_week
    translate_week(report, chief, ["be"])
    with pytest.raises(PermissionDenied):
        publish_week(report, "be", translator_ru)


def test_a_language_without_the_week_reports_it(english_week, chief):
    report, _, _ = english_week
    with pytest.raises(WeekNotReady):
        publish_week(report, "ru", chief)


def test_the_translation_record_is_kept_after_publishing(english_week, chief):
    report, west, security = english_week
    translate_week(report, chief, ["ru"])
    for page in (report, west, security):
        translate_related_strings(page, "ru")
        translate_strings(page, locale("ru"), "RU ")

    publish_week(report, "ru", chief)

    source = TranslationSource.objects.get_for_instance(west)
    assert Translation.objects.get(source=source, target_locale=locale("ru")).enabled
