"""Topics and authors through the publish gate (core.publishing.snippet_refusal).

A snippet has no drafts: whatever is saved is public. So each door that saves a Belarusian or
Russian topic or author — wagtail-localize's translation editor and "Update translations", the
week board's "Publish the week", the snippet editor, creating and deleting one — is tried by
every role in both languages, and changes it only for someone who may publish in that language.
A copy that still holds English where a text is untranslated is shown to no reader, and keeps
every translated page that uses it from going live.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from core.publishing import snippet_refusal
from digest.desk.translation import translate_week
from digest.factories import english_week as build_english_week
from digest.factories import locale
from digest.models import ArticlePage, Author, ReportPage
from tests.shared import shared_content
from tests.translating import publish_translated, translate_related_strings, translate_strings

pytestmark = pytest.mark.django_db

# The week built once for the module: apart from the week the other tests build.
SHARED_WEEK = datetime.date(2024, 3, 4)
ROLES = ("editor", "chief", "translator_be", "translator_ru")
LANGUAGES = ("be", "ru")


def may_publish(role: str, language: str) -> bool:
    return role == "chief" or role == f"translator_{language}"


def build_waiting_author():
    report, west, security, analyst = build_english_week(SHARED_WEEK)
    translate_week(report, None, list(LANGUAGES))
    for language in LANGUAGES:
        publish_translated(report, language)
        for page in (west, security):
            translate_strings(page, locale(language), f"[{language}] ")
        translate_related_strings(west, language)
    return report.pk, analyst.pk


@pytest.fixture(scope="module")
def _waiting_author_of_the_module(django_db_setup, django_db_blocker):
    yield from shared_content(django_db_blocker, build_waiting_author)


@pytest.fixture
def waiting_author(_waiting_author_of_the_module, db):
    """The English week sent to translation, its reports live in be and ru, its articles'
    texts translated there; the analyst's be and ru copies hold the English name (awaiting
    their translation) while the translator's strings for them are ready. Built once for the
    module; each test gets it fresh, and its changes are rolled back."""
    report_id, analyst_id = _waiting_author_of_the_module
    return ReportPage.objects.get(pk=report_id), Author.objects.get(pk=analyst_id)


def copy_of(analyst, language) -> Author:
    return Author.objects.get(translation_key=analyst.translation_key, locale=locale(language))


def edit_url(author) -> str:
    return reverse("wagtailsnippets_digest_author:edit", args=[author.pk])


# --- the doors: each makes one attempt as the logged-in person; `changed` says if it worked ---


def translation_editor(client, report, analyst, language):
    client.post(edit_url(copy_of(analyst, language)), {"action": "publish"})
    return not copy_of(analyst, language).awaiting_translation


def update_translations(client, report, analyst, language):
    source = TranslationSource.objects.get_for_instance(analyst)
    client.post(
        reverse("wagtail_localize:update_translations", args=[source.pk]),
        {"publish_translations": "on"},
    )
    return not copy_of(analyst, language).awaiting_translation


def publish_the_week(client, report, analyst, language):
    client.post(reverse("digest_desk:week", args=[report.pk]), {"language": language})
    return not copy_of(analyst, language).awaiting_translation


def snippet_editor(client, report, analyst, language):
    """A copy no longer synchronised from the English is edited in Wagtail's snippet form."""
    copy = copy_of(analyst, language)
    Translation.objects.filter(
        source__object_id=analyst.translation_key, target_locale=copy.locale
    ).update(enabled=False)
    client.post(edit_url(copy), {"name": "Forged name", "slug": copy.slug, "role": "", "bio": ""})
    return copy_of(analyst, language).name == "Forged name"


def create(client, report, analyst, language):
    url = reverse("wagtailsnippets_digest_author:add") + f"?locale={language}"
    client.post(url, {"name": "Forged author", "slug": "forged", "role": "", "bio": ""})
    return Author.objects.filter(slug="forged", locale=locale(language)).exists()


def delete(client, report, analyst, language):
    unused = Author.objects.create(locale=locale(language), name="Unused", slug="unused")
    client.post(reverse("wagtailsnippets_digest_author:delete", args=[unused.pk]))
    return not Author.objects.filter(pk=unused.pk).exists()


DOORS = {
    "translation editor": translation_editor,
    "update translations": update_translations,
    "publish the week": publish_the_week,
    "snippet editor": snippet_editor,
    "create": create,
    "delete": delete,
}
MATRIX = [(door, role, language) for door in DOORS for role in ROLES for language in LANGUAGES]


@pytest.mark.parametrize(("door", "role", "language"), MATRIX)
def test_every_door_changes_a_translated_snippet_only_for_who_may_publish_in_its_language(
    request, client, waiting_author, django_capture_on_commit_callbacks, door, role, language
):
    report, analyst = waiting_author
    user = request.getfixturevalue(role)
    # Wagtail's own check comes first: give every role the model permissions, so that the
    # gate alone decides.
    user.groups.first().permissions.add(
        *permissions("add_author", "change_author", "delete_author")
    )
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        changed = DOORS[door](client, report, analyst, language)

    assert changed == may_publish(role, language)


def permissions(*codenames):
    return Permission.objects.filter(content_type__app_label="digest", codename__in=codenames)


def test_the_snippet_matrix_covers_every_role_and_language_at_every_door():
    assert {(role, language) for _door, role, language in MATRIX} == {
        (role, language) for role in ROLES for language in LANGUAGES
    }
    assert len(DOORS) == 6


def test_published_through_the_translation_editor_it_carries_the_translators_name(
    client, translator_be, waiting_author
):
    _report, analyst = waiting_author
    client.force_login(translator_be)

    response = client.post(edit_url(copy_of(analyst, "be")), {"action": "publish"}, follow=True)

    assert response.status_code == 200
    assert copy_of(analyst, "be").name == f"[be] {analyst.name}"


def test_a_refused_door_says_why(client, editor, waiting_author):
    _report, analyst = waiting_author
    client.force_login(editor)

    response = client.post(edit_url(copy_of(analyst, "be")), {"action": "publish"}, follow=True)

    (message,) = [str(message) for message in response.context["messages"]]
    assert "was not published" in message and "Беларуская" in message


def test_a_refused_new_author_is_told_why(client, translator_be, waiting_author):
    translator_be.groups.first().permissions.add(*permissions("add_author"))
    client.force_login(translator_be)
    url = reverse("wagtailsnippets_digest_author:add") + "?locale=ru"

    response = client.post(url, {"name": "Forged", "slug": "forged", "role": ""}, follow=True)

    messages = [str(message) for message in response.context["messages"]]
    assert any(message.startswith("Вы не можаце публікаваць") for message in messages), messages
    assert not Author.objects.filter(slug="forged").exists()


def test_an_untranslated_text_keeps_the_copy_waiting(chief, waiting_author):
    _report, analyst = waiting_author
    copy = copy_of(analyst, "ru")
    StringTranslation.objects.filter(locale=copy.locale, translation_of__data=analyst.name).delete()

    assert "not translated yet" in snippet_refusal(copy, chief)
    assert copy_of(analyst, "ru").awaiting_translation


def test_english_topics_and_authors_change_only_for_who_edits_the_english_pages(
    editor, chief, translator_be, waiting_author
):
    _report, analyst = waiting_author
    assert snippet_refusal(analyst, editor) is None
    assert snippet_refusal(analyst, chief) is None
    assert "English" in snippet_refusal(analyst, translator_be)


def test_a_translator_edits_no_english_author(client, translator_be, waiting_author):
    _report, analyst = waiting_author
    client.force_login(translator_be)

    client.post(edit_url(analyst), {"name": "Renamed", "slug": analyst.slug, "role": "", "bio": ""})

    analyst.refresh_from_db()
    assert analyst.name != "Renamed"


def test_readers_never_see_a_copy_awaiting_its_translation(client, translator_be, waiting_author):
    _report, analyst = waiting_author
    english_article = ArticlePage.objects.live().get(
        authors__author=analyst, topic__slug="belarus-west-relations"
    )

    def belarusian_authors():
        listing = client.get("/api/v2/authors/", {"locale": "be"}).json()
        return [item["name"] for item in listing["items"]]

    def byline_in_the_be_edition():
        """The English article, borrowed by the BE/RU edition while no translation is live."""
        data = client.get(f"/api/v2/pages/{english_article.pk}/", {"locale": "be"}).json()
        assert data["meta"]["fallback"] is True
        return [(author["id"], author["name"]) for author in data["authors"]]

    assert belarusian_authors() == []
    assert byline_in_the_be_edition() == [(analyst.pk, analyst.name)]

    client.force_login(translator_be)
    client.post(edit_url(copy_of(analyst, "be")), {"action": "publish"})
    client.logout()

    translated = copy_of(analyst, "be")
    assert belarusian_authors() == [f"[be] {analyst.name}"]
    assert byline_in_the_be_edition() == [(translated.pk, translated.name)]
