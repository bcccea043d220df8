"""Translating a week with wagtail-localize keeps its facts and localizes its relations."""

import datetime

import pytest
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.operations import translate_object, translate_page_subtree

from digest.factories import ArticlePageFactory, AuthorFactory, ReportPageFactory, locale, topic
from digest.models import ArticlePage, Author, ReportPage, Topic
from digest.trends import Trend

pytestmark = pytest.mark.django_db

TARGETS = ("be", "ru")


@pytest.fixture
def english_week():
    report = ReportPageFactory(week_start=datetime.date(2023, 9, 11))
    first, second = AuthorFactory(name="Pavel Siamionau"), AuthorFactory(name="Iryna Tsvirka")
    west = ArticlePageFactory(
        parent=report,
        topic=topic("belarus-west-relations"),
        trend=Trend.UNCHANGED,
        authors=[first, second],
    )
    security = ArticlePageFactory(
        parent=report, topic=topic("security-issues"), trend=Trend.WORSENED, authors=[second]
    )
    return report, west, security


def translate_week(report):
    locales = [locale(code) for code in TARGETS]
    translate_object(report, locales)
    translate_page_subtree(report.id, locales, None, None)


@pytest.mark.parametrize("language", TARGETS)
def test_a_translated_week_has_every_article_in_that_language(english_week, language):
    report, west, security = english_week
    translate_week(report)

    translated_report = report.get_translation(locale(language))
    assert (
        translated_report.title
        == {"be": "11–17 верасня 2023", "ru": "11–17 сентября 2023"}[language]
    )
    assert translated_report.week_start == report.week_start
    assert ArticlePage.objects.child_of(translated_report).count() == 2


@pytest.mark.parametrize("language", TARGETS)
def test_a_translated_article_points_at_its_languages_topic_and_keeps_trend_and_photo(
    english_week, language
):
    report, west, _ = english_week
    translate_week(report)

    translated = west.get_translation(locale(language))
    assert translated.topic == Topic.objects.get(
        slug="belarus-west-relations", locale__language_code=language
    )
    assert translated.trend == Trend.UNCHANGED
    assert translated.photo_id == west.photo_id
    assert translated.photo.credit == "Photo: kremlin.ru"


@pytest.mark.parametrize("language", TARGETS)
def test_a_translated_byline_credits_the_translated_authors_in_the_same_order(
    english_week, language
):
    report, west, _ = english_week
    translate_week(report)

    translated = west.get_translation(locale(language))
    byline = [credit.author for credit in translated.authors.all()]
    english_byline = [credit.author for credit in west.authors.all()]
    assert [author.translation_key for author in byline] == [
        author.translation_key for author in english_byline
    ]
    assert all(author.locale.language_code == language for author in byline)


def test_a_trend_correction_in_english_reaches_the_translations_on_sync(english_week):
    report, west, _ = english_week
    translate_week(report)

    west.trend = Trend.WORSENED
    west.save_revision().publish()
    source = TranslationSource.objects.get_for_instance(west)
    source.update_from_db()
    Translation.objects.get(source=source, target_locale=locale("ru")).save_target(publish=True)

    assert west.get_translation(locale("ru")).trend == Trend.WORSENED


def test_authors_are_translatable_snippets():
    author = AuthorFactory(name="Alena Marozava", slug="alena-marozava")
    translate_object(author, [locale("be")])

    belarusian = Author.objects.get(translation_key=author.translation_key, locale=locale("be"))
    assert belarusian.slug == "alena-marozava"
    source = TranslationSource.objects.get_for_instance(author)
    assert Translation.objects.filter(source=source, target_locale=locale("be")).exists()


def test_topics_are_translatable_snippets_with_a_shared_slug():
    english = topic("the-ruling-elite")
    english.slug = "ruling-elite"
    english.save()
    source, _ = TranslationSource.update_or_create_from_instance(english)
    Translation.objects.get_or_create(source=source, target_locale=locale("be"))[0].save_target()

    assert Topic.objects.get(translation_key=english.translation_key, locale=locale("be")).slug == (
        "ruling-elite"
    )


def test_report_titles_are_not_offered_to_translators(english_week):
    report, _, _ = english_week
    source, _ = TranslationSource.get_or_create_from_instance(report)
    assert not source.stringsegment_set.filter(context__path="title").exists()
    assert ReportPage.objects.filter(translation_key=report.translation_key).count() == 1
