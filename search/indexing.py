"""Keeping the search index in step with the published pages.

`update_pages(ids)` is the one way rows change: each page is (re)indexed as it now is when it is
a live article or report outside every view restriction, and dropped otherwise. The signal
handlers call it (through a background task) on publish, unpublish, move, deletion and
view-restriction changes; `manage.py update_index` calls `rebuild()` for everything.

Which pages a reader may see is still decided at query time by core.visibility — the index
only keeps private and unpublished text out of it, so a missed signal can never leak a page.
"""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import F
from django.db.models.expressions import RawSQL
from wagtail.models import Page, PageViewRestriction
from wagtail.search.backends import get_search_backends

from digest.models import ArticlePage, ReportPage
from search import postgres, sqlite
from search.models import SearchEntry

INDEXED_MODELS = (ArticlePage, ReportPage)
CHUNK_SIZE = 500
DATABASE_SEARCH_BACKENDS = {"wagtail.search.backends.database", "modelsearch.backends.database"}
ENTRY_FIELDS = ("language", "title", "lead", "body", "topic", "trend", "week_start", "year")


def uses_postgres_index() -> bool:
    """True when queries run on the entries' tsvectors (the per-language configurations)."""
    default = settings.WAGTAILSEARCH_BACKENDS.get("default", {})
    backend = default.get("BACKEND", "wagtail.search.backends.database")
    return connection.vendor == "postgresql" and backend in DATABASE_SEARCH_BACKENDS


def uses_sqlite_index() -> bool:
    """True when queries run on our FTS5 table of analysed words (search.sqlite): SQLite with
    Wagtail's database backend configured, i.e. development and `make run`."""
    default = settings.WAGTAILSEARCH_BACKENDS.get("default", {})
    backend = default.get("BACKEND", "wagtail.search.backends.database")
    return connection.vendor == "sqlite" and backend in DATABASE_SEARCH_BACKENDS


def plain_text(values: Iterable[str]) -> str:
    return " ".join(" ".join(str(value).split()) for value in values if value)


def entry_for(page) -> SearchEntry:
    language = page.locale.language_code
    if isinstance(page, ArticlePage):
        lead = page.lead
        body = plain_text(page.body.stream_block.get_searchable_content(page.body))
        topic_id, trend = page.topic_id, page.trend
    else:
        lead, body, topic_id, trend = page.summary, "", None, ""
    return SearchEntry(
        page_id=page.id,
        language=language,
        title=page.title,
        lead=lead,
        body=body,
        topic_id=topic_id,
        trend=trend,
        week_start=page.week_start,
        year=page.week_start.year if page.week_start else None,
    )


def restricted_paths() -> tuple[str, ...]:
    return tuple(PageViewRestriction.objects.values_list("page__path", flat=True))


def _indexable_pages(page_ids) -> list:
    """The live articles and reports among `page_ids`, as their specific types."""
    models = {ContentType.objects.get_for_model(model).id: model for model in INDEXED_MODELS}
    by_model = {}
    for page_id, content_type_id in Page.objects.filter(id__in=page_ids, live=True).values_list(
        "id", "content_type_id"
    ):
        if content_type_id in models:
            by_model.setdefault(models[content_type_id], []).append(page_id)
    pages = []
    for model, ids in by_model.items():
        pages.extend(model.objects.filter(id__in=ids).select_related("locale"))
    return pages


@transaction.atomic
def update_pages(page_ids: Iterable[int], restricted: tuple[str, ...] | None = None) -> int:
    """Index or drop each page as it now is; returns how many are in the index afterwards."""
    page_ids = set(page_ids)
    if not page_ids:
        return 0
    restricted = restricted_paths() if restricted is None else restricted
    entries = [
        entry_for(page)
        for page in _indexable_pages(page_ids)
        if not any(page.path.startswith(path) for path in restricted)
    ]
    kept = {entry.page_id for entry in entries}
    # One by one, so that post_delete removes each from Wagtail's backend too.
    for gone in SearchEntry.objects.filter(page_id__in=page_ids - kept):
        gone.delete()
    existing = set(SearchEntry.objects.filter(page_id__in=kept).values_list("page_id", flat=True))
    SearchEntry.objects.bulk_update(
        [entry for entry in entries if entry.page_id in existing], ENTRY_FIELDS
    )
    SearchEntry.objects.bulk_create([entry for entry in entries if entry.page_id not in existing])
    if uses_postgres_index():
        write_vectors(kept)
    elif uses_sqlite_index():
        sqlite.delete_pages(page_ids - kept)
        sqlite.write(entries)
    elif entries:
        fresh = list(SearchEntry.objects.filter(page_id__in=kept))
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(SearchEntry, fresh)
    return len(kept)


def write_vectors(page_ids) -> None:
    """Weighted tsvectors, each in its language's text-search configuration."""
    entries = SearchEntry.objects.filter(page_id__in=page_ids)
    for language in entries.values_list("language", flat=True).distinct():
        config = postgres.configuration(language)

        def text(name, language=language):
            if language in postgres.JOINED_LANGUAGES:
                return RawSQL(postgres.joined_sql(f'"search_searchentry"."{name}"'), ())
            return F(name)

        head = SearchVector(text("title"), config=config, weight="A") + SearchVector(
            text("lead"), config=config, weight="B"
        )
        entries.filter(language=language).update(
            head_vector=head,
            vector=head + SearchVector(text("body"), config=config, weight="C"),
        )


def update_subtree(root_id: int) -> int:
    root = Page.objects.filter(id=root_id).first()
    if root is None:
        return 0
    ids = list(Page.objects.descendant_of(root, inclusive=True).values_list("id", flat=True))
    restricted = restricted_paths()
    return sum(
        update_pages(ids[start : start + CHUNK_SIZE], restricted)
        for start in range(0, len(ids), CHUNK_SIZE)
    )


def rebuild(progress: Callable[[int, int], None] = lambda done, total: None) -> int:
    """Re-index every article and report; drop entries of pages that are gone."""
    if connection.vendor == "postgresql":
        postgres.ensure_configurations(connection, refresh=True)
    ids = list(Page.objects.type(*INDEXED_MODELS).order_by("path").values_list("id", flat=True))
    stale = SearchEntry.objects.exclude(page_id__in=Page.objects.type(*INDEXED_MODELS))
    for entry in stale:
        entry.delete()
    if uses_sqlite_index():
        sqlite.create_table(connection)
        sqlite.delete_stale()
    restricted = restricted_paths()
    indexed = 0
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start : start + CHUNK_SIZE]
        indexed += update_pages(chunk, restricted)
        progress(start + len(chunk), len(ids))
    return indexed
