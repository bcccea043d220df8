"""Slugs are no translator's work: derived from the title by its language's scheme, stable
once published, never a text to translate (core.slugs)."""

import pytest
from wagtail_localize.models import StringSegment, TranslationSource

from core.slugs import from_title
from digest.desk.publishing import publish_week
from digest.desk.translation import sync_week, translate_week
from digest.factories import ArticlePageFactory, locale, topic
from digest.trends import Trend
from tests.translating import publish_translated, translate_strings

pytestmark = pytest.mark.django_db

BELARUSIAN_TITLE = "Мінск заляцаецца да суседзяў"
RUSSIAN_TITLE = "Подъём на съезде: щёлочь"


@pytest.mark.parametrize(
    ("title", "language_code", "slug"),
    [
        # cyrtranslit's Belarusian table, folded to ASCII: г → h, ц → c, я → ja, ў → u.
        (
            "Беларускі раздзел «Вагнера» заканчваецца",
            "be",
            "belaruski-razdzel-vahnera-zakancvaecca",
        ),
        ("Шклоў і сям’і", "be", "sklou-i-sjami"),
        # ICAO Doc 9303: х → kh, ц → ts, щ → shch, ъ → ie, ю → iu.
        (RUSSIAN_TITLE, "ru", "podieem-na-sieezde-shcheloch"),
        ("Декрет о паспортах", "ru", "dekret-o-pasportakh"),
        ("Wagner’s chapter closes", "en", "wagners-chapter-closes"),
        ("«»", "be", "page"),
    ],
)
def test_each_language_has_one_transliteration_scheme(title, language_code, slug):
    assert from_title(title, language_code) == slug


def test_the_slug_is_not_a_text_to_translate(english_week, chief):
    report, west, _ = english_week
    translate_week(report, chief, ["be"], pages=[report, west])

    source = TranslationSource.objects.get_for_instance(west)
    contexts = set(
        StringSegment.objects.filter(source=source).values_list("context__path", flat=True)
    )
    assert "title" in contexts
    assert "slug" not in contexts
    # Every visible text translated is the whole translation: nothing hidden on Promote.
    translate_strings(west, locale("be"), "[be] ")
    translation = source.translations.get(target_locale=locale("be"))
    total, done = translation.get_progress()
    assert total == done > 0


def test_a_translation_is_published_at_its_titles_address_and_keeps_it(
    english_week, chief, django_capture_on_commit_callbacks
):
    report, west, _ = english_week
    translate_week(report, chief, pages=[report, west])
    with django_capture_on_commit_callbacks(execute=True):
        publish_translated(report, "be")
        publish_translated(report, "ru")
        belarusian = publish_translated(west, "be", texts={"title": BELARUSIAN_TITLE})
        russian = publish_translated(west, "ru", texts={"title": RUSSIAN_TITLE})
    assert belarusian.slug == "minsk-zaljacaecca-da-susedzjau"
    assert russian.slug == "podieem-na-sieezde-shcheloch"
    assert belarusian.url_path.endswith("/2023-09-11/minsk-zaljacaecca-da-susedzjau/")

    # The English is renamed and retitled; the translator retitles too: the address stays.
    west.title, west.slug = "Minsk woos its neighbours", "minsk-woos-its-neighbours"
    west.save_revision().publish()
    sync_week(report, chief)
    translate_strings(west, locale("be"), "", texts={"title": "Мінск заляцаецца зноў"})
    with django_capture_on_commit_callbacks(execute=True):
        publish_week(report, "be", chief)
    belarusian.refresh_from_db()
    assert belarusian.title == "Мінск заляцаецца зноў"
    assert belarusian.slug == "minsk-zaljacaecca-da-susedzjau"


def test_two_translations_with_one_title_get_two_addresses(
    english_week, chief, django_capture_on_commit_callbacks
):
    report, west, _ = english_week
    twin = ArticlePageFactory(
        parent=report,
        title="Minsk calls for friendship again",
        topic=topic("the-ruling-elite"),
        trend=Trend.UNCHANGED,
    )
    translate_week(report, chief, ["be"], pages=[report, west, twin])
    with django_capture_on_commit_callbacks(execute=True):
        publish_translated(report, "be")
        first = publish_translated(west, "be", texts={"title": BELARUSIAN_TITLE})
        second = publish_translated(twin, "be", texts={"title": BELARUSIAN_TITLE})
    assert first.slug == "minsk-zaljacaecca-da-susedzjau"
    assert second.slug == "minsk-zaljacaecca-da-susedzjau-1"
