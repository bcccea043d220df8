"""What changed, and who must hear of it: the API cache, the CDN and the frontends.

Every change that alters what the API shows — a page published, unpublished, moved or deleted
(translations are pages too), a view restriction added or removed, a Topic, Author or image
edited, a redirect, document, collection or site changed — is recorded here:

1. At once, the API cache's content generation is bumped (core.api_cache), so the next request
   renders afresh: the page, its week, the listings, the other languages' `meta.translations`,
   feeds, the sitemap, search.
2. When the transaction commits, it is bumped again — a request that rendered the old rows
   between the first bump and the commit must not stay cached — and the changed URLs are
   purged from the CDN (wagtail.contrib.frontend_cache, when configured) and sent to the
   webhooks (core.webhooks): the frontend paths of the changed pages in every language, of
   their week, the archive and the home pages. Before that, the changed pages themselves
   (`pages=`) go into the change feed (core.changes), so the feed holds them by the time any
   cached answer is made stale.

Changes made in one transaction (publishing a week: a report and five articles in one go) go
out as one purge and one webhook per endpoint. This module is the machinery; which model change
is which event is said by the receivers: core.signal_handlers for Wagtail's own models, each
app's signal_handlers for its own.
"""

import logging
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from wagtail.contrib.frontend_cache.utils import get_backends, purge_urls_from_cache
from wagtail.models import Page, PageViewRestriction

from core import api_cache, visibility
from core import changes as change_feed
from core.languages import LANGUAGES
from core.paths import frontend_path, frontend_url

# What a change is recorded as: the `event` of a webhook (the one event of its transaction, or
# `content_changed` when there were several: `events` lists them) and the contract's enum.
EVENTS = {
    "page_published": "A page was published or republished (a translation is a page too).",
    "page_unpublished": "A page was unpublished.",
    "page_moved": "A page moved: its old and new paths, and its subtree's.",
    "page_deleted": "A page was deleted.",
    "page_expired": "A page reached its expiry date: readers no longer see it.",
    "view_restriction_added": "A page and its subtree were made private.",
    "view_restriction_changed": "A page's privacy changed.",
    "view_restriction_removed": "A private page and its subtree became public.",
    "topic_changed": "A topic was renamed or re-ordered: its articles' pages.",
    "author_changed": "An author was edited: the pages of their articles.",
    "image_changed": "An image or its credit was edited: the pages showing it.",
    "document_changed": "A document was added, edited or deleted.",
    "collection_changed": "A collection or its privacy changed.",
    "redirect_changed": "A redirect was added, edited or deleted: its old path.",
    "site_changed": "A site was added, edited or deleted.",
}
SEVERAL_EVENTS = "content_changed"

# Sent once per committed transaction that changed what readers see, with `payload` (what
# changed: events, frontend paths and URLs): the outbound webhooks listen.
content_changed = Signal()
# Depth of the pages under the tree's root: a locale's home page is at depth 2.
HOME_DEPTH = 2
STEP = Page.steplen

logger = logging.getLogger(__name__)
_local = threading.local()


# ---- one transaction's changes --------------------------------------------------------------


@dataclass
class Changes:
    events: set[str] = field(default_factory=set)
    paths: set[str] = field(default_factory=set)
    api_paths: set[str] = field(default_factory=set)
    visibility_changed: bool = False
    flushed: bool = False
    # page id → the page as the change feed needs it (core.changes.Touched)
    pages: dict = field(default_factory=dict)

    def payload(self) -> dict:
        events = sorted(self.events)
        paths = sorted(self.paths)
        return {
            "id": str(uuid.uuid4()),
            "event": events[0] if len(events) == 1 else SEVERAL_EVENTS,
            "events": events,
            "occurred_at": timezone.now().isoformat(),
            "paths": paths,
            "urls": [frontend_url(path) for path in paths],
        }

    def flush(self) -> None:
        self.flushed = True
        if self.visibility_changed:
            # Also after the commit: a Visibility computed from the old rows between the
            # change and the commit must not outlive it.
            visibility.forget()
        if self.pages:
            try:
                change_feed.write(self.pages.values())
            except Exception:  # the feed must not keep caches and webhooks from hearing of it
                logger.exception("Change feed: could not record %s", sorted(self.events))
        # Settled: once this returns, every process serves the change (core.api_cache.Leases).
        api_cache.bump(api_cache.CONTENT, settle=True)
        if get_backends() and (self.paths or self.api_paths):
            purge_urls_from_cache(
                [frontend_url(path) for path in sorted(self.paths)]
                + [f"{settings.WAGTAILAPI_BASE_URL}{path}" for path in sorted(self.api_paths)]
            )
        if self.paths:
            content_changed.send(sender=Changes, payload=self.payload())


def _pending(connection) -> Changes:
    """This transaction's Changes: reused while its commit callback is still pending.

    A rolled-back (savepoint of a) transaction drops the callback, and with it the changes
    made inside it; the next change then starts afresh. So does a change after the callback has
    run but is still listed (Django's captureOnCommitCallbacks in tests leaves it there).
    """
    changes = getattr(_local, "changes", None)
    if (
        changes is None
        or changes.flushed
        or not any(
            callback == changes.flush for _savepoints, callback, _robust in connection.run_on_commit
        )
    ):
        changes = Changes()
        _local.changes = changes
        # Robust: a purge or webhook that cannot be queued must not undo an editor's publish.
        transaction.on_commit(changes.flush, robust=True)
    return changes


def record(
    event: str,
    paths: Iterable[str] = (),
    api_paths: Iterable[str] = (),
    *,
    visibility_changed: bool = False,
    pages: Iterable[change_feed.Touched] = (),
) -> None:
    """`pages`: the pages whose change readers may see (core.changes.touched, .subtree), for
    the change feed."""
    if event not in EVENTS:
        raise ValueError(f"Unknown change event {event!r}: add it to core.revalidation.EVENTS")
    api_cache.bump(api_cache.CONTENT)
    connection = transaction.get_connection()
    changes = _pending(connection) if connection.in_atomic_block else Changes()
    changes.events.add(event)
    changes.paths.update(path for path in paths if path)
    changes.api_paths.update(api_paths)
    changes.visibility_changed |= visibility_changed
    for page in pages:
        changes.pages[page.page_id] = page.merged(changes.pages.get(page.page_id))
    if not connection.in_atomic_block:
        changes.flush()


# ---- which paths a change touches -----------------------------------------------------------


def listing_api_paths() -> set[str]:
    """The API URLs of the feeds and the sitemap, which list every public page."""
    paths = {"/api/v2/sitemap.xml"}
    for language in LANGUAGES:
        paths.update({f"/api/v2/feeds/{language}/rss/", f"/api/v2/feeds/{language}/atom/"})
    return paths


def page_api_paths(page_id: int, path: str | None) -> set[str]:
    paths = {f"/api/v2/pages/{page_id}/"}
    if path:
        paths.add(f"/api/v2/pages/find/?html_path={quote(path)}")
    return paths


def page_family(
    pages: Iterable[Page], with_descendants: bool = False, restricted_too: bool = False
) -> tuple[set, set]:
    """Frontend and API paths of `pages`, their ancestors up to the home page (the week, the
    archive, the home page: they list or link them) and, if asked, their descendants — each in
    every language it is live in. Four queries, however many pages.

    Only paths a reader may see leave here: the changed pages themselves (a reader may have
    seen them until now, unless they lay under a view restriction), and their family's
    versions that are visible now. `restricted_too` is for a view restriction's own change,
    whose pages readers could see on one side of it."""
    pages = [page for page in pages if page is not None]
    if not pages:
        return set(), set()
    keys = {page.translation_key for page in pages}
    ancestor_paths = {
        page.path[: STEP * depth] for page in pages for depth in range(HOME_DEPTH, page.depth)
    }
    wanted = Q(path__in=ancestor_paths)
    if with_descendants:
        for page in pages:
            wanted |= Q(path__startswith=page.path, depth__gt=page.depth)
    keys.update(Page.objects.filter(wanted).values_list("translation_key", flat=True))

    restricted = (
        ()
        if restricted_too
        else tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
    )
    versions = {
        (page.id, page.url_path, page.locale.language_code)
        for page in pages
        if page.url_path and not page.path.startswith(restricted or ("\0",))
    }
    visible = Page.objects.live().filter(visibility.not_expired())
    for path in restricted:
        visible = visible.exclude(path__startswith=path)
    versions.update(
        visible.filter(translation_key__in=keys).values_list(
            "id", "url_path", "locale__language_code"
        )
    )
    paths, api_paths = set(), listing_api_paths()
    for page_id, url_path, language in versions:
        path = frontend_path(url_path, language)
        paths.add(path)
        api_paths |= page_api_paths(page_id, path)
    paths.discard(None)
    return paths, api_paths


def article_family(articles) -> tuple[set, set]:
    return page_family(articles.select_related("locale"))


def report_expiries() -> None:
    """Pages the change feed last reported as visible that have reached their `expire_at`:
    readers stopped seeing them then, whether or not publish_scheduled has run, so they are
    announced as an unpublication would be (its own unpublishing then finds nothing left to
    report). Asked by the change feed before it answers: one query when nothing expired."""
    due = change_feed.expired_since_reported()
    if due:
        # Into the feed at once, so the answer that noticed them already holds them; caches and
        # webhooks hear of it as of any change.
        change_feed.write(due)
        pages = Page.objects.filter(id__in=[page.page_id for page in due]).select_related("locale")
        record("page_expired", *page_family(pages))
