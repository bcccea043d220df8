"""Test helpers: a translator's work in wagtail-localize, done through its models."""

from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from core import publishing
from digest.desk.translation import translate_week
from digest.factories import locale


def translate_strings(
    page, locale, prefix: str, only_first: int | None = None, texts: dict | None = None
) -> None:
    """Translates the English page's strings as a translator would: those whose context path
    is in `texts` (e.g. "title") with that text, the others by prefixing the English."""
    texts = texts or {}
    source = TranslationSource.objects.get_for_instance(page)
    segments = source.stringsegment_set.select_related("string", "context").order_by("order")
    if only_first is not None:
        segments = segments[:only_first]
    for segment in segments:
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": texts.get(segment.context.path, f"{prefix}{segment.string.data}"),
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
            },
        )


def publish_translated(page, language_code: str, texts: dict | None = None, user=None):
    """The English `page`, already sent to translation, translated in full into the language
    and published through the publish gate, as its translator would. Returns the page."""
    target_locale = locale(language_code)
    translate_strings(page, target_locale, f"[{language_code}] ", texts=texts)
    translation = Translation.objects.get(
        source=TranslationSource.objects.get_for_instance(page), target_locale=target_locale
    )
    return publishing.publish_translation(translation, user).specific


def week_with_translated_drafts(report, article, languages=("be", "ru")) -> None:
    """The English `report` sent to translation and published in each language, and `article`
    translated in full there but not published (run it with the on-commit work executed)."""
    translate_week(report, None, list(languages), pages=[report, article])
    for language in languages:
        publish_translated(report, language)
        translate_strings(article, locale(language), f"[{language}] ")
