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


def translate_related_strings(page, language_code: str, prefix: str | None = None) -> list:
    """Translates the strings of the topic and authors of the English `page` that await their
    translation into the language (a translator's first step). Returns their copies."""
    target_locale = locale(language_code)
    translation = Translation.objects.get(
        source=TranslationSource.objects.get_for_instance(page), target_locale=target_locale
    )
    copies = []
    for related, copy in publishing.related_copies(translation):
        if copy is None or not copy.awaiting_translation:
            continue
        english = related.get_instance(page.locale)
        translate_strings(english, target_locale, prefix or f"[{language_code}] ")
        copies.append(copy)
    return copies


def publish_translated_snippets(page, language_code: str, user=None) -> list:
    """The topic and authors of the English `page` that still await their translation into
    the language, translated in full and published, as a translator would first."""
    return [
        publishing.publish_translation(publishing.managed_translation(copy), user, copy)
        for copy in translate_related_strings(page, language_code)
    ]


def publish_translated(page, language_code: str, texts: dict | None = None, user=None):
    """The English `page`, already sent to translation, translated in full into the language
    (its topic and authors first) and published through the publish gate, as its translator
    would. Returns the page."""
    target_locale = locale(language_code)
    publish_translated_snippets(page, language_code, user)
    translate_strings(page, target_locale, f"[{language_code}] ", texts=texts)
    translation = Translation.objects.get(
        source=TranslationSource.objects.get_for_instance(page), target_locale=target_locale
    )
    return publishing.publish_translation(translation, user).specific


def week_with_translated_drafts(
    report, article, languages=("be", "ru"), publish_snippets: bool = True
) -> None:
    """The English `report` sent to translation and published in each language, and `article`
    translated in full there but not published (run it with the on-commit work executed). Its
    topic and authors are translated too, and published unless `publish_snippets` is False."""
    translate_week(report, None, list(languages), pages=[report, article])
    for language in languages:
        publish_translated(report, language)
        if publish_snippets:
            publish_translated_snippets(article, language)
        else:
            translate_related_strings(article, language)
        translate_strings(article, locale(language), f"[{language}] ")
