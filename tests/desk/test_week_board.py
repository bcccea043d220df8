"""The week board and the listing of weeks: status at a glance, and the week's actions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from digest.desk.translation import translate_week
from digest.factories import ArticlePageFactory, ReportPageFactory, locale, topic
from digest.models import ArticlePage, ReportPage
from tests.translating import translate_related_strings, translate_strings

pytestmark = pytest.mark.django_db


def board(report):
    return reverse("digest_desk:week", args=[report.pk])


def refused(response) -> bool:
    """The admin answers a forbidden action by sending the user back to the dashboard."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_the_desk_is_in_the_admin_menu(client, editor):
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_home"))
    assert reverse("digest_desk:weeks") in response.content.decode()


def test_the_listing_shows_recent_weeks_with_each_languages_status(client, editor, english_week):
    report, _, _ = english_week
    client.force_login(editor)

    response = client.get(reverse("digest_desk:weeks"))

    assert response.status_code == 200
    statuses = response.context["statuses"]
    assert [status.report.pk for status in statuses] == [report.pk]
    assert statuses[0].column("en").counts["live"] == 3
    assert statuses[0].column("be").counts["missing"] == 3
    assert board(report) in response.content.decode()


def test_the_board_shows_every_article_in_every_language_with_links(client, chief, english_week):
    report, west, security = english_week
    translate_week(report, chief, ["be"])
    client.force_login(chief)

    response = client.get(board(report))

    assert response.status_code == 200
    html = response.content.decode()
    rows = response.context["status"].rows
    assert [row.english.pk for row in rows] == [report.pk, security.pk, west.pk]
    be_west = west.get_translation(locale("be"))
    assert reverse("wagtailadmin_pages:edit", args=[west.pk]) in html
    assert reverse("wagtailadmin_pages:edit", args=[be_west.pk]) in html
    assert "Security issues" in html
    assert 'data-language="ru" data-state="missing"' in html
    assert 'data-language="be" data-state="in_translation"' in html


def test_editors_get_links_only_to_the_pages_they_can_edit(client, editor, chief, english_week):
    report, west, _ = english_week
    translate_week(report, chief, ["be"])
    client.force_login(editor)

    html = client.get(board(report)).content.decode()

    assert reverse("wagtailadmin_pages:edit", args=[west.pk]) in html
    be_west = west.get_translation(locale("be"))
    assert reverse("wagtailadmin_pages:edit", args=[be_west.pk]) not in html


def test_a_translation_or_article_page_links_to_its_week_board(client, chief, english_week):
    report, west, _ = english_week
    client.force_login(chief)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[west.pk]))
    assert board(report) in response.content.decode()


def test_a_belarusian_report_opens_the_board_of_its_english_week(
    client, editor, chief, english_week
):
    report, _, _ = english_week
    translate_week(report, chief, ["be"])
    client.force_login(editor)

    response = client.get(board(report.get_translation(locale("be"))))

    assert response.context["status"].report.pk == report.pk


def test_new_week_creates_the_drafts_and_opens_their_board(client, editor, english_week):
    client.force_login(editor)

    response = client.post(reverse("digest_desk:new_week"))

    new = ReportPage.objects.get(week_start=datetime.date(2023, 9, 18), locale=locale("en"))
    assert response.status_code == 302
    assert response.url == board(new)
    assert ArticlePage.objects.child_of(new).count() == 5


def test_a_double_click_on_new_week_starts_one_week(client, editor, english_week):
    client.force_login(editor)
    button = {"week_start": "2023-09-18"}

    first = client.post(reverse("digest_desk:new_week"), button)
    second = client.post(reverse("digest_desk:new_week"), button, follow=True)

    new = ReportPage.objects.get(week_start=datetime.date(2023, 9, 18), locale=locale("en"))
    assert first.url == board(new)
    assert second.redirect_chain[-1][0] == board(new)
    assert ReportPage.objects.filter(locale=locale("en")).count() == 2
    assert any("already been started" in message for message in messages_of(second))


def test_the_weeks_list_offers_the_next_week_on_its_button(client, editor, english_week):
    client.force_login(editor)
    response = client.get(reverse("digest_desk:weeks"))
    assert 'name="week_start" value="2023-09-18"' in response.content.decode()


def test_translators_cannot_start_a_week(client, translator_be):
    client.force_login(translator_be)
    assert refused(client.post(reverse("digest_desk:new_week")))
    assert not ReportPage.objects.exists()


def test_translate_the_week_from_the_board(client, chief, english_week):
    report, west, _ = english_week
    client.force_login(chief)

    response = client.post(reverse("digest_desk:translate", args=[report.pk]), follow=True)

    assert west.has_translation(locale("be")) and west.has_translation(locale("ru"))
    assert any("Sent to translation" in message for message in messages_of(response))


def test_a_belarusian_translator_sends_the_week_into_belarusian_only(
    client, translator_be, english_week
):
    report, west, _ = english_week
    client.force_login(translator_be)

    html = client.get(board(report)).content.decode()
    assert f'action="{reverse("digest_desk:translate", args=[report.pk])}"' in html
    client.post(reverse("digest_desk:translate", args=[report.pk]))

    assert west.has_translation(locale("be"))
    assert not west.has_translation(locale("ru"))


@pytest.mark.parametrize(
    ("user_fixture", "language"),
    [("translator_be", "ru"), ("translator_ru", "be"), ("editor", "be"), ("editor", "ru")],
)
def test_nobody_sends_a_week_into_a_language_whose_tree_is_not_theirs(
    request, client, english_week, user_fixture, language
):
    report, _, _ = english_week
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.post(
        reverse("digest_desk:translate", args=[report.pk]), {"language": language}
    )
    assert refused(response)
    assert not report.has_translation(locale(language))


def test_sync_from_the_board_tells_who_waits_for_translators(client, editor, chief, english_week):
    report, west, _ = english_week
    translate_week(report, chief)
    west.lead = "A corrected lead."
    west.save_revision().publish()
    client.force_login(editor)

    response = client.post(reverse("digest_desk:sync", args=[report.pk]), follow=True)

    text = " ".join(messages_of(response))
    assert "Translators now have the latest English of" in text
    assert "Waiting for translators" in text


def test_chief_editor_publishes_the_week_and_is_told_what_went_live(client, chief):
    report = ReportPageFactory(week_start=datetime.date(2023, 9, 18), live=False)
    report.save_revision()
    article = ArticlePageFactory(parent=report, topic=topic("security-issues"))
    article.unpublish()
    client.force_login(chief)

    response = client.post(board(report), {"language": "en"}, follow=True)

    report.refresh_from_db()
    article.refresh_from_db()
    assert report.live and article.live
    (message,) = messages_of(response)
    assert message.startswith("Published in English:")
    assert article.title in message


def test_publishing_a_week_with_an_unfinished_article_lists_the_problems(client, chief):
    client.force_login(chief)
    client.post(reverse("digest_desk:new_week"))
    report = ReportPage.objects.get(locale=locale("en"))

    response = client.post(board(report), {"language": "en"})

    assert response.status_code == 200
    problems = next(
        column["problems"]
        for column in response.context["publish_columns"]
        if column["column"].language_code == "en"
    )
    assert len(problems) == 5
    assert not ArticlePage.objects.child_of(report).live().exists()
    assert "Nothing was published in English" in " ".join(messages_of(response))


def test_scheduling_the_week_from_the_board(client, chief):
    report = ReportPageFactory(week_start=datetime.date(2023, 9, 18), live=False)
    report.save_revision()
    client.force_login(chief)
    go_live_at = timezone.localtime() + datetime.timedelta(days=2)

    response = client.post(
        board(report),
        {"language": "en", "en-go_live_at": go_live_at.strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )

    report.refresh_from_db()
    assert not report.live
    assert report.approved_schedule
    assert messages_of(response)[0].startswith("Scheduled in English for")


def test_a_go_live_time_in_the_past_is_refused(client, chief, english_week):
    report, _, _ = english_week
    client.force_login(chief)
    past = timezone.localtime() - datetime.timedelta(hours=1)

    response = client.post(
        board(report), {"language": "en", "en-go_live_at": past.strftime("%Y-%m-%dT%H:%M")}
    )

    assert response.status_code == 200
    assert "Choose a time in the future" in response.content.decode()


def test_editors_see_no_publish_button_and_cannot_publish(client, editor, english_week):
    report, _, _ = english_week
    client.force_login(editor)

    response = client.get(board(report))
    assert not any(column["can_publish"] for column in response.context["publish_columns"])
    assert refused(client.post(board(report), {"language": "en"}))


def test_a_belarusian_translator_publishes_the_belarusian_week(
    client, translator_be, english_week, django_capture_on_commit_callbacks
):
    report, west, security = english_week
    translate_week(report, translator_be, ["be"])
    for page in (report, west, security):
        translate_related_strings(page, "be", "BE ")
        translate_strings(page, locale("be"), "BE ")
    client.force_login(translator_be)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(board(report), {"language": "be"}, follow=True)

    assert west.get_translation(locale("be")).live
    # In Belarusian, the translator's admin language: the week, then the author it took along.
    published, with_it = messages_of(response)
    assert published.startswith("Апублікавана (Беларуская)")
    author = west.authors.first().author.get_translation(locale("be"))
    assert with_it.endswith(f": “{author.name}”.") and not author.awaiting_translation
