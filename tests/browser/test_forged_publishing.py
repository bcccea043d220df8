"""Publishing by URL, in a real browser session: what a person may not publish stays unpublished
whichever door their forged POST knocks on (the CSRF token is their own, taken from the admin's
own form), and a Belarusian week with an article not yet translated goes live without it, saying
so.

The unit tests (tests/desk/test_publish_gate.py) ask the gate door by door through Django's test
client; these send what a browser would, session, CSRF and all, to every URL that publishes.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect
from wagtail.models import Page, Workflow
from wagtail_localize.models import TranslationSource

from digest.desk.translation import translate_week
from digest.factories import english_week, locale
from digest.models import ArticlePage, Author, Topic
from tests.translating import (
    publish_translated,
    translate_related_strings,
    translate_strings,
    week_with_translated_drafts,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"
CORRECTED_LEAD = "A corrected lead the editor has no right to publish."


def make_user(django_user_model, username, group_name):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def log_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def what_readers_see(languages):
    """Everything public in these languages: each live page with its live revision and text,
    and the snippets (topics, authors), which are public as soon as they exist."""
    live = Page.objects.filter(live=True, locale__language_code__in=languages)
    pages = {(page.pk, page.live_revision_id, page.title) for page in live}
    articles = {
        (article.pk, article.lead)
        for article in ArticlePage.objects.filter(live=True, locale__language_code__in=languages)
    }
    snippets = {
        (type(item).__name__, item.pk, item.name)
        for model in (Topic, Author)
        for item in model.objects.filter(
            locale__language_code__in=languages, awaiting_translation=False
        )
    }
    return pages, articles, snippets


class ForgedPost:
    """POSTs from the signed-in browser session with the CSRF token of an admin form."""

    def __init__(self, page):
        self.page = page
        page.goto("/admin/")
        self.token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")

    def __call__(self, url, data=None):
        return self.page.request.post(
            url,
            form={"csrfmiddlewaretoken": self.token, **(data or {})},
            headers={"X-CSRFToken": self.token, "Referer": self.page.url},
            max_redirects=0,
        )


@pytest.fixture
def gated_week(django_capture_on_commit_callbacks):
    """The English week live; its Belarusian and Russian reports live; the article `west` with
    an unpublished English correction and translated but unpublished be/ru translations, its
    author's copies still awaiting their (ready) translation; the article `security` live with a
    correction waiting for the chief editor's approval."""
    report, west, security, _analyst = english_week()
    with django_capture_on_commit_callbacks(execute=True):
        # The author's copies still hold the English, their translation ready to publish.
        week_with_translated_drafts(report, west, publish_snippets=False)
    west.lead = CORRECTED_LEAD
    west.save_revision()
    security.lead = CORRECTED_LEAD
    security.save_revision()
    return report, west, security


def publishing_doors(report, west, security):
    """Every URL that can make a page live, with what a forged form would POST to it, and the
    language of the page it publishes (None: whatever languages the person may work in)."""
    task_state = security.current_workflow_state.current_task_state
    translations = {language: west.get_translation(locale(language)) for language in ("be", "ru")}
    source = TranslationSource.objects.get_for_instance(west)
    edit = lambda page: reverse("wagtailadmin_pages:edit", args=[page.pk])  # noqa: E731
    bulk_publish = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    board = reverse("digest_desk:week", args=[report.pk])
    translate = reverse("digest_desk:translate", args=[report.pk])
    copy = {"new_title": "A copy", "new_slug": "a-copy", "new_parent_page": str(report.pk)}
    analyst = west.authors.first().author
    authors = {language: analyst.get_translation(locale(language)) for language in ("be", "ru")}
    author_url = lambda name, *args: reverse(f"wagtailsnippets_digest_author:{name}", args=args)  # noqa: E731
    author_form = {"name": "A forged name", "slug": "forged", "role": "", "bio": ""}
    return {
        **{
            f"translation editor of the {language} author": (
                language,
                author_url("edit", author.pk),
                {"action": "publish"},
            )
            for language, author in authors.items()
        },
        "update translations of the author, with publish": (
            None,
            reverse(
                "wagtail_localize:update_translations",
                args=[TranslationSource.objects.get_for_instance(analyst).pk],
            ),
            {"publish_translations": "on"},
        ),
        **{
            f"new {language} author": (
                language,
                author_url("add") + f"?locale={language}",
                author_form,
            )
            for language in ("be", "ru")
        },
        "page editor": ("en", edit(west), {"title": west.title, "action-publish": "1"}),
        "page editor, scheduled": (
            "en",
            edit(west),
            {"title": west.title, "action-publish": "1", "go_live_at": "2031-01-01 09:00"},
        ),
        **{
            f"translation editor ({language})": (language, edit(page), {"action": "publish"})
            for language, page in translations.items()
        },
        **{
            f"page editor of the {language} page": (
                language,
                edit(page),
                {"title": page.title, "action-publish": "1"},
            )
            for language, page in translations.items()
        },
        "update translations with publish": (
            None,
            reverse("wagtail_localize:update_translations", args=[source.pk]),
            {"publish_translations": "on"},
        ),
        **{
            f"bulk publish ({page.locale.language_code})": (
                page.locale.language_code,
                f"{bulk_publish}?id={page.pk}",
                {"include_descendants": ""},
            )
            for page in (west, *translations.values())
        },
        **{
            f"publish the week ({language})": (language, board, {"language": language})
            for language in ("en", "be", "ru")
        },
        **{
            f"schedule the week ({language})": (
                language,
                board,
                {"language": language, f"{language}-go_live_at": "2031-01-01T09:00"},
            )
            for language in ("en", "be", "ru")
        },
        "translate the week": (None, translate, {}),
        **{
            f"translate the week into {language}": (language, translate, {"language": language})
            for language in ("be", "ru")
        },
        "sync": (None, reverse("digest_desk:sync", args=[report.pk]), {}),
        "workflow approval": (
            "en",
            reverse(
                "wagtailadmin_pages:workflow_action", args=[security.pk, "approve", task_state.pk]
            ),
            {},
        ),
        "copy, published": (
            "en",
            reverse("wagtailadmin_pages:copy", args=[west.pk]),
            {**copy, "publish_copies": "on"},
        ),
        "copy as an alias": (
            "en",
            reverse("wagtailadmin_pages:copy", args=[west.pk]),
            {**copy, "alias": "on"},
        ),
    }


# Who forges, and the languages they may not publish in: an editor publishes nothing; a
# Belarusian translator publishes Belarusian only (their own doors may publish it).
FORGERS = {
    "editor": ("Editors", {"en", "be", "ru"}),
    "translator-be": ("Translators (BE)", {"en", "ru"}),
}


@pytest.mark.parametrize("username", FORGERS)
def test_forged_posts_to_every_publishing_url_publish_nothing_the_person_may_not(
    open_browser, django_user_model, gated_week, username
):
    report, west, security = gated_week
    group, forbidden = FORGERS[username]
    make_user(django_user_model, username, group)
    Workflow.objects.get(name="Author → chief editor").start(security, security.owner)
    doors = {
        door: (url, data)
        for door, (language, url, data) in publishing_doors(report, west, security).items()
        if language is None or language in forbidden
    }
    browser = open_browser()
    log_in(browser, username)
    post = ForgedPost(browser)

    before = what_readers_see(forbidden)
    for door, (url, data) in doors.items():
        response = post(url, data)
        assert response.status < 500, door
        assert what_readers_see(forbidden) == before, f"{door} made something public"
    # Copying is an editor's right; the copy is a draft, not an alias and not live.
    assert [(copy.live, copy.alias_of_id) for copy in Page.objects.filter(title="A copy")] in (
        [],
        [(False, None)],
    )

    # The board offers them no button to publish a language they may not publish.
    browser.goto(reverse("digest_desk:week", args=[report.pk]))
    for language in forbidden:
        expect(browser.locator(f'form[data-publish-language="{language}"]')).to_have_count(0)
    for language in {"en", "be", "ru"} - forbidden:
        expect(browser.locator(f'form[data-publish-language="{language}"]')).to_have_count(1)


def test_a_belarusian_week_with_an_untranslated_article_goes_live_without_it_and_says_so(
    open_browser, django_user_model, django_capture_on_commit_callbacks
):
    report, west, security, _analyst = english_week()
    with django_capture_on_commit_callbacks(execute=True):
        translate_week(report, None, ["be"], pages=[report, west])
    publish_translated(report, "be")
    translate_related_strings(west, "be")
    translate_strings(west, locale("be"), "[be] ")
    make_user(django_user_model, "translator-be", "Translators (BE)")

    be_report = report.get_translation(locale("be"))
    live_revision = be_report.live_revision_id

    translator = open_browser()
    log_in(translator, "translator-be")
    translator.goto(f"/admin/desk/week/{report.pk}/")
    expect(translator.locator('td[data-language="be"][data-state="missing"]')).to_have_count(1)
    translator.get_by_role("button", name="Publish the week in Belarusian").click()

    messages = translator.locator(".messages")
    expect(messages).to_contain_text("Published in Belarusian: “[be] Minsk calls for friendship”")
    expect(messages).to_contain_text(f"Already live and unchanged: “{be_report.title}”")
    expect(messages).to_contain_text(
        "Not in Belarusian yet, so not published: “Troops on the border”"
    )
    assert west.get_translation(locale("be")).live
    assert security.get_translation_or_none(locale("be")) is None
    # The week page, live and unchanged, was not published again.
    be_report.refresh_from_db()
    assert be_report.live_revision_id == live_revision
