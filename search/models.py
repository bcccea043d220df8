"""The search index: one row per published article or weekly report.

Kept by `search.indexing` (driven by page signals) rather than by Wagtail's own index, because
each language needs its own text-search configuration on PostgreSQL and the search page needs
topic, trend, week and year next to the text for filters and facets. On PostgreSQL the row also
holds the weighted `tsvector`; on SQLite the analysed words go to an FTS5 table (search.sqlite);
with Elasticsearch or OpenSearch the rows are handed to Wagtail's search backend.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index


class SearchEntry(index.Indexed, models.Model):
    page = models.OneToOneField(
        "wagtailcore.Page", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8)
    title = models.TextField(_("title"))
    # The article's lead or the week's summary, then the article's body, as plain text.
    lead = models.TextField(_("lead"), blank=True)
    body = models.TextField(_("body"), blank=True)
    topic = models.ForeignKey(
        "digest.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trend = models.CharField(_("trend"), max_length=16, blank=True)
    week_start = models.DateField(_("week starting"), null=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True)
    # PostgreSQL only, in the language's configuration: title (weight A), lead (B) and body (C)
    # for matching (GIN index); title and lead alone for ranking — small enough to stay in the
    # row, so ranking thousands of matches never reads the long vectors back from TOAST.
    vector = SearchVectorField(null=True, editable=False)
    head_vector = SearchVectorField(null=True, editable=False)

    # Entries are pushed to Wagtail's backend by search.indexing, and only when it is the
    # engine that answers queries (see search.engines) — not on every save.
    search_auto_update = False
    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("lead", boost=2),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.FilterField("page"),
        index.FilterField("language"),
        index.FilterField("topic"),
        index.FilterField("trend"),
        index.FilterField("week_start"),
        index.FilterField("year"),
    ]

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        indexes = [models.Index(fields=["language", "week_start"], name="search_entry_lang_week")]

    def __str__(self):
        return self.title

    @classmethod
    def get_indexed_objects(cls):
        # Wagtail's `update_index` fills its backend with entries only when that backend is
        # the one answering queries (Elasticsearch or OpenSearch).
        from search.indexing import uses_postgres_index, uses_sqlite_index

        if uses_postgres_index() or uses_sqlite_index():
            return cls.objects.none()
        return super().get_indexed_objects()
