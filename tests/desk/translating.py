"""Test helpers: a translator's work in wagtail-localize, done through its models."""

from wagtail_localize.models import StringTranslation, TranslationSource


def translate_strings(page, locale, prefix: str, only_first: int | None = None) -> None:
    """Translates the English page's strings as a translator would (prefixing each one)."""
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
                "data": f"{prefix}{segment.string.data}",
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
            },
        )
