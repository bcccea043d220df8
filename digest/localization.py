"""Which language a reader gets when a page is missing in theirs.

The publication's BE/RU edition shows Russian text, marked as such, where no Belarusian text exists;
English is the last resort and is never served silently when Russian exists.
"""

from collections.abc import Iterable

from wagtail.models import Page

FALLBACK_CHAINS = {
    "en": ("en",),
    "be": ("be", "ru", "en"),
    "ru": ("ru", "en"),
}


def fallback_chain(language_code: str) -> tuple[str, ...]:
    return FALLBACK_CHAINS.get(language_code, (language_code,))


def best_translations(translation_keys: Iterable, language_code: str, queryset=None) -> dict:
    """Maps each translation key to the live page the reader of `language_code` should get.

    One query for all keys; keys with no live version in any language of the chain are absent.
    `queryset` narrows the candidates (e.g. to publicly visible pages of one type).
    """
    chain = fallback_chain(language_code)
    candidates = (queryset if queryset is not None else Page.objects.live()).filter(
        translation_key__in=list(translation_keys), locale__language_code__in=chain
    )
    best: dict = {}
    for page in candidates.select_related("locale"):
        rank = chain.index(page.locale.language_code)
        current = best.get(page.translation_key)
        if current is None or rank < chain.index(current.locale.language_code):
            best[page.translation_key] = page
    return best
