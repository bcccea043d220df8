"""One rule for the slug of a translated page: derived from its title, stable once published.

Translators translate words, not URLs: wagtail-localize copies the English slug (a synchronized
field, never a segment of the translation, so it is not counted in a translation's progress),
and the page's save replaces it with its title transliterated by its language's scheme:

- Russian: ICAO Doc 9303, the scheme of Russian passports (`iuliia`);
- Belarusian: cyrtranslit's Belarusian table (scientific, as in Łacinka), folded to ASCII;
- English (and any other language): Django's `slugify`.

Once a translated page has been published its slug is its address: it never changes again,
whatever happens to its title, the English slug or a later update of the translation.
"""

import unicodedata

import cyrtranslit
import iuliia
from django.utils.text import slugify
from wagtail.coreutils import find_available_slug

from core.languages import SOURCE_LANGUAGE

SCHEMES = {
    "ru": ("ICAO Doc 9303 (iuliia)", lambda text: iuliia.ICAO_DOC_9303.translate(text)),
    "be": ("Belarusian, cyrtranslit", lambda text: cyrtranslit.to_latin(text, "by")),
}


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def from_title(title: str, language_code: str, max_length: int = 255) -> str:
    """The slug a title has in its language: ASCII letters, digits and hyphens."""
    scheme = SCHEMES.get(language_code)
    latin = scheme[1](title) if scheme else title
    slug = slugify(_ascii(latin))[:max_length].strip("-")
    return slug or "page"


def is_managed(page) -> bool:
    """Is the page's slug this module's to set? (Translated pages whose type derives it.)"""
    return (
        getattr(page, "slug_follows_title", False)
        and page.locale_id is not None
        and page.locale.language_code != SOURCE_LANGUAGE
    )


def slug_for(page, parent=None) -> str:
    """The slug a translated page has: its published one, else its title's, free among its
    siblings."""
    if page.pk:
        published = (
            type(page)
            .objects.filter(pk=page.pk, first_published_at__isnull=False)
            .values_list("slug", flat=True)
            .first()
        )
        if published:
            return published
    parent = parent or page.get_parent()
    slug = from_title(page.title, page.locale.language_code)
    if parent is None:
        return slug
    return find_available_slug(parent, slug, ignore_page_id=page.pk)
