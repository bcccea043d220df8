"""Answering a search over the index: ranked page ids, highlights, counts and facets.

Two engines with one interface:

* `PostgresEngine` — PostgreSQL with Wagtail's database backend: each language's
  text-search configuration (stemming), one pass over the matches for the total, both facets
  and the page of hits, then `ts_headline` snippets for that page. Ranking is `ts_rank` over
  the title and lead: matches there come first, by relevance; matches only in the body follow,
  newest first. (Ranking on the whole text would read every match's long vector back from
  TOAST: tens of milliseconds for a word found in thousands of articles.)
* `WagtailBackendEngine` — everything else: SQLite in development (FTS5, no stemming) or
  Elasticsearch/OpenSearch when WAGTAILSEARCH_BACKENDS names one; facets through the backend,
  highlights in Python (search.highlight).

Queries never see the reader's raw input: only its words (letters and digits) reach an
engine, so quotes, operators and wildcards are plain text that simply separates words.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q, TextField, Value
from django.db.models.functions import Concat, Left, Replace
from wagtail.search.backends import get_search_backend

from search import postgres
from search.highlight import highlight
from search.indexing import uses_postgres_index
from search.models import SearchEntry

SNIPPET_WORDS = 35
# The lead and the first paragraphs: where a snippet's match usually is (see headlines()).
FIRST_PASS_CHARACTERS = 1000
HIGHLIGHT = {"start_sel": "<mark>", "stop_sel": "</mark>"}


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...]
    language: str
    topic_id: int | None = None
    trend: str | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass
class Hit:
    page_id: int
    score: float
    title: str = ""
    snippet: str = ""


@dataclass
class Results:
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    topics: dict[int, int] = field(default_factory=dict)
    years: dict[int, int] = field(default_factory=dict)


def narrowed(entries, topic_id=None, date_from=None, date_to=None):
    if topic_id is not None:
        entries = entries.filter(topic_id=topic_id)
    if date_from:
        entries = entries.filter(week_start__gte=date_from)
    if date_to:
        entries = entries.filter(week_start__lte=date_to)
    return entries


def escaped(expression):
    """SQL that HTML-escapes a text column, so that ts_headline's <mark> is the only markup."""
    for character, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        expression = Replace(expression, Value(character), Value(entity), output_field=TextField())
    return expression


class PostgresEngine:
    def search(self, query: Query, entries, offset: int, limit: int) -> Results:
        config = postgres.configuration(query.language)
        tsquery = SearchQuery(query.text, config=config, search_type="plain")
        matched = entries.filter(vector=tsquery)
        if query.trend:
            matched = matched.filter(trend=query.trend)
        results = Results()
        hits = []
        for part, key, year, in_dates, in_topic, in_both, rank, week_start in self._scan(
            matched, tsquery, query, offset, limit
        ):
            if part == "facets":
                # Counts of one (topic, year) group: within the dates, of the topic, of both.
                results.total += in_both
                if key is not None and in_dates:
                    results.topics[key] = results.topics.get(key, 0) + in_dates
                if year is not None and in_topic:
                    results.years[year] = results.years.get(year, 0) + in_topic
            else:
                hits.append((-rank, -(week_start.toordinal() if week_start else 0), key))
        results.hits = [Hit(page_id, -negated_rank) for negated_rank, _, page_id in sorted(hits)]
        for hit, (title, snippet) in zip(
            results.hits, self.headlines(results.hits, tsquery, config), strict=True
        ):
            hit.title, hit.snippet = title, snippet
        return results

    @staticmethod
    def _scan(matched, tsquery, query: Query, offset: int, limit: int) -> list[tuple]:
        """Facet counts and one page of ranked hits from a single pass over the matches.

        Each facet ignores its own filter, so a reader who picked a topic still sees how many
        hits the other topics have. The visibility subquery and the index scan run once.
        """
        dates = Q()
        if query.date_from:
            dates &= Q(week_start__gte=query.date_from)
        if query.date_to:
            dates &= Q(week_start__lte=query.date_to)

        def condition(q: Q):
            return ExpressionWrapper(q, output_field=BooleanField()) if q else Value(True)

        topic = Q(topic_id=query.topic_id) if query.topic_id is not None else Q()
        rows = matched.annotate(
            rank=SearchRank(F("head_vector"), tsquery),
            in_topic=condition(topic),
            in_dates=condition(dates),
        ).values("page_id", "topic_id", "year", "week_start", "rank", "in_topic", "in_dates")
        sql, params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH matched AS MATERIALIZED ({sql})
                SELECT 'facets', topic_id, year,
                       count(*) FILTER (WHERE in_dates),
                       count(*) FILTER (WHERE in_topic),
                       count(*) FILTER (WHERE in_topic AND in_dates),
                       NULL::real, NULL::date
                FROM matched GROUP BY topic_id, year
                UNION ALL
                (SELECT 'hit', page_id, NULL, NULL, NULL, NULL, rank, week_start
                 FROM matched WHERE in_topic AND in_dates
                 ORDER BY rank DESC, week_start DESC NULLS LAST, page_id
                 LIMIT %s OFFSET %s)
                """,
                [*params, limit, offset],
            )
            return cursor.fetchall()

    @staticmethod
    def headlines(hits: list[Hit], tsquery, config: str) -> list[tuple[str, str]]:
        """(title, snippet) of each hit, as HTML with the matched words in <mark>.

        ts_headline parses the whole text it is given, so it first gets the lead and the start
        of the body, where most matches are; only snippets still without a match are made
        again from the whole text.
        """

        def marked(page_ids, text):
            return {
                page_id: (title, snippet)
                for page_id, title, snippet in SearchEntry.objects.filter(
                    page_id__in=page_ids
                ).values_list(
                    "page_id",
                    SearchHeadline(
                        escaped(F("title")), tsquery, config=config, highlight_all=True, **HIGHLIGHT
                    ),
                    SearchHeadline(
                        escaped(text),
                        tsquery,
                        config=config,
                        max_words=SNIPPET_WORDS,
                        min_words=15,
                        max_fragments=2,
                        fragment_delimiter=" … ",
                        **HIGHLIGHT,
                    ),
                )
            }

        if not hits:
            return []
        whole = Concat(F("lead"), Value(" "), F("body"), output_field=TextField())
        found = marked([hit.page_id for hit in hits], Left(whole, FIRST_PASS_CHARACTERS))
        unmarked = [
            page_id for page_id, (_title, snippet) in found.items() if "<mark>" not in snippet
        ]
        if unmarked:
            found.update(marked(unmarked, whole))
        return [found[hit.page_id] for hit in hits]

    def suggest(self, words, language: str, entries, limit: int) -> list[int]:
        """Entries whose title has words starting with each of `words` (stemmed alike)."""
        # Each word is letters and digits only (see search.api), so quoting it is enough.
        prefixes = " & ".join(f"'{word}':*A" for word in words)
        tsquery = SearchQuery(prefixes, config=postgres.configuration(language), search_type="raw")
        # On the small title-and-lead vector: checking the title weight on the long one would
        # read it back from TOAST for every title word starting with a short prefix.
        return list(
            entries.filter(head_vector=tsquery)
            .annotate(rank=SearchRank(F("head_vector"), tsquery))
            .order_by("-rank", F("week_start").desc(nulls_last=True), "page_id")
            .values_list("page_id", flat=True)[:limit]
        )


class WagtailBackendEngine:
    def search(self, query: Query, entries, offset: int, limit: int) -> Results:
        backend = get_search_backend()
        if query.trend:
            entries = entries.filter(trend=query.trend)

        def run(queryset):
            return backend.search(query.text, queryset, operator="and")

        found = run(narrowed(entries, query.topic_id, query.date_from, query.date_to))
        found = found.annotate_score("_score")
        results = Results(total=found.count())
        # Each facet ignores its own filter, as in PostgresEngine.
        topics = run(narrowed(entries, None, query.date_from, query.date_to)).facet("topic_id")
        results.topics = {topic_id: hits for topic_id, hits in topics.items() if topic_id}
        years = run(narrowed(entries, query.topic_id)).facet("year")
        results.years = {year: hits for year, hits in years.items() if year is not None}
        if not results.total or limit == 0:
            return results
        for entry in found[offset : offset + limit]:
            # SQLite's bm25 is lower for better matches; the API's score is higher for better.
            score = getattr(entry, "_score", None) or 0.0
            results.hits.append(
                Hit(
                    entry.page_id,
                    -score if score < 0 else score,
                    highlight(entry.title, query.words),
                    highlight(f"{entry.lead} {entry.body}".strip(), query.words, SNIPPET_WORDS),
                )
            )
        return results

    def suggest(self, words, language: str, entries, limit: int) -> list[int]:
        found = get_search_backend().autocomplete(" ".join(words), entries, operator="and")
        return [entry.page_id for entry in found[:limit]]


def engine():
    return PostgresEngine() if uses_postgres_index() else WagtailBackendEngine()
