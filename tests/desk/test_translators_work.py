"""Translators run their language: they are told when a week is ready and when the English
changed, by e-mail and on their dashboard, and the board tells the truth about each page."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from digest.desk.publishing import publish_week
from digest.desk.status import LIVE, NEEDS_SYNC, week_status
from digest.desk.translation import sync_week, translate_week
from digest.factories import ArticlePageFactory, ReportPageFactory, locale, topic
from tests.translating import publish_translated, translate_related_strings, translate_strings

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_week():
    report = ReportPageFactory(live=False, week_start=datetime.date(2023, 9, 18))
    report.save_revision()
    article = ArticlePageFactory(parent=report, topic=topic("security-issues"))
    return report, article


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_publishing_the_english_week_mails_each_languages_translators_once(
    editor, chief, translator_be, translator_ru, draft_week, django_capture_on_commit_callbacks
):
    report, _article = draft_week
    with django_capture_on_commit_callbacks(execute=True):
        publish_week(report, "en", chief)

    assert recipients() == [translator_be.email, translator_ru.email]
    belarusian = next(message for message in mail.outbox if translator_be.email in message.to)
    assert reverse("digest_desk:week", args=[report.pk]) in belarusian.body


def test_an_english_correction_after_translation_mails_only_that_languages_translators(
    chief, translator_be, translator_ru, english_week, django_capture_on_commit_callbacks
):
    report, west, _ = english_week
    translate_week(report, chief, ["be"], pages=[report, west])
    with django_capture_on_commit_callbacks(execute=True):
        publish_translated(report, "be")
        publish_translated(west, "be")
    mail.outbox.clear()

    west.lead = "A corrected lead."
    with django_capture_on_commit_callbacks(execute=True):
        west.save_revision().publish()

    assert recipients() == [translator_be.email]
    assert west.title in mail.outbox[0].subject


def test_a_translators_dashboard_lists_what_their_language_needs(
    client, chief, translator_be, english_week
):
    report, west, _ = english_week
    translate_week(report, chief, ["be"], pages=[report])
    client.force_login(translator_be)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert 'id="translator-work"' in html or "translator-work" in html
    assert reverse("digest_desk:week", args=[report.pk]) in html
    assert 'data-language="be"' in html
    assert 'data-language="ru"' not in html.split("translator-work", 1)[1].split("</ul>", 1)[0]


def test_an_editors_dashboard_has_no_translators_panel(client, editor, english_week):
    client.force_login(editor)
    assert "translator-work" not in client.get(reverse("wagtailadmin_home")).content.decode()


# --- the board tells the truth ------------------------------------------------------------------


def test_the_counts_match_the_cells_and_a_live_page_with_new_text_is_counted_live(
    chief, english_week, django_capture_on_commit_callbacks
):
    report, west, _ = english_week
    translate_week(report, chief, ["be"], pages=[report, west])
    with django_capture_on_commit_callbacks(execute=True):
        publish_translated(report, "be")
        publish_translated(west, "be")
    west.lead = "New English text."
    west.save_revision().publish()
    sync_week(report, chief)

    status = week_status(report)
    column = status.column("be")
    cells = [row.cells[1] for row in status.rows]
    assert column.counts[LIVE] == sum(cell.page is not None and cell.page.live for cell in cells)
    assert column.counts[LIVE] == 2
    assert sum(column.counts.values()) == column.total == len(cells)
    assert column.work["waiting"] == 1


def test_needs_sync_then_waiting_then_nothing_are_three_distinct_states(
    chief, english_week, django_capture_on_commit_callbacks
):
    report, west, _ = english_week
    translate_week(report, chief, ["be"], pages=[report, west])
    with django_capture_on_commit_callbacks(execute=True):
        publish_translated(report, "be")
        publish_translated(west, "be")

    def be_work():
        return next(row.cells[1] for row in week_status(report).rows if row.english.pk == west.pk)

    assert be_work().work is None
    assert not be_work().unpublished_changes
    west.lead = "New English text."
    west.save_revision().publish()
    assert be_work().work == NEEDS_SYNC
    sync_week(report, chief)
    assert be_work().work == "waiting"
    translate_strings(west, locale("be"), "[be] ")
    with django_capture_on_commit_callbacks(execute=True):
        publish_week(report, "be", chief)
    assert be_work().work is None


def test_publishing_a_week_with_a_missing_page_says_so_and_republishes_nothing_unchanged(
    client, chief, english_week, django_capture_on_commit_callbacks
):
    report, west, security = english_week
    translate_week(report, chief, ["ru"], pages=[report, west])
    for page in (report, west):
        translate_related_strings(page, "ru")
        translate_strings(page, locale("ru"), "[ru] ")
    client.force_login(chief)
    board = reverse("digest_desk:week", args=[report.pk])

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(board, {"language": "ru"}, follow=True)
    revisions = west.get_translation(locale("ru")).revisions.count()
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(board, {"language": "ru"}, follow=True)

    first_messages = [str(message) for message in first.context["messages"]]
    assert any("Not in Russian yet" in m and security.title in m for m in first_messages)
    second_messages = [str(message) for message in second.context["messages"]]
    assert any("Nothing new to publish" in message for message in second_messages)
    assert west.get_translation(locale("ru")).revisions.count() == revisions


def test_scheduled_times_are_shown_with_their_time_zone(client, chief, draft_week):
    report, _article = draft_week
    go_live_at = timezone.now() + datetime.timedelta(days=2)
    publish_week(report, "en", chief, go_live_at=go_live_at)
    client.force_login(chief)

    html = client.get(reverse("digest_desk:week", args=[report.pk])).content.decode()

    assert timezone.localtime(go_live_at).tzname() in html
