"""The pages endpoint (/api/v2/pages/): Wagtail API v2's shape, locale-aware, with fallback.

Listing, detail and `find` share one representation per page type (digest.api.representers).
"""

import datetime
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from rest_framework.response import Response
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.coreutils import resolve_model_string
from wagtail.models import Page

from cms.api_errors import JsonErrorsMixin
from digest.api import params
from digest.api.context import ApiContext
from digest.api.pagination import BoundedPagination
from digest.api.representers import represent_page, represent_pages, representer_for
from digest.localization import fallback_chain
from digest.models import ArticlePage, ReportPage
from home import visibility
from home.paths import site_root_paths, split_language

LISTING_PARAMETERS = {
    "limit",
    "offset",
    "fields",
    "order",
    "type",
    "locale",
    "fallback",
    "child_of",
    "descendant_of",
    "slug",
    "topic",
    "trend",
    "week",
    "date_from",
    "date_to",
    "format",
}
DETAIL_PARAMETERS = {"locale", "fallback", "format"}
FIND_PARAMETERS = {"html_path", "format"}
WEEK_TYPES = (ArticlePage, ReportPage)
ORDERINGS = {"id", "title", "first_published_at", "last_published_at", "week_start", "path"}
MAX_PATH_COMPONENTS = 16
_SIX_DAYS = datetime.timedelta(days=6)


def page_type(request):
    value = params.get(request, "type")
    if not value:
        return None
    try:
        model = resolve_model_string(value)
    except (LookupError, ValueError) as exc:
        raise BadRequestError(f"type doesn't exist: {value}") from exc
    if not issubclass(model, Page):
        raise BadRequestError(f"type is not a page type: {value}")
    return model


class PagesEndpoint(JsonErrorsMixin, PagesAPIViewSet):
    pagination_class = BoundedPagination

    # ---- shared ------------------------------------------------------------------------

    def api_context(self, language=None, fallback=False) -> ApiContext:
        return ApiContext(
            visibility=visibility.for_request(self.request),
            language=language,
            fallback=fallback,
            request=self.request,
        )

    def single_page_response(self, page, api):
        return Response(represent_page(page, api))

    # ---- listing -----------------------------------------------------------------------

    def listing_view(self, request):
        params.check_known(request, LISTING_PARAMETERS)
        language = params.locale(request)
        fallback = params.boolean(request, "fallback")
        if fallback and not language:
            raise BadRequestError("fallback=true needs a locale")
        model = page_type(request)
        if model is None and (params.get(request, "topic") or params.get(request, "trend")):
            model = ArticlePage
        api = self.api_context(language, fallback)

        queryset = self.listing_queryset(api, model or Page, language, fallback)
        queryset = self.order(queryset, model)
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

    def listing_queryset(self, api, model, language, fallback):
        request = self.request
        queryset = api.public_pages(model)

        topic, trend = params.get(request, "topic"), params.trend(request)
        if (topic or trend) and not issubclass(model, ArticlePage):
            raise BadRequestError("topic and trend filter articles: use type=digest.ArticlePage")
        if topic:
            queryset = queryset.filter(topic__slug=topic)
        if trend:
            queryset = queryset.filter(trend=trend)
        slug = params.get(request, "slug")
        if slug:
            queryset = queryset.filter(slug=slug)

        week, date_from, date_to = (
            params.week(request),
            params.date(request, "date_from"),
            params.date(request, "date_to"),
        )
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
                queryset = queryset.filter(week_start__gte=date_from - _SIX_DAYS)
            if date_to:
                queryset = queryset.filter(week_start__lte=date_to)

        for name, lookup in (("child_of", "child_of"), ("descendant_of", "descendant_of")):
            ancestor_id = params.positive_int(request, name)
            if ancestor_id:
                ancestor = api.public_pages().filter(id=ancestor_id).first()
                if ancestor is None:
                    raise BadRequestError(f"{name}: no public page with id {ancestor_id}")
                queryset = getattr(queryset, lookup)(ancestor)

        if language and not fallback:
            queryset = queryset.filter(locale__language_code=language)
        elif language:
            queryset = self.best_versions(queryset, api, model, language)
        return queryset

    @staticmethod
    def best_versions(queryset, api, model, language):
        """One item per translation key, in the best language of the reader's chain.

        A Belarusian listing with fallback thus covers the same articles as English, each
        in Belarusian, else Russian, else English.
        """
        chain = fallback_chain(language)
        public = api.public_pages(model)
        condition = Q()
        for rank, candidate in enumerate(chain):
            better = chain[:rank]
            clause = Q(locale__language_code=candidate)
            if better:
                clause &= ~Exists(
                    public.filter(
                        translation_key=OuterRef("translation_key"),
                        locale__language_code__in=better,
                    )
                )
            condition |= clause
        return queryset.filter(condition)

    def order(self, queryset, model):
        order = params.get(self.request, "order")
        if not order:
            if model and issubclass(model, ArticlePage):
                return queryset.order_by("-week_start", "topic__sort_order", "id")
            if model and issubclass(model, ReportPage):
                return queryset.order_by("-week_start", "id")
            return queryset.order_by("id")
        field = order.removeprefix("-")
        if field not in ORDERINGS:
            raise BadRequestError(f"cannot order by '{order}'")
        if field == "week_start" and not (model and issubclass(model, WEEK_TYPES)):
            raise BadRequestError(
                "order=week_start needs type=digest.ArticlePage or type=digest.ReportPage"
            )
        return queryset.order_by(order, "id")

    # ---- detail ------------------------------------------------------------------------

    def detail_view(self, request, pk):
        params.check_known(request, DETAIL_PARAMETERS)
        language = params.locale(request)
        fallback = params.boolean(request, "fallback")
        if fallback and not language:
            raise BadRequestError("fallback=true needs a locale")
        api = self.api_context(language, fallback)
        page = load_specific(api.public_pages().filter(id=pk))
        if page is None:
            raise Http404("No public page with this id.")
        if language and page.locale.language_code != language:
            page = self.version_for(page, api, language, fallback)
        if not language:
            api.language = page.locale.language_code
        return self.single_page_response(page, api)

    def version_for(self, page, api, language, fallback):
        chain = fallback_chain(language) if fallback else (language,)
        versions = dict(
            api.public_pages()
            .filter(translation_key=page.translation_key, locale__language_code__in=chain)
            .values_list("locale__language_code", "id")
        )
        for candidate in chain:
            if candidate in versions:
                return load_specific(api.public_pages().filter(id=versions[candidate]))
        raise Http404(f"This page has no public version in '{language}'.")

    # ---- find --------------------------------------------------------------------------

    def find_view(self, request):
        params.check_known(request, FIND_PARAMETERS)
        html_path = params.get(request, "html_path")
        if not html_path:
            raise BadRequestError("html_path is required, e.g. html_path=/be/")
        language, components = parse_html_path(html_path)
        api = self.api_context(language)
        root_path = site_root_path(api.visibility.site_id, language)
        if root_path is None:
            raise Http404("No page at this path.")
        url_path = root_path + "".join(f"{component}/" for component in components)
        page = load_specific(
            api.public_pages().filter(url_path=url_path, locale__language_code=language)
        )
        if page is None:
            raise Http404("No page at this path.")
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
    """('be', ['situacyja-u-bielarusi', '2023-09-11']) from a frontend path or URL."""
    path = urlsplit(html_path).path if "://" in html_path else html_path
    if not path.startswith("/") or "\\" in path or "\x00" in path:
        raise BadRequestError("html_path must be a path starting with '/'")
    language, rest = split_language(path)
    components = [component for component in rest.split("/") if component]
    if any(component in {".", ".."} for component in components):
        raise BadRequestError("html_path must not contain '.' or '..' segments")
    if len(components) > MAX_PATH_COMPONENTS:
        raise Http404("No page at this path.")
    return language, components
