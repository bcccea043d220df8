"""`/api/v2/search/` (the search page) and `/api/v2/search/suggest/` (the search box).

Results are the same article and week summaries as every listing (digest.api.representers),
plus `highlight` (HTML: the title and a snippet, matched words in <mark>, nothing else) and
`score`. Only what core.visibility lets the public see is searched, in the language asked for.
"""

import re

from django.contrib.contenttypes.models import ContentType
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.api.v2.utils import BadRequestError
from wagtail.models import Page

from core import visibility
from core.paths import frontend_path, frontend_url
from digest.api import params
from digest.api.context import ApiContext
from digest.api.representers import model_name, represent_pages, representer_for
from digest.models import ArticlePage, Topic
from search.engines import PostgresEngine, Query, engine
from search.hidden import hidden_page_ids
from search.highlight import words_of
from search.models import SearchEntry

MAX_QUERY_LENGTH = 200
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
# Words beyond this add nothing to a query but cost time.
MAX_QUERY_WORDS = 16
DEFAULT_LIMIT, MAX_LIMIT = 10, 100
SUGGEST_DEFAULT_LIMIT, SUGGEST_MAX_LIMIT = 8, 20
# Deep pages of a ranked search are never read; refusing them keeps every query cheap.
MAX_OFFSET = 10_000


def query_words(request) -> list[str]:
    text = params.get(request, "q")
    if text is None or not text.strip():
        raise BadRequestError("q is required: the words to search for")
    if len(text) > MAX_QUERY_LENGTH:
        raise BadRequestError(f"q must be at most {MAX_QUERY_LENGTH} characters")
    return words_of(text)[:MAX_QUERY_WORDS]


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


class SearchView(APIView):
    """`?q=borders&locale=en[&topic=&trend=&date_from=&date_to=&limit=&offset=]`"""

    KNOWN = {"q", "locale", "topic", "trend", "date_from", "date_to", "limit", "offset", "format"}

    def get(self, request):
        params.check_known(request, self.KNOWN)
        words = query_words(request)
        language = params.locale(request, required=True)
        # The language's topics, for the `topic` filter and the names in the topic facet.
        topics = list(Topic.objects.filter(locale__language_code=language))
        topic = self.topic(request, topics)
        date_from, date_to = params.date(request, "date_from"), params.date(request, "date_to")
        if date_from and date_to and date_from > date_to:
            raise BadRequestError("date_from must not be after date_to")
        trend = params.trend(request)
        limit = bounded_int(request, "limit", DEFAULT_LIMIT, MAX_LIMIT)
        offset = bounded_int(request, "offset", 0, MAX_OFFSET)
        if not words:
            # Only punctuation or symbols: nothing that could match a word of any text.
            return Response(self.body(0, [], {}, {}, topics))

        query = Query(
            words=tuple(words),
            language=language,
            topic_id=topic.id if topic else None,
            trend=trend,
            date_from=date_from,
            date_to=date_to,
        )
        visible = visibility.for_request(request)
        search_engine = engine()
        # PostgreSQL checks matches against the few hidden indexed pages (search.hidden).
        hidden = hidden_page_ids(visible) if isinstance(search_engine, PostgresEngine) else None
        results = search_engine.search(query, public_page_ids(request), offset, limit, hidden)
        api = ApiContext(visibility=visible, language=language, request=request)
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
        return Response(self.body(results.total, items, results.topics, results.years, topics))

    @staticmethod
    def topic(request, topics: list[Topic]) -> Topic | None:
        """The topic whose slug `topic` names, among the language's `topics`."""
        slug = params.get(request, "topic")
        if not slug:
            return None
        topic = None
        if SLUG.fullmatch(slug):
            topic = next((topic for topic in topics if topic.slug == slug), None)
        if topic is None:
            raise BadRequestError(f"unknown topic {slug!r}: use a topic's slug")
        return topic

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

    KNOWN = {"q", "locale", "limit", "format"}

    def get(self, request):
        params.check_known(request, self.KNOWN)
        words = query_words(request)
        language = params.locale(request, required=True)
        limit = bounded_int(request, "limit", SUGGEST_DEFAULT_LIMIT, SUGGEST_MAX_LIMIT)
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
