"""What a reader may see: the one rule every reader-facing door asks.

A page is visible on a site when it is live, has not expired (at `expire_at` itself, not at the
next `publish_scheduled` run), lies in one of the site's locale trees, and neither it nor an
ancestor carries a view restriction of any kind. Media are visible only from collections with no
view restriction on themselves or an ancestor; a snippet (topic, author) only while a visible
page uses it or one of its translations, and never as a translated copy that still awaits its
translation. The API, feeds, sitemap, search, redirects, webhooks and the e-mail digest never
show anything else, whoever asks, so their answers can be cached and shared safely.

Which site a host belongs to, which subtrees and collections are restricted change rarely but
are needed on every request, so they are kept in the cache and dropped (`forget()`) when sites,
restrictions or the tree change (core.signal_handlers). Expiry is a matter of time, not of a
change: `next_expiry()` tells the response cache until when an answer can stand.
"""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Min, Q
from django.utils import timezone
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
)

from core import paths

CACHE_KEY = "visibility:{host}:{port}"
VERSION_KEY = "visibility:version"


def not_expired(now: datetime.datetime | None = None) -> Q:
    return Q(expire_at__isnull=True) | Q(expire_at__gt=now or timezone.now())


@dataclass(frozen=True)
class Visibility:
    """A site's roots (one per locale), the restricted subtrees and the public collections."""

    site_id: int | None
    root_paths: tuple[str, ...]
    restricted_paths: tuple[str, ...]
    public_collection_ids: frozenset[int] = frozenset()

    def pages(self, model=Page):
        """Visible pages of `model`: live, unexpired, unrestricted, under the site's roots."""
        if not self.root_paths:
            return model.objects.none()
        inside_site = Q()
        for path in self.root_paths:
            inside_site |= Q(path__startswith=path)
        queryset = model.objects.live().filter(inside_site).filter(not_expired())
        for path in self.restricted_paths:
            queryset = queryset.exclude(path__startswith=path)
        return queryset

    def shows_page(self, page) -> bool:
        return page is not None and self.pages().filter(pk=page.pk).exists()

    def media(self, model):
        """Images or documents of `model` in public collections."""
        return model.objects.filter(collection_id__in=self.public_collection_ids)

    def shows_media(self, item) -> bool:
        return item is not None and item.collection_id in self.public_collection_ids

    def used_snippets(self, model, page_model, lookup: str):
        """Snippets of `model` that a visible `page_model` uses through `lookup` — directly or
        through a translation, since a borrowed (fallback) page is labelled with the reader's
        language's version of its topic and authors."""
        used = model.objects.filter(
            pk__in=self.pages(page_model).exclude(**{f"{lookup}__isnull": True}).values(lookup)
        ).values("translation_key")
        return translated_snippets(model).filter(translation_key__in=used)


def translated_snippets(model):
    """The versions of a snippet (topic, author) a reader may be shown: not a copy that still
    holds English where a text is untranslated (core.publishing.TranslatedSnippet)."""
    return model.objects.filter(awaiting_translation=False)


def _version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, timeout=None) or 1


def forget() -> None:
    """Drop every cached Visibility (sites, roots, restrictions or collections changed)."""
    paths.forget_site_roots()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def public_collection_ids() -> frozenset[int]:
    """Collections with no view restriction on themselves or any ancestor."""
    restricted = Collection.objects.filter(
        pk__in=CollectionViewRestriction.objects.values("collection")
    ).values_list("path", flat=True)
    queryset = Collection.objects.all()
    for path in restricted:
        queryset = queryset.exclude(path__startswith=path)
    return frozenset(queryset.values_list("pk", flat=True))


def _roots(site: Site) -> tuple[str, ...]:
    return tuple(page.path for page in site.root_page.get_translations(inclusive=True))


def _restricted_paths() -> tuple[str, ...]:
    return tuple(PageViewRestriction.objects.values_list("page__path", flat=True))


def compute(site: Site | None) -> Visibility:
    if site is None:
        return Visibility(None, (), (), public_collection_ids())
    return Visibility(site.id, _roots(site), _restricted_paths(), public_collection_ids())


def for_every_site() -> Visibility:
    """What the readers of any site see, read afresh (never cached): for the change feed, which
    compares before and after a change inside its transaction and tells each page's site by
    its path."""
    roots = tuple(
        path for site in Site.objects.select_related("root_page") for path in _roots(site)
    )
    return Visibility(None, roots, _restricted_paths(), public_collection_ids())


def _cached(key: str, site_finder) -> Visibility:
    key = f"{key}:{_version()}"
    visibility = cache.get(key)
    if visibility is None:
        visibility = compute(site_finder())
        cache.set(key, visibility, timeout=None)
    return visibility


def for_request(request) -> Visibility:
    host, port = request.get_host().split(":")[0].lower(), request.get_port()
    return _cached(CACHE_KEY.format(host=host, port=port), lambda: Site.find_for_request(request))


def for_default_site() -> Visibility:
    """What readers of the default site see: for doors with no request (the e-mail digest)."""
    return _cached(
        "visibility:default-site", lambda: Site.objects.filter(is_default_site=True).first()
    )


def next_expiry(now: datetime.datetime | None = None) -> datetime.datetime | None:
    """The next moment a live page expires: until then, what is visible cannot change by time."""
    now = now or timezone.now()
    return Page.objects.live().filter(expire_at__gt=now).aggregate(first=Min("expire_at"))["first"]
