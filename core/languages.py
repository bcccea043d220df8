"""The language editions: which languages there are, and which text a reader of each one gets.

The publication's BE/RU edition is one edition: Belarusian text where it exists, Russian where it
does not (marked as such), English as the last resort, always with a Belarusian interface (topic
names, trend labels, bylines, week titles). Each edition's chain (`CONTENT_LANGUAGE_CHAINS`) and
whether a request gets it by default (`CONTENT_LANGUAGE_FALLBACK`) are settings; every door —
listings, detail, find, home, week, related articles, feeds, search, sitemap, e-mail, preview —
asks an `Edition` which version of a page to serve, in SQL where it filters (`best()`) and in
Python where it already holds the candidates (`pick()`).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

LANGUAGES: tuple[str, ...] = tuple(code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES)
SOURCE_LANGUAGE: str = settings.LANGUAGE_CODE


def fallback_chain(language: str) -> tuple[str, ...]:
    """`language`, then the languages whose text its readers get where it has none."""
    chain = tuple(settings.CONTENT_LANGUAGE_CHAINS.get(language, ()))
    return (language, *(code for code in chain if code != language))


def falls_back_by_default(language: str) -> bool:
    return language in settings.CONTENT_LANGUAGE_FALLBACK


def _page_key(page):
    return page.translation_key


def _page_language(page):
    return page.locale.language_code


@dataclass(frozen=True)
class Edition:
    """What a reader of `language` gets: with `fallback`, the whole chain; else that language."""

    language: str
    fallback: bool = False

    @classmethod
    def of(cls, language: str, fallback: bool | None = None) -> "Edition":
        """The edition a request for `language` gets; `fallback=None` means the default."""
        if fallback is None:
            fallback = falls_back_by_default(language)
        return cls(language, fallback and len(fallback_chain(language)) > 1)

    @property
    def chain(self) -> tuple[str, ...]:
        return fallback_chain(self.language) if self.fallback else (self.language,)

    def rank(self, language: str) -> int | None:
        chain = self.chain
        return chain.index(language) if language in chain else None

    def best(self, queryset, among=None):
        """`queryset` narrowed, in SQL, to one version per translation key: the earliest
        language of the chain of which `among` (default: `queryset`) has a version."""
        chain = self.chain
        if len(chain) == 1:
            return queryset.filter(locale__language_code=chain[0])
        among = queryset if among is None else among
        condition = Q()
        for rank, candidate in enumerate(chain):
            clause = Q(locale__language_code=candidate)
            if rank:
                clause &= ~Exists(
                    among.filter(
                        translation_key=OuterRef("translation_key"),
                        locale__language_code__in=chain[:rank],
                    )
                )
            condition |= clause
        return queryset.filter(condition)

    def pick(self, versions: Iterable, key=_page_key, language=_page_language) -> dict:
        """Of several versions of each item, the one earliest in the chain, by translation key.

        Versions outside the chain are ignored. `key` and `language` read an item's translation
        key and language (pages and snippets by default; pass accessors for value rows).
        """
        chain = self.chain
        best: dict = {}
        for version in versions:
            version_language = language(version)
            if version_language not in chain:
                continue
            current = best.get(key(version))
            if current is None or chain.index(version_language) < chain.index(language(current)):
                best[key(version)] = version
        return best

    def label_versions(self, model, translation_keys: Iterable) -> dict:
        """The edition's own version of each snippet (topic, author) by translation key, so
        that a borrowed page is labelled in the reader's language: falls back along the chain
        where the snippet itself is untranslated."""
        from core.visibility import translated_snippets

        candidates = (
            translated_snippets(model)
            .filter(
                translation_key__in=set(translation_keys),
                locale__language_code__in=fallback_chain(self.language),
            )
            .select_related("locale")
        )
        return Edition(self.language, fallback=True).pick(candidates)
