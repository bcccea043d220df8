"""The admin speaks Belarusian and Russian: complete catalogues, compiled, used by the desk."""

import json
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from digest.desk.translation import translate_week
from digest.factories import ArticlePageFactory, ReportPageFactory, locale
from digest.models import Author, Topic
from digest.trends import Trend

CATALOGUES = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("language_code", ["be", "ru"])
def test_every_message_is_translated(language_code):
    catalogue = polib.pofile(CATALOGUES / language_code / "LC_MESSAGES" / "django.po")
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert (untranslated, fuzzy) == ([], [])


@pytest.mark.parametrize("language_code", ["be", "ru"])
def test_the_compiled_catalogue_matches_the_translations(language_code):
    folder = CATALOGUES / language_code / "LC_MESSAGES"
    source = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural.get(0)
        for entry in polib.pofile(folder / "django.po").translated_entries()
    }
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural.get(0)
        for entry in polib.mofile(folder / "django.mo")
        if entry.msgid
    }
    assert compiled == source


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language_code", "expected"),
    [
        ("be", ["Апублікаваць тыдзень", "Перакласці тыдзень", "Сітуацыя пагоршылася"]),
        ("ru", ["Опубликовать неделю", "Перевести неделю", "Ситуация ухудшилась"]),
    ],
)
def test_the_desk_and_its_chart_speak_the_users_language(client, chief, language_code, expected):
    profile = chief.wagtail_userprofile
    profile.preferred_language = language_code
    profile.save()
    report = ReportPageFactory()
    ArticlePageFactory(parent=report, trend=Trend.WORSENED)
    client.force_login(chief)

    board = client.get(reverse("digest_desk:week", args=[report.pk])).content.decode()
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()

    assert expected[0] in board
    assert expected[1] in board
    assert expected[2] in dashboard


# Wagtail's and wagtail-localize's own Belarusian and Russian, corrected in locale_overrides/.


def javascript_catalogue(client, user, language_code) -> dict:
    """wagtail-localize's translation editor's strings, as a user's browser gets them."""
    profile = user.wagtail_userprofile
    profile.preferred_language = language_code
    profile.save()
    client.force_login(user)
    script = client.get(reverse("wagtail_localize:javascript_catalog")).content.decode()
    return json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.DOTALL).group(1))


@pytest.mark.parametrize(
    ("language_code", "download", "upload", "publish_in"),
    [
        ("be", "Спампаваць PO-файл", "Загрузіць PO-файл", "Апублікаваць: "),
        ("ru", "Скачать PO-файл", "Загрузить PO-файл", "Опубликовать: "),
    ],
)
@pytest.mark.django_db
def test_the_translation_editor_tells_download_from_upload_and_names_the_language(
    client, chief, language_code, download, upload, publish_in
):
    catalogue = javascript_catalogue(client, chief, language_code)

    assert catalogue["Download PO file"] == download
    assert catalogue["Upload PO file"] == upload
    # The editor appends the language's name in the nominative: "Апублікаваць: Беларуская".
    assert catalogue["Publish in "] == publish_in
    assert catalogue["Uses %s version"].endswith(": %s")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language_code", "title", "images", "wrong"),
    [
        ("be", "Пераклад «Minsk calls for friendship» (Беларуская)", "Выявы", "Малявання"),
        ("ru", "Перевод «Minsk calls for friendship» (Русский)", "Изображения", "Малявання"),
    ],
)
def test_a_translator_reads_the_translation_editor_and_the_menu_in_their_language(
    client, chief, english_week, language_code, title, images, wrong
):
    report, west, _security = english_week
    profile = chief.wagtail_userprofile
    profile.preferred_language = language_code
    profile.save()
    translate_week(report, chief, [language_code], pages=[report, west])
    translated = west.get_translation(locale(language_code))
    client.force_login(chief)

    editor = client.get(reverse("wagtailadmin_pages:edit", args=[translated.pk])).content.decode()

    assert f"<title>{title} - Wagtail</title>" in editor
    assert f'"label": {json.dumps(images)}' in editor
    assert json.dumps(wrong) not in editor


@pytest.mark.parametrize(
    ("language_code", "topic", "author"), [("be", "назва", "імя"), ("ru", "название", "имя")]
)
def test_a_topics_name_is_not_a_persons_name(language_code, topic, author):
    with translation.override(language_code):
        assert str(Topic._meta.get_field("name").verbose_name) == topic
        assert str(Author._meta.get_field("name").verbose_name) == author


@pytest.mark.parametrize(
    ("language_code", "one", "two", "five"),
    [
        ("be", "1 знак.", "2 знакі.", "5 знакаў."),
        ("ru", "1 символа.", "2 символов.", "5 символов."),
    ],
)
def test_the_e_mail_length_error_agrees_with_its_number(language_code, one, two, five):
    def message(count):
        return ngettext(
            "An e-mail address has at most %(max)d character.",
            "An e-mail address has at most %(max)d characters.",
            count,
        ) % {"max": count}

    with translation.override(language_code):
        assert message(1).endswith(f" {one}")
        assert message(2).endswith(f" {two}")
        assert message(5).endswith(f" {five}")


@pytest.mark.django_db
def test_the_russian_week_board_spells_belarusian_right(client, chief):
    profile = chief.wagtail_userprofile
    profile.preferred_language = "ru"
    profile.save()
    report = ReportPageFactory()
    client.force_login(chief)

    board = client.get(reverse("digest_desk:week", args=[report.pk])).content.decode()

    assert "Белорусский" in board
    assert "Белоруский" not in board


@pytest.mark.parametrize("language_code", ["be", "ru"])
@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_overrides_are_compiled_and_come_first(language_code, domain):
    overrides = Path(settings.BASE_DIR) / "locale_overrides"
    assert Path(settings.LOCALE_PATHS[0]) == overrides
    folder = overrides / language_code / "LC_MESSAGES"
    source = {
        (entry.msgctxt, entry.msgid): entry.msgstr
        for entry in polib.pofile(folder / f"{domain}.po").translated_entries()
    }
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr
        for entry in polib.mofile(folder / f"{domain}.mo")
        if entry.msgid
    }
    assert compiled == source
