"""Topics, authors and the trend time series: the vocabulary frontends build navigation from."""

from operator import itemgetter

from django.conf import settings
from django.http import Http404
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet

from core import visibility
from core.api_errors import JsonErrorsMixin
from core.api_json import CompactJSON
from core.languages import Edition
from core.openapi import LOCALE, obj, ref
from core.paths import edition_paths, frontend_path, frontend_url
from core.query import Param, Parameters
from digest.api import params
from digest.api.pagination import BoundedPagination
from digest.api.representers import trend_representation, week_representation
from digest.models import ArticlePage, Author, Topic


class SnippetEndpoint(CompactJSON, JsonErrorsMixin, BaseAPIViewSet):
    """Listing (`?locale=`, `?slug=`) and detail of a translatable snippet: only those a visible
    article uses (`used_through`), so nothing is known of a topic or author of private pages."""

    pagination_class = BoundedPagination
    ordering = ("id",)
    used_through = ""
    LISTING = Parameters(
        params.LIMIT,
        params.OFFSET,
        params.LOCALE,
        Param("slug", {"type": "string"}, "Only the item with this slug."),
    )
    DETAIL = Parameters()
    schemas = {
        "SnippetMeta": obj(
            {
                "type": {"type": "string"},
                "detail_url": {"type": "string", "format": "uri"},
                "locale": LOCALE,
            }
        ),
    }

    def represent(self, item) -> dict:
        raise NotImplementedError

    def meta(self, item) -> dict:
        return {
            "type": f"{item._meta.app_label}.{type(item).__name__}",
            "detail_url": self.detail_url(item.id),
            "locale": item.locale.language_code,
        }

    def detail_url(self, pk) -> str:
        return f"{settings.WAGTAILAPI_BASE_URL}/api/v2/{self.endpoint}/{pk}/"

    def get_queryset(self):
        visible = visibility.for_request(self.request)
        return (
            visible.used_snippets(self.model, ArticlePage, self.used_through)
            .select_related("locale")
            .order_by(*self.ordering)
        )

    def listing_view(self, request):
        values = self.LISTING.parse(request)
        queryset = self.get_queryset()
        language = values["locale"]
        if language:
            queryset = queryset.filter(locale__language_code=language)
        slug = values["slug"]
        if slug:
            queryset = queryset.filter(slug=slug)
        items = self.paginate_queryset(queryset)
        return self.get_paginated_response([self.represent(item) for item in items])

    def detail_view(self, request, pk):
        self.DETAIL.parse(request)
        item = self.get_queryset().filter(pk=pk).first()
        if item is None:
            raise Http404(f"No {self.model._meta.verbose_name} with this id.")
        return Response(self.represent(item))

    def find_view(self, request):
        raise Http404("Use the listing with ?slug= and ?locale= to find one.")


class TopicsEndpoint(SnippetEndpoint):
    model = Topic
    endpoint = "topics"
    ordering = ("sort_order", "id")
    used_through = "topic"
    schemas = {
        "Topic": obj(
            {
                "id": {"type": "integer"},
                "meta": ref("SnippetMeta"),
                "slug": {"type": "string"},
                "name": {"type": "string"},
                "description": {"type": "string"},
                "sort_order": {"type": "integer"},
                "is_active": {"type": "boolean"},
            }
        ),
    }

    def represent(self, topic) -> dict:
        return {
            "id": topic.id,
            "meta": self.meta(topic),
            "slug": topic.slug,
            "name": topic.name,
            "description": topic.description,
            "sort_order": topic.sort_order,
            "is_active": topic.is_active,
        }


class AuthorsEndpoint(SnippetEndpoint):
    model = Author
    endpoint = "authors"
    ordering = ("name", "id")
    used_through = "authors__author"
    schemas = {
        "Author": obj(
            {
                "id": {"type": "integer"},
                "meta": ref("SnippetMeta"),
                "slug": {"type": "string"},
                "name": {"type": "string"},
                "role": {"type": "string"},
                "bio": {"type": "string"},
            }
        ),
    }

    def represent(self, author) -> dict:
        return {
            "id": author.id,
            "meta": self.meta(author),
            "slug": author.slug,
            "name": author.name,
            "role": author.role,
            "bio": author.bio,
        }


class TrendsView(APIView):
    """Week → trend per topic, for charts: `/api/v2/trends/?locale=be&topic=security-issues`.

    The trend is the same in every language (translations synchronize it); the article each
    point links to is the reader's version, following the fallback chain.
    """

    PARAMETERS = Parameters(
        params.REQUIRED_LOCALE.but(description="Language of labels and article links."),
        Param("topic", {"type": "string"}, "One topic (slug)."),
        params.DATE_FROM,
        params.DATE_TO,
    )
    schemas = {
        "TrendPoint": obj(
            {
                "week": ref("Week"),
                "trend": ref("Trend"),
                "article": obj(
                    {
                        "id": {"type": "integer"},
                        "locale": LOCALE,
                        "path": {"type": ["string", "null"]},
                        "html_url": {"type": ["string", "null"], "format": "uri"},
                    }
                ),
            }
        ),
        "TrendSeries": obj(
            {
                "locale": LOCALE,
                "topics": {
                    "type": "array",
                    "items": obj(
                        {
                            "topic": ref("TopicRef"),
                            "points": {"type": "array", "items": ref("TrendPoint")},
                        }
                    ),
                },
            }
        ),
    }

    def get(self, request):
        values = self.PARAMETERS.parse(request)
        language = values["locale"]
        date_from, date_to = values["date_from"], values["date_to"]
        if date_from and date_to and date_from > date_to:
            raise BadRequestError("date_from must not be after date_to")
        visible = visibility.for_request(request)
        topics = (
            visible.used_snippets(Topic, ArticlePage, "topic")
            .filter(locale__language_code=language)
            .order_by("sort_order")
        )
        topic_slug = values["topic"]
        if params.known_topic(visible, topic_slug):
            topics = topics.filter(slug=topic_slug)

        edition = Edition.of(language, fallback=True)
        articles = (
            visible.pages(ArticlePage)
            .filter(locale__language_code__in=edition.chain)
            .exclude(trend="")
            .values_list(
                "translation_key",
                "locale__language_code",
                "topic__slug",
                "week_start",
                "trend",
                "id",
                "url_path",
                "path",
            )
        )
        if topic_slug:
            articles = articles.filter(topic__slug=topic_slug)
        if date_from:
            articles = articles.filter(week_start__gte=date_from)
        if date_to:
            articles = articles.filter(week_start__lte=date_to)

        best = edition.pick(articles, key=itemgetter(0), language=itemgetter(1))
        borrowed = [(row[5], row[7], row[6]) for row in best.values() if row[1] != language]
        placed = edition_paths(borrowed, language, visible.pages())
        series = {topic.slug: [] for topic in topics}
        for _key, row_language, slug, week_start, trend, page_id, url_path, _tree in sorted(
            best.values(), key=lambda row: row[3]
        ):
            if slug not in series:
                continue
            path = placed.get(page_id) or frontend_path(url_path, row_language)
            series[slug].append(
                {
                    "week": week_representation(week_start, language),
                    "trend": trend_representation(trend, language),
                    "article": {
                        "id": page_id,
                        "locale": row_language,
                        "path": path,
                        "html_url": frontend_url(path),
                    },
                }
            )
        return Response(
            {
                "locale": language,
                "topics": [
                    {
                        "topic": {"id": topic.id, "slug": topic.slug, "name": topic.name},
                        "points": series[topic.slug],
                    }
                    for topic in topics
                ],
            }
        )
