"""Where a page lives on the public frontend: its path and full URL.

English paths are unprefixed; other locales are prefixed with their language code, as
Django's i18n_patterns(prefix_default_language=False) does for the routes in cms/urls.py.
Computed from `url_path` and Wagtail's cached site root paths, so no query per page.
"""

import threading

from django.conf import settings
from wagtail.models import Page, Site

from core.languages import LANGUAGES

# Wagtail keeps the site root paths in the cache; a listing asks for dozens of paths, so each
# thread keeps its copy for the duration of one request (and forgets it when sites change).
_memo = threading.local()


def site_root_paths():
    roots = getattr(_memo, "roots", None)
    if roots is None:
        roots = _memo.roots = Site.get_site_root_paths()
    return roots


def forget_site_roots(**kwargs) -> None:
    _memo.roots = None


def language_prefix(language_code: str) -> str:
    return "" if language_code == settings.LANGUAGE_CODE else f"/{language_code}"


def locate(url_path: str, language_code: str) -> tuple[int, str] | None:
    """(site id, frontend path) of a page, or None when it is outside every site."""
    for root in site_root_paths():
        if root.language_code == language_code and url_path.startswith(root.root_path):
            relative = url_path[len(root.root_path) :]
            return root.site_id, f"{language_prefix(language_code)}/{relative}"
    return None


def frontend_path(url_path: str, language_code: str) -> str | None:
    located = locate(url_path, language_code)
    return located[1] if located else None


def frontend_url(path: str | None) -> str | None:
    return f"{settings.FRONTEND_BASE_URL}{path}" if path is not None else None


def split_language(path: str) -> tuple[str, str]:
    """('be', '/situacyja-u-bielarusi/') for '/be/situacyja-u-bielarusi/'; English is unprefixed."""
    parts = path.split("/", 2)
    if len(parts) > 1 and parts[1] in LANGUAGES and parts[1] != settings.LANGUAGE_CODE:
        return parts[1], "/" + (parts[2] if len(parts) > 2 else "")
    return settings.LANGUAGE_CODE, path


# ---- the edition's URL space ------------------------------------------------------------------
#
# A page borrowed by an edition (a Russian article in the BE/RU edition) lives at a path of that
# edition: the path of its nearest ancestor that the edition has in its own language, followed by
# the borrowed page's own slugs — `/be/situacyja-u-bielarusi/2023-09-11/<russian slug>/` — so a
# reader who follows `/be/…` links never leaves the edition, and `find` resolves the path back.

STEP = 4  # treebeard's steplen for Wagtail pages
LOCALE_ROOT_DEPTH = 2


def edition_paths(pages, language: str, visible_pages) -> dict:
    """page id → frontend path in `language`'s URL space, for `pages` given as
    (id, tree path, url_path) of pages in other languages. Two queries for any number of pages.

    `visible_pages` is the queryset of pages the reader may see: an ancestor counts only where
    its version in `language` is visible. Pages with no such ancestor are left out.
    """
    pages = list(pages)
    if not pages:
        return {}
    ancestor_paths = {
        tree_path[: STEP * depth]
        for _id, tree_path, _url_path in pages
        for depth in range(LOCALE_ROOT_DEPTH, len(tree_path) // STEP)
    }
    ancestors = {
        tree_path: (key, url_path)
        for tree_path, key, url_path in Page.objects.filter(path__in=ancestor_paths).values_list(
            "path", "translation_key", "url_path"
        )
    }
    own = dict(
        visible_pages.filter(
            translation_key__in={key for key, _url_path in ancestors.values()},
            locale__language_code=language,
        ).values_list("translation_key", "url_path")
    )
    found = {}
    for page_id, tree_path, url_path in pages:
        for depth in range(len(tree_path) // STEP - 1, LOCALE_ROOT_DEPTH - 1, -1):
            ancestor = ancestors.get(tree_path[: STEP * depth])
            if ancestor and ancestor[0] in own:
                key, ancestor_url_path = ancestor
                path = frontend_path(own[key] + url_path[len(ancestor_url_path) :], language)
                if path:
                    found[page_id] = path
                break
    return found


def find_in_edition(visible_pages, chain: tuple[str, ...], root_url_path: str, components):
    """The page that an edition's path names: its own page at that path, or else the page
    that `edition_paths()` placed there — found under the nearest ancestor the edition has
    in its own language, in the first language of `chain` that has one. Returns a `Page` (not
    specific) or None; three queries at most."""
    language = chain[0]
    prefixes = [
        root_url_path + "".join(f"{component}/" for component in components[:length])
        for length in range(len(components), -1, -1)
    ]
    own = dict(
        visible_pages.filter(url_path__in=prefixes, locale__language_code=language).values_list(
            "url_path", "translation_key"
        )
    )
    if prefixes[0] in own:
        return visible_pages.filter(url_path=prefixes[0], locale__language_code=language).first()
    if len(chain) == 1:
        return None
    deepest = next((prefix for prefix in prefixes if prefix in own), None)
    if deepest is None:
        return None
    rest = prefixes[0][len(deepest) :]
    bases = dict(
        visible_pages.filter(
            translation_key=own[deepest], locale__language_code__in=chain[1:]
        ).values_list("locale__language_code", "url_path")
    )
    wanted = {base + rest: code for code, base in bases.items()}
    candidates = {
        page.locale.language_code: page
        for page in visible_pages.filter(url_path__in=wanted).select_related("locale")
        if wanted.get(page.url_path) == page.locale.language_code
    }
    return next((candidates[code] for code in chain[1:] if code in candidates), None)
