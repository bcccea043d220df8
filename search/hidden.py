"""The indexed pages the public may not see right now: the index's lag, checked cheaply.

The index holds public pages only and follows every change through the task worker, so it lags
by moments at most: an article unpublished or made private a second ago may still have its
entry. Checking every match against the page tree (live, on this site, not restricted) costs a
scan of all pages on every search. Instead each process keeps, per site and per generation of
the API cache (core.api_cache: the content generation, bumped by every change that can alter
what the public sees — core.revalidation —, and the search generation, bumped when the index
changes), the few indexed pages that are not public, and searches exclude those. The same
generations already decide when a cached search answer is stale, so this is never staler than
the response cache. When the cache cannot tell the generations, search checks the page tree.
"""

import datetime
import logging

from django.utils import timezone
from wagtail.models import Page

from core import api_cache
from core.languages import Edition
from core.visibility import Visibility, next_expiry
from search.models import SearchEntry

logger = logging.getLogger(__name__)

SCOPES = (api_cache.CONTENT, api_cache.SEARCH)
# Sites × generations remembered; a new generation makes the older ones useless anyway.
MAX_KEPT = 16

_known: dict[tuple, tuple[tuple[int, ...], datetime.datetime | None]] = {}


def hidden_page_ids(visible: Visibility) -> tuple[int, ...] | None:
    """Ids of indexed pages the public may not see on `visible`'s site (usually none), or None
    when the generations are unknown (then the caller checks the page tree itself)."""
    if not visible.root_paths:
        return None
    try:
        generations = api_cache.current_generations(SCOPES)
    except Exception:  # a broken cache costs speed, never an answer
        logger.exception("Search: could not read the API cache's generations")
        return None
    if generations is None:
        return None
    key = (visible, generations)
    known = _known.get(key)
    # A page's expiry hides it with no change to the generations: the list ends there too.
    if known is None or (known[1] is not None and timezone.now() >= known[1]):
        public = visible.pages(Page).values("pk")
        ids = tuple(
            SearchEntry.objects.exclude(page__in=public)
            .order_by()
            .values_list("page_id", flat=True)
            .distinct()
        )
        if len(_known) >= MAX_KEPT:
            _known.clear()
        known = _known[key] = (ids, next_expiry())
    return known[0]


_borrowed: dict[tuple, tuple[tuple[tuple[int, str], ...], datetime.datetime | None]] = {}


def borrowed_pages(visible: Visibility, edition: Edition) -> tuple[tuple[int, str], ...]:
    """(page id, language) of the pages the edition borrows from the other languages of its
    chain — those it has no visible version of (core.languages) — remembered per process,
    site and generation as `hidden_page_ids()` is; a handful on a translated archive."""
    if len(edition.chain) == 1:
        return ()
    try:
        generations = api_cache.current_generations(SCOPES)
    except Exception:  # a broken cache costs speed, never an answer
        logger.exception("Search: could not read the API cache's generations")
        generations = None
    key = (visible, edition, generations)
    known = _borrowed.get(key) if generations is not None else None
    if known is None or (known[1] is not None and timezone.now() >= known[1]):
        pages = visible.pages(Page)
        rows = tuple(
            edition.best(pages.filter(locale__language_code__in=edition.chain), pages)
            .exclude(locale__language_code=edition.language)
            .order_by("id")
            .values_list("id", "locale__language_code")
        )
        if len(_borrowed) >= MAX_KEPT:
            _borrowed.clear()
        known = (rows, next_expiry())
        if generations is not None:
            _borrowed[key] = known
    return known[0]
