"""The change feed (GET /api/v2/changes/): what readers could see change, page by page, for
frontends that build static files incrementally.

core.revalidation hands every committed transaction's changed pages here (`write()`, from its
commit-time flush, before the webhooks and before the API cache is settled), so each door that
changes content — publish, unpublish, move, delete, view restriction, schedule and expiry,
translation publish, Publish the week, a topic, author or image that pages show — is reported
by the same receivers that revalidate caches.

What is reported is decided by comparing what readers see, not by what editors did:
`PublicPath` remembers, per site, language and translation group, which page each edition's
readers get and at which frontend path (a language's own version, or the one the BE/RU edition
borrows, at its `/be/…` path: core.paths.edition_paths), as last reported. A change compares the
groups of its pages with what readers see now (core.visibility's rule) and writes one
`PageChange` per changed page:

- `created`: readers could not see the page before and can now (first publication, a
  restriction lifted, a move out of a restricted subtree);
- `updated`: visible before and after, and its content, its paths, or what it shows (a topic,
  author or image) changed;
- `unpublished`: visible before, not now (unpublished, restricted, expired, moved under a
  restriction); `deleted`: the same, and the page is gone.

So a draft saved, or a page published under a restricted week, changes nothing readers see and
is not reported; entries carry ids, paths and an action, never a title or any other content.
Each entry's `paths` are the page's translation group as readers find it after the change, in
every language (a build rebuilds them: their language switch changed too); `removed_paths` are
the group's paths readers could see before and cannot now (a build deletes them).

Entries are numbered in commit order: every writer locks the one `ChangeFeed` row first, so a
reader never sees a later cursor while an earlier one is still uncommitted. Entries older than
CHANGE_FEED_RETENTION_DAYS are pruned as new ones are written; a cursor from before that is
answered 410 (`full_rebuild`).
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from operator import itemgetter

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from wagtail.models import Locale, Page

from core import visibility
from core.languages import LANGUAGES, Edition
from core.models import ChangeFeed, PageChange, PublicPath
from core.paths import edition_paths, locate

logger = logging.getLogger(__name__)

FEED_ROW = 1
Action = PageChange.Action


@dataclass(frozen=True)
class Touched:
    """A page a change may have changed for readers, as known before the change's rows go."""

    page_id: int
    translation_key: object
    content_type_id: int
    locale_id: int
    # Its content may have changed: published, or a topic, author or image it shows changed.
    edited: bool = False
    deleted: bool = False

    def merged(self, other: "Touched | None") -> "Touched":
        if other is None:
            return self
        return replace(
            self, edited=self.edited or other.edited, deleted=self.deleted or other.deleted
        )


def touched(pages, *, edited: bool = False, deleted: bool = False) -> list[Touched]:
    """`pages` (Page instances, or a queryset of pages: one query) as Touched."""
    if hasattr(pages, "values_list"):
        rows = pages.values_list("id", "translation_key", "content_type_id", "locale_id")
    else:
        rows = [
            (page.pk, page.translation_key, page.content_type_id, page.locale_id)
            for page in pages
            if page is not None
        ]
    return [Touched(*row, edited=edited, deleted=deleted) for row in rows]


def subtree(page) -> list[Touched]:
    """`page` and every page under it (a move or a view restriction changes them all)."""
    if page is None:
        return []
    return touched(Page.objects.filter(path__startswith=page.path))


# ---- what readers see -----------------------------------------------------------------------

# (site id, translation key) → language → (page id, frontend path)
Placements = dict[tuple[int, object], dict[str, tuple[int, str]]]


def visible_pages():
    """Pages readers may see on any site (core.visibility's rule; each page's site is found
    from its path below)."""
    return visibility.for_every_site().pages()


def placements(keys=None) -> Placements:
    """Where each edition's readers find the pages of these translation groups (all of them
    when `keys` is None): each language's edition (with its default fallback, as the frontend
    serves it) gets its best visible version, at its own path or at the edition's path for a
    borrowed one. A handful of queries, however many groups."""
    visible = visible_pages()
    versions = visible if keys is None else visible.filter(translation_key__in=keys)
    rows = list(
        versions.values_list("id", "translation_key", "locale__language_code", "url_path", "path")
    )
    found: Placements = defaultdict(dict)
    for language in LANGUAGES:
        best = Edition.of(language).pick(rows, key=itemgetter(1), language=itemgetter(2))
        borrowed = [(row[0], row[4], row[3]) for row in best.values() if row[2] != language]
        placed = edition_paths(borrowed, language, visible)
        for page_id, key, own_language, url_path, _tree_path in best.values():
            located = locate(url_path, own_language)
            if located is None:  # outside every site
                continue
            site_id, own_path = located
            path = own_path if own_language == language else placed.get(page_id)
            if path:
                found[(site_id, key)][language] = (page_id, path)
    return found


def remembered(keys) -> Placements:
    found: Placements = defaultdict(dict)
    rows = PublicPath.objects.filter(translation_key__in=keys).values_list(
        "site_id", "translation_key", "language", "page_id", "path"
    )
    for site_id, key, language, page_id, path in rows:
        found[(site_id, key)][language] = (page_id, path)
    return found


def remember(keys, now: Placements) -> None:
    """`now` is what readers see of these translation groups (None: of every group)."""
    stored = PublicPath.objects.all()
    (stored if keys is None else stored.filter(translation_key__in=keys)).delete()
    PublicPath.objects.bulk_create(
        PublicPath(
            site_id=site_id, language=language, translation_key=key, page_id=page_id, path=path
        )
        for (site_id, key), languages in now.items()
        for language, (page_id, path) in languages.items()
    )


# ---- writing --------------------------------------------------------------------------------


def lock() -> ChangeFeed:
    """Take the feed's row for this transaction (an UPDATE: a row lock on PostgreSQL, the write
    lock on SQLite), so concurrent writers commit their entries one after the other."""
    if not ChangeFeed.objects.filter(pk=FEED_ROW).update(seeded=True):
        # A database migrated without core's post_migrate (or emptied): start from now.
        ChangeFeed.objects.get_or_create(pk=FEED_ROW, defaults={"seeded": True})
        remember(None, placements())
    return ChangeFeed.objects.get(pk=FEED_ROW)


def by_page(placed: Placements) -> dict[int, set]:
    pages = defaultdict(set)
    for (site_id, _key), languages in placed.items():
        for language, (page_id, path) in languages.items():
            pages[page_id].add((site_id, language, path))
    return pages


def action_of(change: Touched, before: set, after: set) -> str | None:
    if not before and not after:
        return None  # readers saw it neither before nor after: a draft, a private page
    if not after:
        return Action.DELETED if change.deleted else Action.UNPUBLISHED
    if not before:
        return Action.CREATED
    if change.edited or before != after:
        return Action.UPDATED
    return None


def entries_for(
    changes: dict[int, Touched], before: Placements, after: Placements, now
) -> list[PageChange]:
    before_pages, after_pages = by_page(before), by_page(after)
    locales = dict(
        Locale.objects.filter(id__in={change.locale_id for change in changes.values()}).values_list(
            "id", "language_code"
        )
    )
    entries = []
    for page_id, change in sorted(changes.items()):
        was, now_seen = before_pages.get(page_id, set()), after_pages.get(page_id, set())
        action = action_of(change, was, now_seen)
        if action is None:
            continue
        site_id = min(now_seen or was)[0]
        group = (site_id, change.translation_key)
        paths = {language: path for language, (_id, path) in after.get(group, {}).items()}
        removed = {path for _id, path in before.get(group, {}).values()} - set(paths.values())
        model = ContentType.objects.get_for_id(change.content_type_id).model_class()
        entries.append(
            PageChange(
                site_id=site_id,
                page_id=page_id,
                page_type=model._meta.label if model else "wagtailcore.Page",
                locale=locales.get(change.locale_id, ""),
                action=action,
                paths={language: paths.get(language) for language in LANGUAGES},
                removed_paths=sorted(removed),
                occurred_at=now,
            )
        )
    return entries


def write(changes: Iterable[Touched]) -> list[PageChange]:
    """Record what these pages' changes did for readers: one entry per page readers saw
    change (none for the others). Called once per committed transaction."""
    merged: dict[int, Touched] = {}
    for change in changes:
        merged[change.page_id] = change.merged(merged.get(change.page_id))
    if not merged:
        return []
    keys = {change.translation_key for change in merged.values()}
    now = timezone.now()
    with transaction.atomic():
        feed = lock()
        before, after = remembered(keys), placements(keys)
        entries = entries_for(merged, before, after, now)
        remember(keys, after)
        PageChange.objects.bulk_create(entries)
        prune(feed, now)
    return entries


def prune(feed: ChangeFeed, now: datetime.datetime) -> None:
    cutoff = now - datetime.timedelta(days=settings.CHANGE_FEED_RETENTION_DAYS)
    last_old = PageChange.objects.filter(occurred_at__lt=cutoff).aggregate(last=Max("id"))["last"]
    if last_old is not None:
        PageChange.objects.filter(id__lte=last_old).delete()
        ChangeFeed.objects.filter(pk=feed.pk).update(pruned_through=last_old)


def seed(**kwargs) -> None:
    """After `migrate`: remember what readers see now, once, so that the first change after
    the feed was installed is compared with the truth (connected in CoreConfig.ready())."""
    feed, _created = ChangeFeed.objects.get_or_create(pk=FEED_ROW)
    if feed.seeded:
        return
    with transaction.atomic():
        remember(None, placements())
        ChangeFeed.objects.filter(pk=FEED_ROW).update(seeded=True)


def expired_since_reported(now: datetime.datetime | None = None) -> list[Touched]:
    """Pages the feed last reported as visible that have reached their `expire_at` (readers
    stopped seeing them then, whether or not publish_scheduled has run). One query."""
    now = now or timezone.now()
    return touched(
        Page.objects.filter(id__in=PublicPath.objects.values("page_id"), live=True).exclude(
            visibility.not_expired(now)
        )
    )


# ---- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """The cursors a reader may continue from: `oldest` (entries up to it are pruned) to
    `latest` (the last entry written)."""

    oldest: int
    latest: int


def window() -> Window:
    oldest = ChangeFeed.objects.filter(pk=FEED_ROW).values_list("pruned_through", flat=True)
    oldest = oldest.first() or 0
    latest = PageChange.objects.aggregate(last=Max("id"))["last"] or oldest
    return Window(oldest, latest)


def since(site_id: int | None, cursor: int, limit: int) -> tuple[list[PageChange], bool]:
    """The site's entries after `cursor`, in order, and whether more follow."""
    if site_id is None:
        return [], False
    entries = list(
        PageChange.objects.filter(site_id=site_id, id__gt=cursor).order_by("id")[: limit + 1]
    )
    return entries[:limit], len(entries) > limit
