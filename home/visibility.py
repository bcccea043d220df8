"""What an anonymous reader may see: the one definition every public output uses.

Live pages of the site (all its locales), minus every page under a view restriction of any
kind — the API, feeds, sitemap, search and e-mail never show a private page, whoever asks,
so their responses can be cached and shared safely.

Which site a host belongs to and which subtrees are restricted change rarely but are needed on
every request, so both are kept in the cache and dropped when sites or restrictions change.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
)
from wagtail.signals import post_page_move

from home import paths

CACHE_KEY = "visibility:{host}:{port}"
VERSION_KEY = "visibility:version"


@dataclass(frozen=True)
class Visibility:
    """A site's roots (one per locale) and the restricted subtrees, as tree paths."""

    site_id: int | None
    root_paths: tuple[str, ...]
    restricted_paths: tuple[str, ...]

    def pages(self, model=Page):
        """Live, unrestricted pages of `model` under the site's roots."""
        if not self.root_paths:
            return model.objects.none()
        inside_site = Q()
        for path in self.root_paths:
            inside_site |= Q(path__startswith=path)
        queryset = model.objects.live().filter(inside_site)
        for path in self.restricted_paths:
            queryset = queryset.exclude(path__startswith=path)
        return queryset


def _version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, timeout=None) or 1


def forget() -> None:
    """Drop every cached Visibility (sites, roots or restrictions changed)."""
    paths.forget_site_roots()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def compute(site: Site | None) -> Visibility:
    if site is None:
        return Visibility(None, (), ())
    roots = tuple(page.path for page in site.root_page.get_translations(inclusive=True))
    restricted = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
    return Visibility(site.id, roots, restricted)


def for_request(request) -> Visibility:
    host, port = request.get_host().split(":")[0].lower(), request.get_port()
    key = f"{CACHE_KEY.format(host=host, port=port)}:{_version()}"
    visibility = cache.get(key)
    if visibility is None:
        visibility = compute(Site.find_for_request(request))
        cache.set(key, visibility, timeout=None)
    return visibility


def for_site(site: Site | None) -> Visibility:
    return compute(site)


def public_pages(site: Site | None, model=Page):
    return compute(site).pages(model)


def public_collections():
    """Collections with no view restriction on themselves or any ancestor."""
    restricted = list(
        Collection.objects.filter(
            pk__in=CollectionViewRestriction.objects.values("collection")
        ).values_list("path", flat=True)
    )
    queryset = Collection.objects.all()
    for path in restricted:
        queryset = queryset.exclude(path__startswith=path)
    return queryset


@receiver([post_save, post_delete], sender=PageViewRestriction)
@receiver([post_save, post_delete], sender=Site)
@receiver(post_page_move)
def _restrictions_sites_or_paths_changed(**kwargs):
    forget()


@receiver(post_save)
def _site_root_translated(sender, instance, created, **kwargs):
    # A new translation of a site root adds a locale root to every site's Visibility.
    if created and isinstance(instance, Page) and instance.depth == 2:
        forget()
