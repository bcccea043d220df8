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

import logging

from wagtail.models import Page

from core import api_cache
from core.visibility import Visibility
from search.models import SearchEntry

logger = logging.getLogger(__name__)

SCOPES = (api_cache.CONTENT, api_cache.SEARCH)
# Sites × generations remembered; a new generation makes the older ones useless anyway.
MAX_KEPT = 16

_known: dict[tuple, tuple[int, ...]] = {}


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
    ids = _known.get(key)
    if ids is None:
        public = visible.pages(Page).values("pk")
        ids = tuple(
            SearchEntry.objects.exclude(page__in=public)
            .order_by()
            .values_list("page_id", flat=True)
            .distinct()
        )
        if len(_known) >= MAX_KEPT:
            _known.clear()
        _known[key] = ids
    return ids
