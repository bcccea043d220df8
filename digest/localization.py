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
    return pick_best(candidates.select_related("locale"), chain)


def _page_key(page):
    return page.translation_key


def _page_language(page):
    return page.locale.language_code


def pick_best(versions: Iterable, chain, key=_page_key, language=_page_language) -> dict:
    """Of several versions of each page, the one earliest in `chain`, by translation key.

    Versions in languages outside the chain are ignored. `key` and `language` read an item's
    translation key and language (pages by default; pass accessors for value rows).
    """
    best: dict = {}
    for version in versions:
        version_language = language(version)
        if version_language not in chain:
            continue
        current = best.get(key(version))
        if current is None or chain.index(version_language) < chain.index(language(current)):
            best[key(version)] = version
    return best
