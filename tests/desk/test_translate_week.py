"""One action sends a week to translation; one keeps it in step with English corrections."""

import pytest

from digest.desk.publishing import publish_week
from digest.desk.status import (
    IN_TRANSLATION,
    LIVE,
    MISSING,
    NEEDS_SYNC,
    STALE,
    WAITING,
    week_status,
)
from digest.desk.translation import sync_week, translate_week
from digest.factories import locale
from digest.models import ArticlePage, ReportPage
from digest.trends import Trend
from tests.translating import publish_translated, translate_strings

pytestmark = pytest.mark.django_db


def cell(status, page, language_code):
    row = next(row for row in status.rows if row.english.pk == page.pk)
    return next(cell for cell in row.cells if cell.language_code == language_code)


def test_translating_the_week_creates_the_report_and_every_article_in_belarusian_and_russian(
    english_week, chief
):
    report, west, security = english_week

    result = translate_week(report, chief)

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
    english_week, chief, django_capture_on_commit_callbacks
):
    report, west, _ = english_week

    with django_capture_on_commit_callbacks(execute=True):
        translate_week(report, chief)

    belarusian = west.get_translation(locale("be"))
    assert not belarusian.live
    assert not report.get_translation(locale("be")).live
    assert cell(week_status(report), west, "be").state == IN_TRANSLATION


def test_translating_again_leaves_existing_translations_untouched(english_week, chief):
    report, west, _ = english_week
    translate_week(report, chief)
    translate_strings(west, locale("be"), "BE ")
    revisions_before = west.get_translation(locale("be")).revisions.count()

    result = translate_week(report, chief)

    assert result.created == []
    assert west.get_translation(locale("be")).revisions.count() == revisions_before


def test_one_page_can_be_sent_to_one_language(english_week, chief):
    report, west, security = english_week

    translate_week(report, chief, ["ru"], pages=[west])

    assert west.has_translation(locale("ru"))
    assert report.has_translation(locale("ru"))
    assert not security.has_translation(locale("ru"))
    assert not west.has_translation(locale("be"))


def test_a_week_still_being_written_reports_the_pages_it_could_not_send(editor, chief):
    from digest.desk.new_week import create_next_week

    report = create_next_week(editor)

    result = translate_week(report, chief, ["be"])

    assert [page.specific_class for page, _locale, _reason in result.failed] == [ArticlePage] * 5
    assert report.has_translation(locale("be"))
    assert not ArticlePage.objects.filter(locale=locale("be")).exists()


def test_an_english_correction_marks_the_translation_stale(english_week, chief):
    report, west, _ = english_week
    translate_week(report, chief)

    west.lead = "A corrected lead."
    west.save_revision().publish()

    status = week_status(report)
    assert cell(status, west, "be").work == NEEDS_SYNC
    assert cell(status, west, "ru").work == NEEDS_SYNC
    assert cell(status, west, "en").stale is False


def test_republishing_unchanged_english_does_not_mark_translations_stale(english_week, chief):
    report, west, _ = english_week
    translate_week(report, chief)

    west.save_revision().publish()

    # Still only waiting for its translator: nothing new to sync, nothing stale.
    assert cell(week_status(report), west, "be").work == WAITING


def test_sync_never_rewrites_a_translation_that_is_still_being_translated(
    english_week, chief, django_capture_on_commit_callbacks
):
    report, west, _ = english_week
    translate_week(report, chief, pages=[report, west])
    with django_capture_on_commit_callbacks(execute=True):
        publish_translated(report, "be")
        belarusian = publish_translated(west, "be")
    published_lead = belarusian.lead

    west.lead = "A corrected lead, not yet translated."
    west.save_revision().publish()
    assert cell(week_status(report), west, "be").work == NEEDS_SYNC
    with django_capture_on_commit_callbacks(execute=True):
        result = sync_week(report, chief)

    belarusian.refresh_from_db()
    assert belarusian.lead == published_lead
    assert (west, locale("be")) in result.waiting
    be_cell = cell(week_status(report), west, "be")
    # After Sync the page no longer "needs sync": it waits for its translator, and is live.
    assert (be_cell.state, be_cell.work, be_cell.untranslated) == (LIVE, WAITING, 1)
    assert be_cell.work_label == "waiting for the translator (1 text)"

    translate_strings(west, locale("be"), "[be] ")
    be_cell = cell(week_status(report), west, "be")
    assert be_cell.work == STALE
    with django_capture_on_commit_callbacks(execute=True):
        publish_week(report, "be", chief)
    assert cell(week_status(report), west, "be").work is None
    assert west.get_translation(locale("be")).lead == "[be] A corrected lead, not yet translated."


def test_a_trend_correction_reaches_every_live_translation_at_once_without_sync(
    english_week, chief, django_capture_on_commit_callbacks
):
    report, west, _ = english_week
    translate_week(report, chief)
    with django_capture_on_commit_callbacks(execute=True):
        publish_translated(report, "be")
        publish_translated(west, "be")

    west.trend = Trend.WORSENED
    with django_capture_on_commit_callbacks(execute=True):
        west.save_revision().publish()

    belarusian = west.get_translation(locale("be"))
    assert belarusian.trend == Trend.WORSENED
    assert belarusian.live
    assert belarusian.lead.startswith("[be] ")
    be_cell = cell(week_status(report), west, "be")
    assert (be_cell.state, be_cell.stale) == (LIVE, False)
    # Nothing is left for translators: the trend is not theirs to translate.
    assert sync_week(report, chief).updated == []


def test_sync_without_english_changes_does_nothing(english_week, chief):
    report, _, _ = english_week
    translate_week(report, chief)

    result = sync_week(report, chief)

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
