"""A fresh site: three locales, a home page and an archive in each, public paths per locale."""

import pytest
from wagtail.models import Locale, Site

from digest.models import ReportIndexPage, Topic
from home.models import HomePage

pytestmark = pytest.mark.django_db

REAL_TOPICS = {
    "the-ruling-elite": ("The ruling elite", "Кіруючы клас", "Правящий класс"),
    "society-and-political-parties": (
        "Society and political parties",
        "Грамадства і палітычныя партыі",
        "Общество и политические партии",
    ),
    "security-issues": ("Security issues", "Пытанні бяспекі", "Вопросы безопасности"),
    "belarus-west-relations": (
        "Belarus-West relations",
        "Адносіны Беларусі і Захаду",
        "Отношения Беларуси и Запада",
    ),
    "belarus-russia-relations": (
        "Belarus-Russia relations",
        "Беларуска-расійскія адносіны",
        "Белорусско-российские отношения",
    ),
}


def test_the_three_content_locales_exist_with_english_as_default():
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"en", "be", "ru"}
    assert Locale.get_default().language_code == "en"


def test_every_locale_has_one_home_page_and_they_are_translations_of_each_other():
    homes = HomePage.objects.all()
    assert sorted(home.locale.language_code for home in homes) == ["be", "en", "ru"]
    assert len({home.translation_key for home in homes}) == 1
    assert Site.objects.get(is_default_site=True).root_page.specific == homes.get(
        locale__language_code="en"
    )


def test_public_paths_are_unprefixed_in_english_and_prefixed_in_belarusian_and_russian():
    paths = {
        archive.locale.language_code: archive.get_url_parts()[2]
        for archive in ReportIndexPage.objects.all()
    }
    assert paths == {
        "en": "/situation-in-belarus/",
        "be": "/be/situacyja-u-bielarusi/",
        "ru": "/ru/situaciya-v-belarusi/",
    }


def test_page_urls_point_at_the_frontend_not_at_the_cms(settings):
    archive = ReportIndexPage.objects.get(locale__language_code="ru")
    assert archive.full_url == "https://frontend.test/ru/situaciya-v-belarusi/"


@pytest.mark.parametrize("slug", REAL_TOPICS)
def test_the_five_real_topics_exist_in_all_three_languages(slug):
    topics = {topic.locale.language_code: topic for topic in Topic.objects.filter(slug=slug)}
    english, belarusian, russian = REAL_TOPICS[slug]
    assert {code: topic.name for code, topic in topics.items()} == {
        "en": english,
        "be": belarusian,
        "ru": russian,
    }
    assert len({topic.translation_key for topic in topics.values()}) == 1
    assert all(topic.is_active for topic in topics.values())


def test_archive_topics_exist_but_are_not_offered_for_new_weeks():
    assert set(
        Topic.objects.filter(is_active=False, locale__language_code="en").values_list(
            "slug", flat=True
        )
    ) == {"economy", "international-relations"}
