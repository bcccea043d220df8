"""Keeps denormalized copies in step when pages move, renditions ready for the API, and the
caches, CDN, webhooks and the change feed told when a topic, author or image that articles
show changes (the feed reports the articles showing it as updated: a static build needs their
paths)."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from wagtail.contrib.frontend_cache.utils import get_backends
from wagtail.models import Collection, CollectionViewRestriction, Page, ReferenceIndex
from wagtail.signals import page_published, post_page_move

from core import changes
from core.languages import LANGUAGES, SOURCE_LANGUAGE
from core.revalidation import page_family, record
from digest import shared_facts
from digest.api import renditions
from digest.desk import notifications
from digest.models import ArticlePage, Author, CreditedImage, ReportPage, Topic
from digest.tasks import generate_api_renditions


@receiver(post_page_move)
def keep_article_week_in_step(sender, instance, parent_page_after, **kwargs):
    if not issubclass(sender, ArticlePage):
        return
    new_report = parent_page_after.specific_deferred
    if isinstance(new_report, ReportPage):
        ArticlePage.objects.filter(pk=instance.pk).update(week_start=new_report.week_start)


@receiver(page_published, sender=ArticlePage)
def spread_english_facts(sender, instance, **kwargs):
    if instance.locale.language_code == SOURCE_LANGUAGE:
        shared_facts.spread_from(instance)


@receiver(page_published, sender=ReportPage)
@receiver(page_published, sender=ArticlePage)
def tell_translators(sender, instance, **kwargs):
    kind = notifications.on_english_published(instance)
    if kind is not None:
        page_id = instance.pk
        transaction.on_commit(lambda: notifications.notify_translators.enqueue(page_id, kind))


@receiver(post_save, sender=CreditedImage)
def prepare_api_renditions(sender, instance, **kwargs):
    image_id = instance.pk
    transaction.on_commit(lambda: generate_api_renditions.enqueue(image_id))


def article_family(articles) -> tuple[set, set]:
    return page_family(articles.select_related("locale"))


def articles_showing(lookup: str, snippet) -> list:
    """For the change feed: the articles labelled with this topic or author (`lookup`) in any
    language — a borrowed page (a Russian article in the BE/RU edition) shows the reader's
    language's version of it. None for a copy that awaits its translation: no reader sees it."""
    if snippet.awaiting_translation:
        return []
    articles = ArticlePage.objects.filter(**{f"{lookup}__translation_key": snippet.translation_key})
    return changes.touched(articles.distinct(), edited=True)


@receiver(post_save, sender=Topic)
@receiver(post_delete, sender=Topic)
def topic_changed(sender, instance, **kwargs):
    paths, api_paths = article_family(ArticlePage.objects.filter(topic_id=instance.pk))
    api_paths |= {"/api/v2/topics/", f"/api/v2/topics/{instance.pk}/"}
    api_paths |= {f"/api/v2/trends/?locale={language}" for language in LANGUAGES}
    record("topic_changed", paths, api_paths, pages=articles_showing("topic", instance))


@receiver(post_save, sender=Author)
@receiver(post_delete, sender=Author)
def author_changed(sender, instance, **kwargs):
    paths, api_paths = article_family(ArticlePage.objects.filter(authors__author_id=instance.pk))
    api_paths |= {"/api/v2/authors/", f"/api/v2/authors/{instance.pk}/"}
    shown_by = articles_showing("authors__author", instance)
    record("author_changed", paths, api_paths, pages=shown_by)


@receiver(pre_save, sender=CreditedImage)
def remember_rendition_urls(sender, instance, **kwargs):
    """The rendition URLs handed out before this save (a new file or focal point signs new
    ones): a CDN may hold them, so they are purged with the change."""
    if instance.pk and get_backends():
        before = CreditedImage.objects.filter(pk=instance.pk).first()
        instance._rendition_paths_before = renditions.cdn_paths(before)


@receiver(post_save, sender=CreditedImage)
@receiver(pre_delete, sender=CreditedImage)
def image_changed(sender, instance, **kwargs):
    """Credit, alt text, focal point, collection or file: every article showing the photo,
    including in its body (found through Wagtail's reference index). On deletion, before the
    articles' photo is emptied and the references are dropped."""
    in_bodies = ReferenceIndex.get_references_to(instance).filter(
        base_content_type=ContentType.objects.get_for_model(Page)
    )
    page_ids = {int(object_id) for object_id in in_bodies.values_list("object_id", flat=True)}
    pages = Page.objects.filter(Q(id__in=page_ids) | Q(articlepage__photo_id=instance.pk))
    paths, api_paths = page_family(pages.select_related("locale").distinct())
    api_paths |= {"/api/v2/images/", f"/api/v2/images/{instance.pk}/"}
    api_paths |= {
        *getattr(instance, "_rendition_paths_before", ()),
        *renditions.cdn_paths(instance),
    }
    record("image_changed", paths, api_paths, pages=changes.touched(pages.distinct(), edited=True))


@receiver(post_save, sender=Collection)
@receiver(post_save, sender=CollectionViewRestriction)
@receiver(post_delete, sender=CollectionViewRestriction)
def collection_privacy_changed(sender, instance, **kwargs):
    """Images under a collection whose privacy changed: a CDN may hold their renditions
    (immutable for a year), so they are purged; what the API shows is core's receiver's."""
    if not get_backends():
        return
    collection = instance if isinstance(instance, Collection) else instance.collection
    images = CreditedImage.objects.filter(collection__path__startswith=collection.path)
    paths = [path for image in images for path in renditions.cdn_paths(image)]
    if paths:
        record("collection_changed", api_paths=paths)
