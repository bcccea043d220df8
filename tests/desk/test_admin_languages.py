"""The admin speaks Belarusian and Russian: complete catalogues, compiled, used by the desk."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from digest.factories import ArticlePageFactory, ReportPageFactory
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
