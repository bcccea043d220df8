"""The pages endpoint (/api/v2/pages/): Wagtail API v2's shape, locale-aware, with fallback.

Listing, detail and `find` share one representation per page type (digest.api.representers).
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from rest_framework.response import Response
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.coreutils import resolve_model_string
from wagtail.models import Page

from core import visibility
from core.api_errors import JsonErrorsMixin
from core.api_json import CompactJSON
from core.languages import Edition
from core.paths import find_in_edition, site_root_paths, split_language
from core.query import Param, Parameters
from digest.api import params
from digest.api.context import ApiContext
from digest.api.pagination import BoundedPagination
from digest.api.representers import (
    REPRESENTERS,
    model_name,
    represent_page,
    represent_pages,
    representer_for,
)
from digest.models import ArticlePage, ReportPage

WEEK_TYPES = (ArticlePage, ReportPage)
ORDERINGS = ("id", "title", "first_published_at", "last_published_at", "week_start", "path")
DATE = {"type": "string", "format": "date"}

# The pages endpoint's query parameters: parsed from these declarations, and written from them
# into the OpenAPI contract (digest.api.openapi).
LISTING = Parameters(
    params.LIMIT,
    params.OFFSET,
    Param(
        "fields",
        {"type": "string", "pattern": r"^(\*|[a-z_]+)(,[a-z_]+)*$"},
        "Add fields to the listing defaults: `*` for all, or a list such as "
        "`authors,photo`. Body and related articles are only on single pages.",
    ),
    Param(
        "order",
        {"enum": [f"{sign}{name}" for name in ORDERINGS for sign in ("", "-")]},
        "Sort order; week_start needs type=digest.ArticlePage or digest.ReportPage.",
    ),
    Param(
        "type",
        {"enum": [model_name(model) for model in REPRESENTERS]},
        "Only pages of this type (app_label.ModelName); each item's `type` says its own.",
    ),
    params.LOCALE.but(description="Only pages of this language's edition."),
    params.FALLBACK.but(
        description=(
            "With a locale: one item per page, in that language, else the next in its chain "
            "(be → ru → en, ru → en); items say `served_locale` and `fallback`. Default: true "
            "for be (the BE/RU edition), false for the others."
        )
    ),
    Param(
        "child_of",
        {"type": "integer", "minimum": 1},
        "Only children of this page.",
        read=params.positive_int,
    ),
    Param(
        "descendant_of",
        {"type": "integer", "minimum": 1},
        "Only pages under this one.",
        read=params.positive_int,
    ),
    Param("slug", {"type": "string"}, "Only pages with this slug."),
    Param("topic", {"type": "string"}, "Articles of this topic (slug); implies articles."),
    params.TREND.but(description="Articles with this trend."),
    Param(
        "week", DATE, "Articles or reports of the week containing this date.", read=params.week_of
    ),
    Param("date_from", DATE, "Weeks ending on or after this date.", read=params.date),
    Param("date_to", DATE, "Weeks starting on or before this date.", read=params.date),
)
DETAIL = Parameters(
    params.LOCALE.but(description="This page's version in that language's edition."),
    params.FALLBACK.but(
        description="With a locale: the best version of the chain (default: true for be)."
    ),
    params.INCLUDE,
    params.RICH_TEXT_TREE,
)
FIND = Parameters(
    Param(
        "html_path",
        {"type": "string"},
        "A frontend path or URL; `/be/…` paths include the BE/RU edition's borrowed pages.",
        read=params.required_text("html_path is required, e.g. html_path=/be/"),
        required=True,
    ),
    params.FALLBACK.but(
        description="Whether the path's edition borrows pages (default: true for /be/…)."
    ),
    params.INCLUDE,
    params.RICH_TEXT_TREE,
)
MAX_PATH_COMPONENTS = 16
_SIX_DAYS = datetime.timedelta(days=6)


def requested_edition(values) -> Edition | None:
    """The edition asked for: `locale`, with `fallback` or else that locale's default; None
    (every language, nothing to borrow: `fallback` changes nothing) without `locale`."""
    language, fallback = values["locale"], values["fallback"]
    if language is None:
        return None
    return Edition.of(language, fallback)


def page_type(value):
    """The model of a `type` already checked against the contract's enum (REPRESENTERS)."""
    return resolve_model_string(value) if value else None


class PagesEndpoint(CompactJSON, JsonErrorsMixin, PagesAPIViewSet):
    pagination_class = BoundedPagination

    # ---- shared ------------------------------------------------------------------------

    def api_context(self, edition: Edition | None, values=None) -> ApiContext:
        """`values`: a single page's parameters (include, rich_text_tree)."""
        return ApiContext(
            visibility=visibility.for_request(self.request),
            language=edition.language if edition else None,
            fallback=edition.fallback if edition else False,
            request=self.request,
            include=values["include"] if values else frozenset(),
            rich_text_tree=values["rich_text_tree"] if values else False,
        )

    def single_page_response(self, page, api):
        return Response(represent_page(page, api))

    # ---- listing -----------------------------------------------------------------------

    def listing_view(self, request):
        values = LISTING.parse(request)
        edition = requested_edition(values)
        model = page_type(values["type"])
        if model is None and (values["topic"] or values["trend"]):
            model = ArticlePage
        api = self.api_context(edition)

        queryset = self.listing_queryset(api, model or Page, edition, values)
        queryset = self.order(queryset, model, values["order"])
        page_slice = self.paginate_queryset(queryset)
        if model:
            pages = list(page_slice.select_related(*representer_for(model).select_related))
        else:
            pages = list(page_slice.select_related("locale").specific())

        representer = representer_for(model) if model else None

        def fields_for(item_representer):
            return params.fields(
                request,
                item_representer.fields,
                item_representer.listing_fields,
                listing_excludes=item_representer.detail_only,
            )

        if representer is not None:
            fields_for(representer)  # validate `fields` even when the page is empty
        items = represent_pages(pages, api, fields_for)
        return self.get_paginated_response(items)

    def listing_queryset(self, api, model, edition, values):
        queryset = api.public_pages(model)

        topic, trend = values["topic"], values["trend"]
        if (topic or trend) and not issubclass(model, ArticlePage):
            raise BadRequestError("topic and trend filter articles: use type=digest.ArticlePage")
        if topic:
            params.known_topic(api.visibility, topic)
            queryset = queryset.filter(topic__slug=topic)
        if trend:
            queryset = queryset.filter(trend=trend)
        slug = values["slug"]
        if slug:
            queryset = queryset.filter(slug=slug)

        week, date_from, date_to = values["week"], values["date_from"], values["date_to"]
        if week or date_from or date_to:
            if not issubclass(model, WEEK_TYPES):
                raise BadRequestError(
                    "week, date_from and date_to need type=digest.ArticlePage or "
                    "type=digest.ReportPage"
                )
            if date_from and date_to and date_from > date_to:
                raise BadRequestError("date_from must not be after date_to")
            if week:
                queryset = queryset.filter(week_start=week)
            if date_from:
                # The week that ends on date_from started six days before (never before year 1).
                earliest = max(date_from, datetime.date.min + _SIX_DAYS) - _SIX_DAYS
                queryset = queryset.filter(week_start__gte=earliest)
            if date_to:
                queryset = queryset.filter(week_start__lte=date_to)

        for name, lookup in (("child_of", "child_of"), ("descendant_of", "descendant_of")):
            ancestor_id = values[name]
            if ancestor_id:
                ancestor = api.public_pages().filter(id=ancestor_id).first()
                if ancestor is None:
                    raise BadRequestError(f"{name}: no public page with id {ancestor_id}")
                queryset = getattr(queryset, lookup)(ancestor)

        if edition:
            # One item per page, in the best language of the edition: a Belarusian listing
            # covers the same articles as English, each in Belarusian, else Russian, else English.
            queryset = edition.best(queryset, api.public_pages(model))
        return queryset

    def order(self, queryset, model, order):
        if not order:
            if model and issubclass(model, ArticlePage):
                return queryset.order_by("-week_start", "topic__sort_order", "id")
            if model and issubclass(model, ReportPage):
                return queryset.order_by("-week_start", "id")
            return queryset.order_by("id")
        # Only the contract's orderings get here (core.query refuses any other).
        if order.removeprefix("-") == "week_start" and not (
            model and issubclass(model, WEEK_TYPES)
        ):
            raise BadRequestError(
                "order=week_start needs type=digest.ArticlePage or type=digest.ReportPage"
            )
        return queryset.order_by(order, "id")

    # ---- detail ------------------------------------------------------------------------

    def detail_view(self, request, pk):
        values = DETAIL.parse(request)
        edition = requested_edition(values)
        api = self.api_context(edition, values)
        page = load_specific(api.public_pages().filter(id=pk))
        if page is None:
            raise Http404("No public page with this id.")
        if edition and page.locale.language_code != edition.language:
            page = self.version_for(page, api, edition)
        if not edition:
            # Without `locale`, the page's own language, as that language's edition shows it.
            own = Edition.of(page.locale.language_code)
            api.language, api.fallback = own.language, own.fallback
        return self.single_page_response(page, api)

    @staticmethod
    def version_for(page, api, edition: Edition):
        visible = api.public_pages()
        best = load_specific(edition.best(visible.filter(translation_key=page.translation_key)))
        if best is None:
            raise Http404(f"This page has no public version in '{edition.language}'.")
        return best

    # ---- find --------------------------------------------------------------------------

    def find_view(self, request):
        values = FIND.parse(request)
        language, components = parse_html_path(values["html_path"])
        edition = Edition.of(language, values["fallback"])
        api = self.api_context(edition, values)
        root_path = site_root_path(api.visibility.site_id, language)
        if root_path is None:
            raise Http404("No page at this path.")
        found = find_in_edition(api.public_pages(), edition.chain, root_path, components)
        if found is None:
            raise Http404("No page at this path.")
        # A path of the edition names a page; the edition serves that page's best version.
        page = self.version_for(found, api, edition)
        return self.single_page_response(page, api)


def load_specific(queryset):
    """The one page in `queryset` as its specific type, with what its representer needs."""
    row = queryset.values_list("id", "content_type_id").first()
    if row is None:
        return None
    page_id, content_type_id = row
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    return (
        model.objects.filter(id=page_id)
        .select_related(*representer_for(model).select_related)
        .first()
    )


def site_root_path(site_id, language: str) -> str | None:
    if site_id is None:
        return None
    for root in site_root_paths():
        if root.site_id == site_id and root.language_code == language:
            return root.root_path
    return None


def parse_html_path(html_path: str) -> tuple[str, list[str]]:
    """('be', ['situacyja-u-bielarusi', '2023-09-11']) from a frontend path or URL.

    A query string or fragment is ignored (a frontend passes its location as it is); a URL must
    be one of the frontend's own (FRONTEND_BASE_URL): another site's paths are not ours."""
    try:
        parts = urlsplit(html_path)
    except ValueError as exc:  # e.g. "http://[::1/": an unclosed IPv6 host
        raise BadRequestError("html_path must be a path starting with '/' or a URL") from exc
    if parts.scheme or parts.netloc:
        frontend = urlsplit(settings.FRONTEND_BASE_URL)
        if (parts.scheme, parts.netloc.lower()) != (frontend.scheme, frontend.netloc.lower()):
            raise BadRequestError(
                f"html_path is a URL of another site: use a path, or a URL on "
                f"{settings.FRONTEND_BASE_URL}"
            )
    path = parts.path
    prefix = urlsplit(settings.FRONTEND_BASE_URL).path.rstrip("/")
    if (parts.scheme or parts.netloc) and prefix and path.startswith(prefix + "/"):
        path = path[len(prefix) :]  # a frontend served below a path of its host
    if not path.startswith("/") or "\\" in path or "\x00" in path:
        raise BadRequestError("html_path must be a path starting with '/'")
    language, rest = split_language(path)
    components = [component for component in rest.split("/") if component]
    if any(component in {".", ".."} for component in components):
        raise BadRequestError("html_path must not contain '.' or '..' segments")
    if len(components) > MAX_PATH_COMPONENTS:
        raise Http404("No page at this path.")
    return language, components
