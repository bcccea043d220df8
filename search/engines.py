"""Answering a search over the index: ranked page ids, highlights, counts and facets.

Two engines with one interface:

* `PostgresEngine` — PostgreSQL with Wagtail's database backend: each language's
  text-search configuration (stemming), one pass over the matches for the total, both facets
  and the page of hits, then `ts_headline` titles and snippets for that page only, each snippet
  from the part of the text where the index says it matches. Ranking is `ts_rank` over
  the title and lead: matches there come first, by relevance; matches only in the body follow,
  newest first. (Ranking on the whole text would read every match's long vector back from
  TOAST: tens of milliseconds for a word found in thousands of articles.)
* `SqliteEngine` — SQLite (development, `make run`): the FTS5 table of analysed words
  (search.sqlite, search.analysis: the same stemming per language as PostgreSQL), ranked by
  bm25 with the title and lead weighing most, newest first among equals; total and facets
  counted in Python over the matches, highlights in Python (search.highlight).
* `WagtailBackendEngine` — Elasticsearch/OpenSearch when WAGTAILSEARCH_BACKENDS names one;
  facets through the backend, highlights in Python.

Queries never see the reader's raw input: only its words (letters and digits) reach an
engine, so quotes, operators and wildcards are plain text that simply separates words.
"""

import datetime
import functools
import itertools
import re
from dataclasses import dataclass, field
from html import escape

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Q
from wagtail.search.backends import get_search_backend

from search import postgres, sqlite
from search.highlight import highlight
from search.indexing import uses_postgres_index, uses_sqlite_index
from search.models import SearchEntry

SNIPPET_WORDS = 35
SNIPPET_MIN_WORDS = 15
HIGHLIGHT = {"start_sel": "<mark>", "stop_sel": "</mark>"}
# ts_headline parses and stems all the text it is given (Belarusian, with Hunspell: about half a
# millisecond per 1,000 characters), so a snippet is made from at most this much text around
# the first match (see snippet_window()), and from the whole text only when that has no match.
FIRST_PASS_CHARACTERS = 1000
# A fragment of a snippet holds its match and at most SNIPPET_WORDS - 1 words more, at most
# half of them before it.
FRAGMENT_AFTER = SNIPPET_WORDS - 1
FRAGMENT_BEFORE = FRAGMENT_AFTER // 2
# Words are counted as `\w+` in the text but as tsvector positions in the index: a hyphenated
# word is three positions but two `\w+` words, a decimal number one position but two words.
WORD_COUNT_SLACK = 8
# Without a match, ts_headline shows the first SNIPPET_MIN_WORDS words; this many `\w+` words
# hold them (ts_headline counts no more words than `\w+` finds) with room to spare.
UNMATCHED_WORDS = SNIPPET_MIN_WORDS + 2 * WORD_COUNT_SLACK
WORD = re.compile(r"\w+")


def snippet_window(text: str, positions: list[int], one_lexeme: bool) -> str:
    """The part of `text` ("lead body") a snippet of its matches can come from.

    `positions` are the matched words' numbers in `text` (from the index's tsvector, so
    counted as PostgreSQL counts them), in order. ts_headline shows the first
    SNIPPET_MIN_WORDS words of a text without a match. Otherwise the window starts
    FRAGMENT_BEFORE words before the first match and holds at most FIRST_PASS_CHARACTERS; for
    a query of one lexeme, where ts_headline makes the snippet's two fragments from the first
    match and the first one outside that fragment, it ends FRAGMENT_AFTER words after the last
    match those two can hold.
    """
    words = WORD.finditer(text)
    starts = []

    def word_start(number: int, beyond: int) -> int:
        """Where the `number`-th word (from 1) starts; `beyond` if the text has no such word."""
        # Words are found as far as they are asked for: rarely beyond the first matches.
        missing = max(number - len(starts), 0)
        starts.extend(word.start() for word in itertools.islice(words, missing))
        return starts[number - 1] if 1 <= number <= len(starts) else beyond

    if not positions:
        return text[: min(word_start(UNMATCHED_WORDS + 1, len(text)), FIRST_PASS_CHARACTERS)]
    first = positions[0]
    start = word_start(first - FRAGMENT_BEFORE - WORD_COUNT_SLACK, 0)
    end = start + FIRST_PASS_CHARACTERS
    if one_lexeme:
        last = max(position for position in positions if position <= first + FRAGMENT_AFTER)
        later = [position for position in positions if position > first + FRAGMENT_AFTER]
        if later and word_start(later[0] - WORD_COUNT_SLACK, len(text)) < end:
            last = later[0]
        end = min(end, word_start(last + FRAGMENT_AFTER + WORD_COUNT_SLACK + 1, len(text)))
    return text[start:end]


def escaped_sql(expression: str) -> str:
    """SQL that HTML-escapes a text expression as html.escape(quote=False) does."""
    for character, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        expression = f"replace({expression}, '{character}', '{entity}')"
    return expression


@functools.cache
def headline_options(**options) -> str:
    """ts_headline's options, with <mark>, written as Django's SearchHeadline writes them."""
    names = {
        "start_sel": "StartSel",
        "stop_sel": "StopSel",
        "max_words": "MaxWords",
        "min_words": "MinWords",
        "highlight_all": "HighlightAll",
        "max_fragments": "MaxFragments",
        "fragment_delimiter": "FragmentDelimiter",
    }
    return ", ".join(
        connection.ops.compose_sql(f"{names[name]}=%s", [value])
        for name, value in {**HIGHLIGHT, **options}.items()
    )


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...]
    language: str
    # The topic filter: the topic's versions in every language (borrowed entries carry theirs).
    topic_ids: tuple[int, ...] = ()
    trend: str | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    # The edition's borrowed pages (core.languages): (page id, language) of pages in another
    # language of its chain that it shows because `language` has no version of them.
    borrowed: tuple[tuple[int, str], ...] = ()

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def borrowed_in(self) -> dict[str, list[int]]:
        """Borrowed page ids by language."""
        by_language: dict[str, list[int]] = {}
        for page_id, language in self.borrowed:
            by_language.setdefault(language, []).append(page_id)
        return by_language

    def language_of(self, page_id: int) -> str:
        return dict(self.borrowed).get(page_id, self.language)


@dataclass
class Hit:
    page_id: int
    score: float
    title: str = ""
    snippet: str = ""
    # The page's type when the engine knows it (saves search.api a query); None otherwise.
    content_type_id: int | None = None


@dataclass
class Results:
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    topics: dict[int, int] = field(default_factory=dict)
    years: dict[int, int] = field(default_factory=dict)


def narrowed(entries, topic_ids=(), date_from=None, date_to=None):
    if topic_ids:
        entries = entries.filter(topic_id__in=topic_ids)
    if date_from:
        entries = entries.filter(week_start__gte=date_from)
    if date_to:
        entries = entries.filter(week_start__lte=date_to)
    return entries


class PostgresEngine:
    def search(self, query: Query, public, offset: int, limit: int, hidden=None) -> Results:
        """`public`: the ids (`values("pk")`) of the pages the reader may see; `hidden`, when
        known (search.hidden), the indexed pages the reader may not see: then the matches are
        checked against that short list instead of the page tree."""
        results = Results()
        try:
            rows = self._scan(query, public, offset, limit, hidden)
        except EmptyResultSet:  # no page is public (e.g. an unknown site)
            return results
        page = []
        for row in rows:
            if row[0] == "facets":
                # Counts of one (topic, year) group: within the dates, of the topic, of both.
                _part, key, year, in_dates, in_topic, in_both = row[:6]
                results.total += in_both
                if key is not None and in_dates:
                    results.topics[key] = results.topics.get(key, 0) + in_dates
                if year is not None and in_topic:
                    results.years[year] = results.years.get(year, 0) + in_topic
            else:
                page.append((row[1], row[2], *row[6:]))
        # Ranked by rank, then newest first, as the scan chose them.
        page.sort(key=lambda hit: (-hit[2], -(hit[3].toordinal() if hit[3] else 0), hit[0]))
        for (page_id, content_type_id, rank, _week, _title, _text, _matched, _one), (
            title,
            snippet,
        ) in zip(page, self._headlines(query, page), strict=True):
            results.hits.append(Hit(page_id, rank, title, snippet, content_type_id))
        return results

    @staticmethod
    def _scan(query: Query, public, offset: int, limit: int, hidden=None) -> list[tuple]:
        """Facet counts and one page of ranked hits, in one statement.

        One pass over the matches gives the total, both facets and the page: each facet ignores
        its own filter, so a reader who picked a topic still sees how many hits the other topics
        have. The matches are ranked as the index finds them, so that only their ids, facets and
        rank (not their vectors) meet the visibility subquery. Only the page's rows then get
        their page type (to load them), texts and where these match (for the snippets): the
        positions of the query's lexemes in the lead and body (weights B, C), less the title's
        last position (weight A), are the matched words' numbers in "lead body".
        """
        config = postgres.configuration(query.language)
        if hidden is not None:
            public_sql, public_params = "", ()
        else:
            public_sql, public_params = public.order_by().query.sql_with_params()
        # Named parameters for this SQL; the visibility subquery's own were in order.
        values = {
            "config": config,
            "text": postgres.joined(query.text, query.language),
            "language": query.language,
            "trend": query.trend,
            "topics": list(query.topic_ids),
            "date_from": query.date_from,
            "date_to": query.date_to,
            "limit": limit,
            "offset": offset,
            "hidden": list(hidden or ()),
            **{f"public_{number}": value for number, value in enumerate(public_params)},
        }
        if hidden is not None:
            visible = "page_id <> ALL(%(hidden)s::integer[])"
        else:
            visible = "page_id IN ({})".format(
                public_sql.replace("%%", "%%%%")
                % tuple(f"%(public_{number})s" for number in range(len(public_params)))
            )
        dates = []
        if query.date_from:
            dates.append("week_start >= %(date_from)s")
        if query.date_to:
            dates.append("week_start <= %(date_to)s")
        tsquery = "plainto_tsquery(%(config)s::regconfig, %(text)s)"
        # The edition's own language, and each language it borrows pages from: every entry is
        # matched and ranked with its own language's configuration.
        matches = [f"(language = %(language)s AND vector @@ {tsquery})"]
        ranks = []
        for number, (language, page_ids) in enumerate(query.borrowed_in().items()):
            values[f"borrowed_language_{number}"] = language
            values[f"borrowed_config_{number}"] = postgres.configuration(language)
            values[f"borrowed_ids_{number}"] = page_ids
            values[f"borrowed_text_{number}"] = postgres.joined(query.text, language)
            borrowed_query = (
                f"plainto_tsquery(%(borrowed_config_{number})s::regconfig,"
                f" %(borrowed_text_{number})s)"
            )
            matches.append(
                f"(language = %(borrowed_language_{number})s"
                f" AND page_id = ANY(%(borrowed_ids_{number})s::integer[])"
                f" AND vector @@ {borrowed_query})"
            )
            ranks.append(
                f"WHEN %(borrowed_language_{number})s THEN ts_rank(head_vector, {borrowed_query})"
            )
        rank = (
            f"CASE language {' '.join(ranks)} ELSE ts_rank(head_vector, {tsquery}) END"
            if ranks
            else f"ts_rank(head_vector, {tsquery})"
        )
        in_topic = "topic_id = ANY(%(topics)s::integer[])" if query.topic_ids else "true"
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH matched AS MATERIALIZED (
                    SELECT * FROM (
                        SELECT page_id, topic_id, year, week_start,
                               {rank} AS rank,
                               {in_topic} AS in_topic,
                               {" AND ".join(dates) or "true"} AS in_dates
                        FROM search_searchentry
                        WHERE ({" OR ".join(matches)})
                              {"AND trend = %(trend)s" if query.trend else ""}
                        OFFSET 0
                    ) AS found
                    WHERE {visible}
                ),
                page AS MATERIALIZED (
                    SELECT page_id, rank, week_start FROM matched WHERE in_topic AND in_dates
                    ORDER BY rank DESC, week_start DESC NULLS LAST, page_id
                    LIMIT %(limit)s OFFSET %(offset)s
                ),
                query AS MATERIALIZED (
                    SELECT tsvector_to_array(to_tsvector(%(config)s::regconfig, %(text)s))
                               AS lexemes,
                           numnode({tsquery}) = 1 AS one_lexeme
                )
                SELECT 'facets', topic_id, year,
                       count(*) FILTER (WHERE in_dates),
                       count(*) FILTER (WHERE in_topic),
                       count(*) FILTER (WHERE in_topic AND in_dates),
                       NULL::real, NULL::date, NULL::text, NULL::text, NULL::integer[],
                       NULL::boolean
                FROM matched GROUP BY topic_id, year
                UNION ALL
                SELECT 'hit', page.page_id, wagtail_page.content_type_id, NULL, NULL, NULL,
                       page.rank, page.week_start, entry.title, entry.lead || ' ' || entry.body,
                       ARRAY(
                           SELECT occurrence.position - (
                               SELECT coalesce(max(position), 0)
                               FROM unnest(ts_filter(entry.head_vector, '{{a}}')) AS lexeme,
                                    unnest(lexeme.positions) AS position
                           )
                           FROM unnest(entry.vector) AS lexeme,
                                unnest(lexeme.positions, lexeme.weights)
                                    AS occurrence(position, weight)
                           WHERE lexeme.lexeme = ANY(query.lexemes)
                                 AND occurrence.weight <> 'A'
                           ORDER BY occurrence.position
                       ),
                       query.one_lexeme
                FROM query, page
                JOIN search_searchentry entry ON entry.page_id = page.page_id
                JOIN wagtailcore_page wagtail_page ON wagtail_page.id = page.page_id
                """,
                values,
            )
            return cursor.fetchall()

    @staticmethod
    def _headlines(query: Query, page: list[tuple]) -> list[tuple[str, str]]:
        """(title, snippet) of each hit, as HTML with the matched words in <mark>.

        The texts are HTML-escaped first, so that ts_headline's <mark> is the only markup. A
        snippet comes from its snippet_window(), or from the whole text when that window has no
        mark although the text matches (the word counts were off).
        """
        if not page:
            return []
        # Each hit in its own language's configuration (a borrowed page's is not the edition's),
        # its texts and the query read as that language's index reads them (postgres.joined).
        languages = [query.language_of(hit[0]) for hit in page]
        windows = [
            escape(snippet_window(postgres.joined(text, language), matched, one_lexeme), False)
            for (_id, _type, _rank, _week, _title, text, matched, one_lexeme), language in zip(
                page, languages, strict=True
            )
        ]
        tsquery = "plainto_tsquery(hit.config, hit.query_text)"
        lead_and_body = "entry.lead || ' ' || entry.body"
        whole = (
            f"CASE WHEN hit.joined THEN {escaped_sql(postgres.joined_sql(lead_and_body))}"
            f" ELSE {escaped_sql(lead_and_body)} END"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT ts_headline(hit.config, hit.title, {tsquery}, %(title)s),
                       CASE WHEN hit.matched AND strpos(hit.first_pass, '<mark>') = 0
                            THEN ts_headline(hit.config, {whole}, {tsquery}, %(snippet)s)
                            ELSE hit.first_pass END
                FROM (
                    SELECT *, ts_headline(config, window_text, {tsquery},
                                          %(snippet)s) AS first_pass
                    FROM unnest(%(ids)s::integer[], %(titles)s::text[], %(windows)s::text[],
                                %(matched)s::boolean[], %(configs)s::regconfig[],
                                %(texts)s::text[], %(joined)s::boolean[])
                        WITH ORDINALITY
                        AS hit(page_id, title, window_text, matched, config, query_text,
                               joined, number)
                    OFFSET 0
                ) AS hit
                JOIN search_searchentry entry ON entry.page_id = hit.page_id
                ORDER BY hit.number
                """,
                {
                    "configs": [postgres.configuration(language) for language in languages],
                    "texts": [postgres.joined(query.text, language) for language in languages],
                    "joined": [language in postgres.JOINED_LANGUAGES for language in languages],
                    "title": headline_options(highlight_all=True),
                    "snippet": headline_options(
                        max_words=SNIPPET_WORDS,
                        min_words=SNIPPET_MIN_WORDS,
                        max_fragments=2,
                        fragment_delimiter=" … ",
                    ),
                    "ids": [hit[0] for hit in page],
                    "titles": [
                        escape(postgres.joined(hit[4], language), quote=False)
                        for hit, language in zip(page, languages, strict=True)
                    ],
                    "windows": windows,
                    "matched": [bool(hit[6]) for hit in page],
                },
            )
            return [
                (postgres.unjoined(title), postgres.unjoined(snippet))
                if language in postgres.JOINED_LANGUAGES
                else (title, snippet)
                for (title, snippet), language in zip(cursor.fetchall(), languages, strict=True)
            ]

    def suggest(self, words, language: str, entries, limit: int) -> list[int]:
        """Entries whose title has words starting with each of `words` (stemmed alike)."""
        # Each word is letters and digits, and apostrophes inside (see search.api): quoted,
        # with an apostrophe doubled or joined (postgres.joined).
        prefixes = " & ".join(
            "'{}':*A".format(postgres.joined(word, language).replace("'", "''")) for word in words
        )
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
    def search(self, query: Query, public, offset: int, limit: int, hidden=None) -> Results:
        # `hidden` is PostgresEngine's shortcut; the backend's results are checked against `public`.
        backend = get_search_backend()
        in_edition = Q(language=query.language)
        for language, page_ids in query.borrowed_in().items():
            in_edition |= Q(language=language, page_id__in=page_ids)
        entries = SearchEntry.objects.filter(in_edition, page__in=public)
        if query.trend:
            entries = entries.filter(trend=query.trend)

        def run(queryset):
            return backend.search(query.text, queryset, operator="and")

        found = run(narrowed(entries, query.topic_ids, query.date_from, query.date_to))
        found = found.annotate_score("_score")
        results = Results(total=found.count())
        # Each facet ignores its own filter, as in PostgresEngine.
        topics = run(narrowed(entries, (), query.date_from, query.date_to)).facet("topic_id")
        results.topics = {topic_id: hits for topic_id, hits in topics.items() if topic_id}
        years = run(narrowed(entries, query.topic_ids)).facet("year")
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
                    highlight(entry.title, query.words, entry.language),
                    highlight(
                        f"{entry.lead} {entry.body}".strip(),
                        query.words,
                        entry.language,
                        SNIPPET_WORDS,
                    ),
                )
            )
        return results

    def suggest(self, words, language: str, entries, limit: int) -> list[int]:
        found = get_search_backend().autocomplete(" ".join(words), entries, operator="and")
        return [entry.page_id for entry in found[:limit]]


class SqliteEngine:
    def search(self, query: Query, public, offset: int, limit: int, hidden=None) -> Results:
        # `hidden` is PostgresEngine's shortcut; the matches are checked against `public`.
        scores = sqlite.matches(query.words, query.language)
        in_edition = Q(language=query.language)
        # A borrowed page is matched in its own language's analysis.
        for language, page_ids in query.borrowed_in().items():
            scores.update(sqlite.matches(query.words, language))
            in_edition |= Q(language=language, page_id__in=page_ids)
        results = Results()
        if not scores:
            return results
        entries = SearchEntry.objects.filter(in_edition, page__in=public, page_id__in=list(scores))
        if query.trend:
            entries = entries.filter(trend=query.trend)
        found = []
        for page_id, topic_id, year, week_start in entries.values_list(
            "page_id", "topic_id", "year", "week_start"
        ):
            in_topic = not query.topic_ids or topic_id in query.topic_ids
            in_dates = (
                not query.date_from or bool(week_start and week_start >= query.date_from)
            ) and (not query.date_to or bool(week_start and week_start <= query.date_to))
            # Each facet ignores its own filter, as in PostgresEngine.
            if in_dates and topic_id:
                results.topics[topic_id] = results.topics.get(topic_id, 0) + 1
            if in_topic and year is not None:
                results.years[year] = results.years.get(year, 0) + 1
            if in_topic and in_dates:
                found.append((page_id, week_start))
        results.total = len(found)
        found.sort(
            key=lambda hit: (-scores[hit[0]], -(hit[1].toordinal() if hit[1] else 0), hit[0])
        )
        shown = [page_id for page_id, _week in found[offset : offset + limit]]
        texts = SearchEntry.objects.in_bulk(shown)
        for page_id in shown:
            entry = texts[page_id]
            results.hits.append(
                Hit(
                    page_id,
                    scores[page_id],
                    highlight(entry.title, query.words, entry.language),
                    highlight(
                        f"{entry.lead} {entry.body}".strip(),
                        query.words,
                        entry.language,
                        SNIPPET_WORDS,
                    ),
                )
            )
        return results

    def suggest(self, words, language: str, entries, limit: int) -> list[int]:
        """Entries whose title has words starting with each of `words` (analysed alike)."""
        scores = sqlite.matches(words, language, prefix=True, column="title")
        if not scores:
            return []
        weeks = entries.filter(page_id__in=list(scores)).values_list("page_id", "week_start")
        ranked = sorted(
            weeks, key=lambda hit: (-scores[hit[0]], -(hit[1].toordinal() if hit[1] else 0), hit[0])
        )
        return [page_id for page_id, _week in ranked[:limit]]


def engine():
    if uses_postgres_index():
        return PostgresEngine()
    return SqliteEngine() if uses_sqlite_index() else WagtailBackendEngine()
