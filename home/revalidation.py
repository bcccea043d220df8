"""What changed, and who must hear of it: the API cache, the CDN and the frontends.

Every change that alters what the API shows — a page published, unpublished, moved or deleted
(translations are pages too), a view restriction added or removed, a Topic, Author or image
edited, a redirect, document, collection or site changed — is recorded here:

1. At once, the API cache's content generation is bumped (cms.api_cache), so the next request
   renders afresh: the page, its week, the listings, the other languages' `meta.translations`,
   feeds, the sitemap, search.
2. When the transaction commits, it is bumped again — a request that rendered the old rows
   between the first bump and the commit must not stay cached — and the changed URLs are
   purged from the CDN (wagtail.contrib.frontend_cache, when configured) and sent to the
   webhooks (home.webhooks): the frontend paths of the changed pages in every language, of
   their week, the archive and the home pages.

Changes made in one transaction (publishing a week: a report and five articles in one go) go
out as one purge and one webhook per endpoint.
"""

import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone
from django_tasks.signals import task_finished
from wagtail.contrib.frontend_cache.utils import get_backends, purge_urls_from_cache
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    ReferenceIndex,
    Site,
)
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms import api_cache
from digest.models import ArticlePage, Author, Topic
from home import visibility, webhooks
from home.paths import frontend_path, frontend_url

LANGUAGES = tuple(code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES)
# Tasks that rewrite the search index: search results change when they finish, not when the
# page was saved.
SEARCH_INDEX_TASKS = ("search.tasks.", "modelsearch.tasks.")
# Depth of the pages under the tree's root: a locale's home page is at depth 2.
HOME_DEPTH = 2
STEP = Page.steplen

_local = threading.local()


# ---- one transaction's changes --------------------------------------------------------------


@dataclass
class Changes:
    events: set[str] = field(default_factory=set)
    paths: set[str] = field(default_factory=set)
    api_paths: set[str] = field(default_factory=set)
    visibility_changed: bool = False
    flushed: bool = False

    def payload(self) -> dict:
        events = sorted(self.events)
        paths = sorted(self.paths)
        return {
            "id": str(uuid.uuid4()),
            "event": events[0] if len(events) == 1 else "content_changed",
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
        # Settled: once this returns, every process serves the change (cms.api_cache.Leases).
        api_cache.bump(api_cache.CONTENT, settle=True)
        if get_backends() and (self.paths or self.api_paths):
            purge_urls_from_cache(
                [frontend_url(path) for path in sorted(self.paths)]
                + [f"{settings.WAGTAILAPI_BASE_URL}{path}" for path in sorted(self.api_paths)]
            )
        if self.paths:
            webhooks.notify(self.payload())


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
) -> None:
    api_cache.bump(api_cache.CONTENT)
    connection = transaction.get_connection()
    changes = _pending(connection) if connection.in_atomic_block else Changes()
    changes.events.add(event)
    changes.paths.update(path for path in paths if path)
    changes.api_paths.update(api_paths)
    changes.visibility_changed |= visibility_changed
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


def page_family(pages: Iterable[Page], with_descendants: bool = False) -> tuple[set, set]:
    """Frontend and API paths of `pages`, their ancestors up to the home page (the week, the
    archive, the home page: they list or link them) and, if asked, their descendants — each in
    every language it is live in. Three queries, however many pages."""
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

    versions = {
        (page.id, page.url_path, page.locale.language_code) for page in pages if page.url_path
    }
    versions.update(
        Page.objects.filter(translation_key__in=keys, live=True).values_list(
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


# ---- pages ----------------------------------------------------------------------------------


@receiver(page_published)
def page_was_published(sender, instance, **kwargs):
    record("page_published", *page_family([instance]))


@receiver(page_unpublished)
def page_was_unpublished(sender, instance, **kwargs):
    record("page_unpublished", *page_family([instance]))


@receiver(post_page_move)
def page_was_moved(sender, instance, parent_page_before, url_path_before, **kwargs):
    paths, api_paths = page_family(
        [instance, parent_page_before, kwargs["parent_page_after"]], with_descendants=True
    )
    # Where the page and its subtree used to be: the same tree with the old URL prefix.
    language = instance.locale.language_code
    old_url_paths = Page.objects.filter(path__startswith=instance.path).values_list(
        "url_path", flat=True
    )
    for url_path in old_url_paths:
        old = url_path_before + url_path.removeprefix(instance.url_path)
        paths.add(frontend_path(old, language))
    record("page_moved", paths, api_paths, visibility_changed=True)


@receiver(pre_delete, sender=Page)
def page_will_be_deleted(sender, instance, **kwargs):
    # Before the rows go, while the page's translations, parents and paths can still be read.
    # Deleting a subtree sends this for each of its pages.
    if instance.live:
        record("page_deleted", *page_family([instance]))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def view_restriction_changed(sender, instance, created=False, **kwargs):
    event = (
        "view_restriction_removed"
        if kwargs["signal"] is post_delete
        else "view_restriction_added"
        if created
        else "view_restriction_changed"
    )
    page = Page.objects.select_related("locale").filter(pk=instance.page_id).first()
    record(event, *page_family([page], with_descendants=True), visibility_changed=True)


# ---- snippets, images and the rest of what the API shows --------------------------------------


@receiver(post_save, sender=Topic)
@receiver(post_delete, sender=Topic)
def topic_changed(sender, instance, **kwargs):
    paths, api_paths = article_family(ArticlePage.objects.filter(topic_id=instance.pk))
    api_paths |= {"/api/v2/topics/", f"/api/v2/topics/{instance.pk}/"}
    api_paths |= {f"/api/v2/trends/?locale={language}" for language in LANGUAGES}
    record("topic_changed", paths, api_paths)


@receiver(post_save, sender=Author)
@receiver(post_delete, sender=Author)
def author_changed(sender, instance, **kwargs):
    paths, api_paths = article_family(ArticlePage.objects.filter(authors__author_id=instance.pk))
    api_paths |= {"/api/v2/authors/", f"/api/v2/authors/{instance.pk}/"}
    record("author_changed", paths, api_paths)


@receiver(post_save, sender=get_image_model())
@receiver(pre_delete, sender=get_image_model())
def image_changed(sender, instance, **kwargs):
    """Credit, alt text, focal point or file: every article showing the photo, including in
    its body (found through Wagtail's reference index). On deletion, before the articles'
    photo is emptied and the references are dropped."""
    in_bodies = ReferenceIndex.get_references_to(instance).filter(
        base_content_type=ContentType.objects.get_for_model(Page)
    )
    page_ids = {int(object_id) for object_id in in_bodies.values_list("object_id", flat=True)}
    paths, api_paths = page_family(
        Page.objects.filter(Q(id__in=page_ids) | Q(articlepage__photo_id=instance.pk))
        .select_related("locale")
        .distinct()
    )
    api_paths |= {"/api/v2/images/", f"/api/v2/images/{instance.pk}/"}
    record("image_changed", paths, api_paths)


@receiver(post_save, sender=Redirect)
@receiver(post_delete, sender=Redirect)
def redirect_changed(sender, instance, **kwargs):
    record(
        "redirect_changed",
        [instance.old_path],
        [f"/api/v2/redirects/find/?html_path={quote(instance.old_path)}"],
    )


@receiver(post_save, sender=get_document_model())
@receiver(post_delete, sender=get_document_model())
def document_changed(sender, instance, **kwargs):
    record(
        "document_changed", api_paths=["/api/v2/documents/", f"/api/v2/documents/{instance.pk}/"]
    )


@receiver(post_save, sender=Collection)
@receiver(post_delete, sender=Collection)
@receiver(post_save, sender=CollectionViewRestriction)
@receiver(post_delete, sender=CollectionViewRestriction)
def collection_changed(sender, instance, **kwargs):
    record("collection_changed", api_paths=["/api/v2/images/", "/api/v2/documents/"])


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def site_changed(sender, instance, **kwargs):
    record("site_changed", visibility_changed=True)


@receiver(task_finished)
def search_index_updated(sender, task_result, **kwargs):
    if task_result.task.module_path.startswith(SEARCH_INDEX_TASKS):
        api_cache.bump(api_cache.SEARCH, settle=True)
