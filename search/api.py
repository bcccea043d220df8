"""`/api/v2/search/` (the search page) and `/api/v2/search/suggest/` (the search box).

Results are the same article and week summaries as every listing (digest.api.representers),
plus `highlight` (HTML: the title and a snippet, matched words in <mark>, nothing else) and
`score`. Only what core.visibility lets the public see is searched, in the language asked for.
"""

from django.contrib.contenttypes.models import ContentType
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.api.v2.utils import BadRequestError
from wagtail.models import Page

from core import visibility
from core.languages import Edition
from core.paths import frontend_path, frontend_url
from core.query import Param, Parameters
from digest.api import params
from digest.api.context import ApiContext
from digest.api.representers import model_name, represent_pages, representer_for
from digest.models import ArticlePage, Topic
from search.analysis import words_of
from search.engines import PostgresEngine, Query, engine
from search.hidden import borrowed_pages, hidden_page_ids
from search.models import SearchEntry

MAX_QUERY_LENGTH = 200
# Words beyond this add nothing to a query but cost time.
MAX_QUERY_WORDS = 16
DEFAULT_LIMIT, MAX_LIMIT = 10, 100
SUGGEST_DEFAULT_LIMIT, SUGGEST_MAX_LIMIT = 8, 20
# Deep pages of a ranked search are never read; refusing them keeps every query cheap.
MAX_OFFSET = 10_000


def query_words(request, name: str = "q") -> list[str]:
    text = params.get(request, name)
    if text is None or not text.strip():
        raise BadRequestError("q is required: the words to search for")
    if len(text) > MAX_QUERY_LENGTH:
        raise BadRequestError(f"q must be at most {MAX_QUERY_LENGTH} characters")
    return words_of(text)[:MAX_QUERY_WORDS]


def bounded(default: int, maximum: int):
    """A reader of a non-negative integer up to `maximum`, `default` when absent."""
    return lambda request, name: bounded_int(request, name, default, maximum)


def bounded_int(request, name: str, default: int, maximum: int) -> int:
    """A non-negative integer, with the messages of Wagtail's pagination."""
    value = params.get(request, name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise BadRequestError(f"{name} must be a positive integer") from exc
    if number < 0:
        raise BadRequestError(f"{name} must be a positive integer")
    if number > maximum:
        raise BadRequestError(f"{name} cannot be higher than {maximum}")
    return number


def public_page_ids(request):
    """Ids of the pages the public may see on this site (a subquery)."""
    return visibility.for_request(request).pages(Page).values("pk")


def searchable_entries(request, language: str):
    """Index entries of pages the public may see on this site, in `language`."""
    return SearchEntry.objects.filter(language=language, page__in=public_page_ids(request))


def load_pages(page_ids, content_types: dict | None = None) -> dict:
    """id → specific page, with what its representer needs, in one query per page type.

    `content_types` (page id → content type id) saves the query that looks them up.
    """
    content_types = content_types or {}
    if any(content_types.get(page_id) is None for page_id in page_ids):
        content_types = dict(
            Page.objects.filter(id__in=page_ids).order_by().values_list("id", "content_type_id")
        )
    by_model = {}
    for page_id in page_ids:
        if page_id in content_types:
            model = ContentType.objects.get_for_id(content_types[page_id]).model_class()
            by_model.setdefault(model, []).append(page_id)
    pages = {}
    for model, ids in by_model.items():
        queryset = model.objects.filter(id__in=ids).order_by()
        if issubclass(model, ArticlePage):
            # Results are summaries: the body is never shown, so it is not read.
            queryset = queryset.defer("body")
        pages.update(
            {
                page.id: page
                for page in queryset.select_related(*representer_for(model).select_related)
            }
        )
    return pages


QUERY = Param(
    "q",
    {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH},
    "The words to search for.",
    query_words,
    required=True,
)


class SearchView(APIView):
    """`?q=borders&locale=en[&topic=&trend=&date_from=&date_to=&limit=&offset=]`"""

    PARAMETERS = Parameters(
        QUERY,
        params.REQUIRED_LOCALE.but(description="The language to search in."),
        Param("topic", {"type": "string"}, "Only articles of this topic (slug)."),
        params.TREND,
        params.DATE_FROM,
        params.DATE_TO,
        Param(
            "limit",
            {"type": "integer", "minimum": 0, "maximum": MAX_LIMIT},
            f"Items per page (default {DEFAULT_LIMIT}).",
            bounded(DEFAULT_LIMIT, MAX_LIMIT),
        ),
        Param(
            "offset",
            {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
            "Items to skip.",
            bounded(0, MAX_OFFSET),
        ),
    )

    def get(self, request):
        values = self.PARAMETERS.parse(request)
        words, language = values["q"], values["locale"]
        # The language's topics, for the `topic` filter and the names in the topic facet.
        topics = list(visibility.translated_snippets(Topic).filter(locale__language_code=language))
        visible = visibility.for_request(request)
        topic = params.known_topic(visible, values["topic"])
        date_from, date_to = values["date_from"], values["date_to"]
        if date_from and date_to and date_from > date_to:
            raise BadRequestError("date_from must not be after date_to")
        trend, limit, offset = values["trend"], values["limit"], values["offset"]
        if not words:
            # Only punctuation or symbols: nothing that could match a word of any text.
            return Response(self.body(0, [], {}, {}, topics))

        # A Belarusian search is the BE/RU edition's: Russian articles it has no Belarusian
        # version of are searched too (in Russian), and come back marked as borrowed.
        edition = Edition.of(language)
        query = Query(
            words=tuple(words),
            language=language,
            topic_ids=self.versions_of(topic) if topic else (),
            trend=trend,
            date_from=date_from,
            date_to=date_to,
            borrowed=borrowed_pages(visible, edition),
        )
        search_engine = engine()
        # PostgreSQL checks matches against the few hidden indexed pages (search.hidden).
        hidden = hidden_page_ids(visible) if isinstance(search_engine, PostgresEngine) else None
        results = search_engine.search(query, public_page_ids(request), offset, limit, hidden)
        api = ApiContext(
            visibility=visible, language=language, fallback=edition.fallback, request=request
        )
        pages = load_pages(
            [hit.page_id for hit in results.hits],
            {hit.page_id: hit.content_type_id for hit in results.hits},
        )
        hits = [hit for hit in results.hits if hit.page_id in pages]
        items = represent_pages(
            [pages[hit.page_id] for hit in hits], api, lambda r: set(r.listing_fields)
        )
        for item, hit in zip(items, hits, strict=True):
            item["highlight"] = {"title": hit.title, "text": hit.snippet}
            item["score"] = round(hit.score, 6)
        topic_counts = self.in_language(results.topics, topics)
        return Response(self.body(results.total, items, topic_counts, results.years, topics))

    @staticmethod
    def versions_of(topic: Topic) -> tuple[int, ...]:
        return tuple(
            Topic.objects.filter(translation_key=topic.translation_key).values_list("id", flat=True)
        )

    @staticmethod
    def in_language(counts: dict, topics: list[Topic]) -> dict:
        """Hits per topic of the language asked for: a borrowed entry counts for its topic's
        version in that language."""
        own = {topic.id for topic in topics}
        foreign = [topic_id for topic_id in counts if topic_id not in own]
        if not foreign:
            return counts
        by_key = {topic.translation_key: topic.id for topic in topics}
        keys = dict(Topic.objects.filter(id__in=foreign).values_list("id", "translation_key"))
        merged: dict = {}
        for topic_id, count in counts.items():
            target = topic_id if topic_id in own else by_key.get(keys.get(topic_id))
            if target is not None:
                merged[target] = merged.get(target, 0) + count
        return merged

    @staticmethod
    def body(total: int, items: list, topic_counts: dict, year_counts: dict, topics) -> dict:
        """The answer; `topics` are the language's, in their order (sort order, then name)."""
        topics = [topic for topic in topics if topic.id in topic_counts]
        return {
            "meta": {"total_count": total},
            "items": items,
            "facets": {
                "topics": [
                    {
                        "topic": {"id": topic.id, "slug": topic.slug, "name": topic.name},
                        "count": topic_counts[topic.id],
                    }
                    for topic in topics
                ],
                "years": [
                    {"year": year, "count": count}
                    for year, count in sorted(year_counts.items(), reverse=True)
                ],
            },
        }


class SuggestView(APIView):
    """`?q=bord&locale=en[&limit=]`: titles with words starting with what was typed."""

    PARAMETERS = Parameters(
        QUERY,
        params.REQUIRED_LOCALE.but(description="The language of the titles."),
        Param(
            "limit",
            {"type": "integer", "minimum": 0, "maximum": SUGGEST_MAX_LIMIT},
            f"How many titles (default {SUGGEST_DEFAULT_LIMIT}).",
            bounded(SUGGEST_DEFAULT_LIMIT, SUGGEST_MAX_LIMIT),
        ),
    )

    def get(self, request):
        values = self.PARAMETERS.parse(request)
        words, language, limit = values["q"], values["locale"], values["limit"]
        if not words or limit == 0:
            return Response({"items": []})
        page_ids = engine().suggest(words, language, searchable_entries(request, language), limit)
        rows = {
            page_id: (title, url_path, content_type_id)
            for page_id, title, url_path, content_type_id in Page.objects.filter(
                id__in=page_ids
            ).values_list("id", "title", "url_path", "content_type_id")
        }
        items = []
        for page_id in page_ids:
            if page_id not in rows:
                continue
            title, url_path, content_type_id = rows[page_id]
            path = frontend_path(url_path, language)
            items.append(
                {
                    "id": page_id,
                    "type": model_name(
                        ContentType.objects.get_for_id(content_type_id).model_class()
                    ),
                    "title": title,
                    "path": path,
                    "html_url": frontend_url(path),
                }
            )
        return Response({"items": items})
