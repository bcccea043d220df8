"""The search index follows the pages: publish, unpublish, move, delete, view restrictions.

Updates are queued once the change is committed (wagtail-localize, for one, publishes
translations on commit) and run by the task worker, like Wagtail's own index updates.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished, post_page_move

from digest.models import ReportPage
from search.indexing import uses_postgres_index
from search.models import SearchEntry
from search.tasks import update_search_index


def queue_update(page_ids: list[int], with_descendants: bool = False) -> None:
    transaction.on_commit(
        lambda: update_search_index.enqueue(page_ids, with_descendants=with_descendants)
    )


@receiver(page_published)
def page_was_published(sender, instance, **kwargs):
    if isinstance(instance, ReportPage):
        # Publishing a week may move its date, which its articles carry too.
        queue_update([instance.id], with_descendants=True)
    else:
        queue_update([instance.id])


@receiver(page_unpublished)
def page_was_unpublished(sender, instance, **kwargs):
    queue_update([instance.id])


@receiver(post_page_move)
def page_was_moved(sender, instance, **kwargs):
    queue_update([instance.id], with_descendants=True)


@receiver([post_save, post_delete], sender=PageViewRestriction)
def view_restriction_changed(sender, instance, **kwargs):
    queue_update([instance.page_id], with_descendants=True)


@receiver(post_delete, sender=SearchEntry)
def entry_was_deleted(sender, instance, **kwargs):
    # Entries also go when their page is deleted (the foreign key cascades). Wagtail's backend
    # holds a copy of each entry when it is the one answering queries (SQLite, Elasticsearch).
    if not uses_postgres_index():
        index.remove_object(instance)
