"""Wagtail's own models changing: what readers see (core.visibility) and the caches, CDN and
webhooks that must hear of it (core.revalidation); and every model's text, cleaned of control
characters before it is stored (core.text). Each app's own models have their other receivers in
that app's signal_handlers; connected in CoreConfig.ready()."""

from urllib.parse import quote

from django.core.signals import request_started
from django.db import connections, models
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django_tasks.signals import task_finished
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
)
from wagtail.signals import page_published, page_unpublished, post_page_move

from core import api_cache, changes, paths, text, visibility, webhooks
from core.models import ChangeFeed
from core.paths import frontend_path
from core.revalidation import content_changed, page_family, record

# Tasks that rewrite the search index: search results change when they finish, not when the
# page was saved.
SEARCH_INDEX_TASKS = ("search.tasks.", "modelsearch.tasks.")


# ---- stored text ------------------------------------------------------------------------------


@receiver(pre_save)
def clean_stored_text(sender, instance, raw=False, **kwargs):
    """Every text of every model, whoever saves it (admin forms, the API, wagtail-localize's
    translation editor and PO imports, commands, fixtures), is stored without control
    characters: a CharField as one line, a TextField, JSONField or StreamField with its LFs."""
    for field in sender._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if value is None:
            continue
        if isinstance(field, StreamField):
            data = value.get_prep_value()
            cleaned = text.clean_data(data)
            if cleaned != data:
                setattr(instance, field.attname, cleaned)
        elif isinstance(value, str) and isinstance(field, models.CharField | models.TextField):
            single_line = isinstance(field, models.CharField)
            setattr(instance, field.attname, text.clean(value, single_line=single_line))
        elif isinstance(field, models.JSONField):
            setattr(instance, field.attname, text.clean_data(value))


# ---- what readers may see ---------------------------------------------------------------------


@receiver(request_started)
def forget_site_roots_per_request(**kwargs):
    # Each request starts from Wagtail's cached site roots, not a thread's copy of an old one.
    paths.forget_site_roots()


@receiver([post_save, post_delete], sender=PageViewRestriction)
@receiver([post_save, post_delete], sender=CollectionViewRestriction)
@receiver([post_save, post_delete], sender=Collection)
@receiver([post_save, post_delete], sender=Site)
@receiver(post_page_move)
def restrictions_sites_or_paths_changed(**kwargs):
    visibility.forget()


@receiver(post_save)
def site_root_translated(sender, instance, created, **kwargs):
    # A new translation of a site root adds a locale root to every site's Visibility.
    if created and isinstance(instance, Page) and instance.depth == 2:
        visibility.forget()


# ---- pages ----------------------------------------------------------------------------------


@receiver(page_published)
def page_was_published(sender, instance, **kwargs):
    record(
        "page_published", *page_family([instance]), pages=changes.touched([instance], edited=True)
    )


@receiver(page_unpublished)
def page_was_unpublished(sender, instance, **kwargs):
    record("page_unpublished", *page_family([instance]), pages=changes.touched([instance]))


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
    record("page_moved", paths, api_paths, visibility_changed=True, pages=changes.subtree(instance))


@receiver(pre_delete, sender=Page)
def page_will_be_deleted(sender, instance, **kwargs):
    # Before the rows go, while the page's translations, parents and paths can still be read.
    # Deleting a subtree sends this for each of its pages.
    if instance.live:
        deleted = changes.touched([instance], deleted=True)
        record("page_deleted", *page_family([instance]), pages=deleted)


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
    family = page_family([page], with_descendants=True, restricted_too=True)
    record(event, *family, visibility_changed=True, pages=changes.subtree(page))


# ---- the rest of what the API shows -----------------------------------------------------------


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
    record(
        "collection_changed",
        api_paths=["/api/v2/images/", "/api/v2/documents/"],
        visibility_changed=True,
    )


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def site_changed(sender, instance, **kwargs):
    record("site_changed", visibility_changed=True)


@receiver(task_finished)
def search_index_updated(sender, task_result, **kwargs):
    if task_result.task.module_path.startswith(SEARCH_INDEX_TASKS):
        api_cache.bump(api_cache.SEARCH, settle=True)


# ---- the change feed remembers what readers see once it is installed ----------------------------


def seed_change_feed(sender, using="default", **kwargs):
    # Connected for core's post_migrate in CoreConfig.ready(): after every app has migrated
    # (or been migrated back: then there may be no table to seed).
    if ChangeFeed._meta.db_table in connections[using].introspection.table_names():
        changes.seed()


# ---- the outbound webhooks hear of every committed change readers can see ---------------------


@receiver(content_changed)
def notify_webhooks(sender, payload, **kwargs):
    webhooks.notify(payload)
