"""One publish gate (core.publishing): every door that makes a page live asks it, for every role
and every language, and a refusal says why instead of failing.

The matrix: each door × each role × each language it serves. The week is live in every language
and the article's translations are fully translated drafts, so the only thing that decides is
whether the role may publish in that language: chief editors everywhere, a translator in their
own language, editors nowhere.
"""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page, Revision, Workflow
from wagtail.test.utils.form_data import querydict_from_html, rich_text
from wagtail_localize.models import TranslationSource

from core.publishing import PublishRefused, refusal
from digest.desk.publishing import publish_week
from digest.desk.translation import translate_week
from digest.factories import ArticlePageFactory, ReportPageFactory, locale, topic
from digest.factories import english_week as build_english_week
from digest.models import ArticlePage, ReportPage
from tests.hardening.admin_forms import submit_article_body
from tests.shared import shared_content
from tests.translating import publish_translated, translate_strings, week_with_translated_drafts

pytestmark = pytest.mark.django_db

# The week built once for the module: apart from the week the other tests build.
SHARED_WEEK = datetime.date(2024, 3, 4)
ROLES = ("editor", "chief", "translator_be", "translator_ru")
CORRECTED_LEAD = "A corrected lead, waiting to be published."


def may_publish(role: str, language: str) -> bool:
    return role == "chief" or role == f"translator_{language}"


def build_gated_week():
    report, west, _security, _analyst = build_english_week(SHARED_WEEK)
    week_with_translated_drafts(report, west)
    west.lead = CORRECTED_LEAD
    west.save_revision()
    return report.pk, west.pk


@pytest.fixture(scope="module")
def _gated_week_of_the_module(django_db_setup, django_db_blocker):
    yield from shared_content(django_db_blocker, build_gated_week)


@pytest.fixture
def gated_week(_gated_week_of_the_module, db):
    """The English week live; its Belarusian and Russian reports live; the article `west` with
    an unpublished English correction and fully translated, unpublished be/ru translations.
    Built once for the module; each test gets it fresh, and its changes are rolled back."""
    report_id, west_id = _gated_week_of_the_module
    return ReportPage.objects.get(pk=report_id), ArticlePage.objects.get(pk=west_id)


def version(west, language: str) -> ArticlePage:
    return ArticlePage.objects.get(
        translation_key=west.translation_key, locale__language_code=language
    )


def went_live(west, language: str) -> bool:
    page = version(west, language)
    return page.lead == CORRECTED_LEAD if language == "en" else page.live


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- the doors: each makes one attempt as `user` to publish `page` -----------------------------


def page_editor(client, user, page):
    """Wagtail's page editor (English: wagtail-localize takes over translated pages' editor)."""
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    if client.get(url).status_code != 200:
        # No editor for this person: the POST a forged form would send.
        return client.post(url, {"title": page.title, "action-publish": "action-publish"})
    if page.specific_class is ArticlePage:
        return submit_article_body(client, page, [("paragraph", rich_text("<p>Checked.</p>"))])
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    data["action-publish"] = "action-publish"
    return client.post(url, data)


def translation_editor(client, user, page):
    """wagtail-localize's translation editor posts its Publish to the page's edit URL."""
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), {"action": "publish"})


def update_translations(client, user, page):
    english = page.get_translation(locale("en"))
    source = TranslationSource.objects.get_for_instance(english)
    return client.post(
        reverse("wagtail_localize:update_translations", args=[source.pk]),
        {"publish_translations": "on"},
    )


def bulk_publish(client, user, page):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    return client.post(f"{url}?id={page.pk}", {"include_descendants": ""})


def publish_the_week(client, user, page):
    report = page.get_parent().specific.get_translation(locale("en"))
    return client.post(
        reverse("digest_desk:week", args=[report.pk]), {"language": page.locale.language_code}
    )


def revision_publish(client, user, page):
    """The model's own door, which every other one ends in."""
    try:
        page.specific.get_latest_revision().publish(user=user)
    except PublishRefused as refused:
        return refused


DOORS = {
    "page editor": (page_editor, ("en",)),
    "translation editor": (translation_editor, ("be", "ru")),
    "update translations": (update_translations, ("be", "ru")),
    "bulk publish": (bulk_publish, ("en", "be", "ru")),
    "publish the week": (publish_the_week, ("en", "be", "ru")),
    "revision.publish": (revision_publish, ("en", "be", "ru")),
}
MATRIX = [
    (door, role, language)
    for door, (_attempt, languages) in DOORS.items()
    for role in ROLES
    for language in languages
]


@pytest.mark.parametrize(("door", "role", "language"), MATRIX)
def test_every_door_publishes_only_what_the_role_may_publish_in_that_language(
    request, client, gated_week, django_capture_on_commit_callbacks, door, role, language
):
    _report, west = gated_week
    user = request.getfixturevalue(role)
    client.force_login(user)
    attempt, _languages = DOORS[door]

    with django_capture_on_commit_callbacks(execute=True):
        response = attempt(client, user, version(west, language))

    assert went_live(west, language) == may_publish(role, language)
    if hasattr(response, "status_code"):
        assert response.status_code < 500


def test_the_matrix_covers_every_role_and_language_at_every_door():
    assert {(role, language) for _door, role, language in MATRIX} == {
        (role, language) for role in ROLES for language in ("en", "be", "ru")
    }
    assert len(DOORS) == 6


def test_a_refusal_names_the_language_the_person_may_not_publish_in(
    client, gated_week, translator_ru
):
    """(The page editor and bulk actions refuse another language's pages themselves, with
    Wagtail's own messages, before the gate is asked.)"""
    _report, west = gated_week
    client.force_login(translator_ru)

    response = update_translations(client, translator_ru, version(west, "be"))

    assert not version(west, "be").live
    assert any("Беларуская" in message for message in messages_of(response)), messages_of(response)


# --- no English text goes live on a translated page, by any door -------------------------------


@pytest.mark.parametrize(
    "door", ["translation editor", "update translations", "bulk publish", "revision.publish"]
)
def test_a_translation_with_an_untranslated_text_never_goes_live(
    client, chief, english_week, django_capture_on_commit_callbacks, door
):
    report, west, _ = english_week
    with django_capture_on_commit_callbacks(execute=True):
        translate_week(report, chief, ["ru"], pages=[report, west])
        publish_translated(report, "ru")
    translate_strings(west, locale("ru"), "[ru] ", only_first=1)
    client.force_login(chief)
    attempt, _languages = DOORS[door]

    with django_capture_on_commit_callbacks(execute=True):
        response = attempt(client, chief, version(west, "ru"))

    russian = version(west, "ru")
    assert not russian.live
    reason = refusal(russian, chief)
    assert "not translated" in reason
    if door != "revision.publish":
        assert any("not translated" in message for message in messages_of(response))


def test_a_live_translation_is_not_rewritten_with_english_by_update_translations(
    client, editor, chief, english_week, django_capture_on_commit_callbacks
):
    """The English changed; "Update translations" with publish must not put the new English
    lead live on the Russian page (the translator has not translated it yet)."""
    report, west, _ = english_week
    with django_capture_on_commit_callbacks(execute=True):
        translate_week(report, chief, ["ru"], pages=[report, west])
        publish_translated(report, "ru")
        russian_lead = publish_translated(west, "ru").lead
    west.lead = "A new English lead."
    west.save_revision().publish()
    client.force_login(chief)

    with django_capture_on_commit_callbacks(execute=True):
        update_translations(client, chief, version(west, "ru"))

    assert version(west, "ru").lead == russian_lead
    assert version(west, "ru").live


def test_a_live_translation_cannot_be_turned_into_a_copy_of_the_english(
    client, chief, english_week, django_capture_on_commit_callbacks
):
    report, west, _ = english_week
    with django_capture_on_commit_callbacks(execute=True):
        translate_week(report, chief, ["ru"], pages=[report, west])
        publish_translated(report, "ru")
        publish_translated(west, "ru")
    client.force_login(chief)
    russian = version(west, "ru")

    client.post(
        reverse("wagtailadmin_pages:edit", args=[russian.pk]), {"localize-convert-to-alias": "1"}
    )

    assert version(west, "ru").alias_of_id is None


# --- articles wait for their week ----------------------------------------------------------------


@pytest.fixture
def draft_week_article(chief):
    report = ReportPageFactory(live=False)
    report.save_revision()
    article = ArticlePageFactory(parent=report, topic=topic("security-issues"))
    return report, article


def test_no_door_publishes_an_article_ahead_of_its_week(client, chief, draft_week_article):
    _report, article = draft_week_article
    client.force_login(chief)

    for attempt in (page_editor, bulk_publish, revision_publish):
        response = attempt(client, chief, article)
        assert getattr(response, "status_code", 200) < 500
        article.refresh_from_db()
        assert not article.live

    assert "is not live" in refusal(article, chief)


def test_a_week_is_not_published_from_the_page_editor_without_its_articles(
    client, chief, draft_week_article
):
    report, _article = draft_week_article
    client.force_login(chief)
    url = reverse("wagtailadmin_pages:edit", args=[report.pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    data["action-publish"] = "action-publish"

    response = client.post(url, data, follow=True)

    report.refresh_from_db()
    assert not report.live
    assert any("Publish the week" in message for message in messages_of(response))


def submit_for_approval(article, editor):
    workflow = Workflow.objects.get(name="Author → chief editor")
    return workflow.start(article, editor)


def approve(client, chief, article):
    article.refresh_from_db()
    task_state = article.current_workflow_state.current_task_state
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[article.pk, "approve", task_state.pk]),
        {},
    )


def test_approving_an_article_of_a_draft_week_approves_it_for_the_week(
    client, editor, chief, draft_week_article, django_capture_on_commit_callbacks
):
    report, article = draft_week_article
    submit_for_approval(article, editor)
    client.force_login(chief)

    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert "Approve for the week" in edit_page
    assert "and Publish" not in edit_page
    approve(client, chief, article)

    article.refresh_from_db()
    assert not article.live
    assert not article.workflow_in_progress

    with django_capture_on_commit_callbacks(execute=True):
        result = publish_week(report, "en", chief)
    article.refresh_from_db()
    assert article.live
    assert article.pk in {page.pk for page in result.pages}


def test_an_article_awaiting_approval_keeps_its_week_from_going_live(
    editor, chief, draft_week_article
):
    from digest.desk.publishing import WeekNotReady

    report, article = draft_week_article
    submit_for_approval(article, editor)

    with pytest.raises(WeekNotReady) as not_ready:
        publish_week(report, "en", chief)

    assert "approval" in " ".join(not_ready.value.problems[0].messages)
    report.refresh_from_db()
    assert not report.live


def test_a_correction_to_an_article_of_a_live_week_publishes_on_approval(
    client, editor, chief, english_week
):
    _report, west, _ = english_week
    west.lead = CORRECTED_LEAD
    west.save_revision(user=editor)
    submit_for_approval(west, editor)
    client.force_login(chief)

    approve(client, chief, west)

    west.refresh_from_db()
    assert west.lead == CORRECTED_LEAD


def test_a_scheduled_week_goes_live_with_its_articles_and_an_article_alone_does_not(
    chief, draft_week_article
):
    import datetime

    from django.utils import timezone

    report, article = draft_week_article
    loner_week = ReportPageFactory(live=False, week_start=datetime.date(2023, 10, 2))
    loner_week.save_revision()
    loner = ArticlePageFactory(parent=loner_week, topic=topic("security-issues"))
    soon = timezone.now() + datetime.timedelta(minutes=5)
    publish_week(report, "en", chief, go_live_at=soon)
    with pytest.raises(PublishRefused):
        # Scheduling an article alone is refused as publishing it would be.
        revision = loner.save_revision(user=chief)
        loner.go_live_at = soon
        revision = loner.save_revision(user=chief)
        revision.publish(user=chief)

    later = soon + datetime.timedelta(minutes=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        call_command("publish_scheduled")

    report.refresh_from_db()
    article.refresh_from_db()
    loner.refresh_from_db()
    assert report.live and article.live
    assert not loner.live


def test_publish_scheduled_reports_a_refusal_and_publishes_the_rest(chief, capsys):
    """A revision the gate refuses when it falls due (its week was taken off the schedule)
    does not stop the run: it is named on stderr and stays scheduled; the rest goes live."""
    import datetime

    from django.utils import timezone

    orphan_week = ReportPageFactory(live=False, week_start=datetime.date(2023, 10, 9))
    orphan_week.save_revision()
    orphan = ArticlePageFactory(parent=orphan_week, topic=topic("security-issues"))
    other_week = ReportPageFactory(live=False, week_start=datetime.date(2023, 10, 16))
    due = timezone.now() - datetime.timedelta(minutes=1)
    # Scheduled while its week was scheduled too; the week's schedule was then cancelled.
    Revision.objects.filter(pk=orphan.save_revision(user=chief).pk).update(approved_go_live_at=due)
    Revision.objects.filter(pk=other_week.save_revision(user=chief).pk).update(
        approved_go_live_at=due + datetime.timedelta(seconds=30)
    )

    call_command("publish_scheduled")

    orphan.refresh_from_db()
    other_week.refresh_from_db()
    assert not orphan.live
    assert other_week.live
    errors = capsys.readouterr().err
    assert f"Not published: “{orphan.title}” (en, page {orphan.pk})" in errors
    assert "It stays scheduled." in errors
    assert orphan.get_latest_revision().approved_go_live_at is not None


def test_only_the_system_publishes_without_a_person(english_week):
    """No person, no revision author: the demo load and commands. They still may not put an
    untranslated text or an article ahead of its week live (the content rules)."""
    report, west, _ = english_week
    translate_week(report, None, ["ru"], pages=[report, west])
    russian_report = Page.objects.get(
        translation_key=report.translation_key, locale__language_code="ru"
    )
    assert "not translated" in refusal(russian_report, None)
