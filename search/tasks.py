"""Background work of the search app (django-tasks; run by `manage.py db_worker`)."""

from django_tasks import task


@task()
def update_search_index(page_ids: list[int], with_descendants: bool = False) -> None:
    """Bring these pages' search entries (and, if asked, their subtrees') up to date."""
    from search import indexing

    if with_descendants:
        for page_id in page_ids:
            indexing.update_subtree(page_id)
    else:
        indexing.update_pages(page_ids)
