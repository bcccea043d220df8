"""One action sends a week to translation; one keeps it in step with English corrections."""

import pytest
from wagtail_localize.models import Translation, TranslationSource

from digest.desk.status import IN_TRANSLATION, LIVE, MISSING, week_status
from digest.desk.translation import sync_week, translate_week
from digest.factories import locale
from digest.models import ArticlePage, ReportPage
from digest.trends import Trend
from tests.desk.translating import translate_strings

pytestmark = pytest.mark.django_db


def cell(status, page, language_code):
    row = next(row for row in status.rows if row.english.pk == page.pk)
    return next(cell for cell in row.cells if cell.language_code == language_code)


def test_translating_the_week_creates_the_report_and_every_article_in_belarusian_and_russian(
    english_week, editor
):
    report, west, security = english_week

    result = translate_week(report, editor)

    assert len(result.created) == 6
    for language_code in ("be", "ru"):
        translated_report = report.get_translation(locale(language_code))
        assert ArticlePage.objects.child_of(translated_report).count() == 2
        assert {
            page.translation_key for page in ArticlePage.objects.child_of(translated_report)
        } == {
            west.translation_key,
            security.translation_key,
        }


def test_translations_start_as_drafts_so_no_english_text_goes_live_in_another_edition(
    english_week, editor, django_capture_on_commit_callbacks
):
    report, west, _ = english_week

    with django_capture_on_commit_callbacks(execute=True):
        translate_week(report, editor)

    belarusian = west.get_translation(locale("be"))
    assert not belarusian.live
    assert not report.get_translation(locale("be")).live
    assert cell(week_status(report), west, "be").state == IN_TRANSLATION


def test_translating_again_leaves_existing_translations_untouched(english_week, editor):
    report, west, _ = english_week
    translate_week(report, editor)
    translate_strings(west, locale("be"), "BE ")
    revisions_before = west.get_translation(locale("be")).revisions.count()

    result = translate_week(report, editor)

    assert result.created == []
    assert west.get_translation(locale("be")).revisions.count() == revisions_before


def test_one_page_can_be_sent_to_one_language(english_week, editor):
    report, west, security = english_week

    translate_week(report, editor, ["ru"], pages=[west])

    assert west.has_translation(locale("ru"))
    assert report.has_translation(locale("ru"))
    assert not security.has_translation(locale("ru"))
    assert not west.has_translation(locale("be"))


def test_a_week_still_being_written_reports_the_pages_it_could_not_send(editor):
    from digest.desk.new_week import create_next_week

    report = create_next_week(editor)

    result = translate_week(report, editor, ["be"])

    assert [page.specific_class for page, _locale, _reason in result.failed] == [ArticlePage] * 5
    assert report.has_translation(locale("be"))
    assert not ArticlePage.objects.filter(locale=locale("be")).exists()


def test_an_english_correction_marks_the_translation_stale(english_week, editor):
    report, west, _ = english_week
    translate_week(report, editor)

    west.lead = "A corrected lead."
    west.save_revision().publish()

    status = week_status(report)
    assert cell(status, west, "be").stale
    assert cell(status, west, "ru").stale
    assert cell(status, west, "en").stale is False


def test_republishing_unchanged_english_does_not_mark_translations_stale(english_week, editor):
    report, west, _ = english_week
    translate_week(report, editor)

    west.save_revision().publish()

    assert not cell(week_status(report), west, "be").stale


def test_sync_never_rewrites_a_translation_that_is_still_being_translated(
    english_week, editor, django_capture_on_commit_callbacks
):
    report, west, _ = english_week
    translate_week(report, editor)
    translate_strings(west, locale("be"), "BE ")
    translation = Translation.objects.get(
        source=TranslationSource.objects.get_for_instance(west), target_locale=locale("be")
    )
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    belarusian = west.get_translation(locale("be"))
    published_lead = belarusian.lead

    west.lead = "A corrected lead, not yet translated."
    west.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        result = sync_week(report, editor)

    belarusian.refresh_from_db()
    assert belarusian.lead == published_lead
    assert (west, locale("be")) in result.waiting
    be_cell = cell(week_status(report), west, "be")
    assert be_cell.stale
    assert be_cell.state == IN_TRANSLATION
    assert be_cell.page.live


def test_sync_brings_a_trend_correction_to_fully_translated_live_pages(
    english_week, editor, django_capture_on_commit_callbacks
):
    report, west, _ = english_week
    translate_week(report, editor)
    translate_strings(west, locale("be"), "BE ")
    source = TranslationSource.objects.get_for_instance(west)
    with django_capture_on_commit_callbacks(execute=True):
        Translation.objects.get(source=source, target_locale=locale("be")).save_target(publish=True)

    west.trend = Trend.WORSENED
    west.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        result = sync_week(report, editor)

    belarusian = west.get_translation(locale("be"))
    assert belarusian.trend == Trend.WORSENED
    assert belarusian.live
    assert belarusian.lead.startswith("BE ")
    assert (west, locale("be")) in result.rebuilt
    be_cell = cell(week_status(report), west, "be")
    assert (be_cell.state, be_cell.stale) == (LIVE, False)


def test_sync_without_english_changes_does_nothing(english_week, editor):
    report, _, _ = english_week
    translate_week(report, editor)

    result = sync_week(report, editor)

    assert (result.updated, result.rebuilt, result.waiting) == ([], [], [])


def test_the_board_shows_missing_translations_before_the_week_is_sent(english_week):
    report, west, _ = english_week

    status = week_status(report)

    assert [c.state for c in next(r for r in status.rows if r.english.pk == west.pk).cells] == [
        LIVE,
        MISSING,
        MISSING,
    ]
    assert isinstance(status.rows[0].english, ReportPage)
