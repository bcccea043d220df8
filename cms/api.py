"""The API at /api/v2/: Wagtail's v2 router with our endpoints (see digest.api), and its index."""

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from wagtail.api.v2.router import WagtailAPIRouter

from core.languages import LANGUAGES
from core.openapi import obj
from digest.api.media import DocumentsEndpoint, ImagesEndpoint
from digest.api.pages import PagesEndpoint
from digest.api.snippets import AuthorsEndpoint, TopicsEndpoint

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesEndpoint)
api_router.register_endpoint("topics", TopicsEndpoint)
api_router.register_endpoint("authors", AuthorsEndpoint)
api_router.register_endpoint("images", ImagesEndpoint)
api_router.register_endpoint("documents", DocumentsEndpoint)


API_VERSION = "2.0.0"

# GET /api/v2/: the endpoints by name (paths below /api/v2/); the contract says the rest.
INDEX_ENDPOINTS = {
    "pages": "pages/",
    "find": "pages/find/",
    "preview": "page_preview/",
    "topics": "topics/",
    "authors": "authors/",
    "trends": "trends/",
    "images": "images/",
    "documents": "documents/",
    "search": "search/",
    "redirects": "redirects/find/",
    "rss": "feeds/{language}/rss/",
    "atom": "feeds/{language}/atom/",
    "sitemap": "sitemap.xml",
    "newsletter": "newsletter/subscribe/",
    "openapi": "openapi.json",
}
INDEX_SCHEMA = obj(
    {
        "title": {"type": "string"},
        "version": {"type": "string"},
        "languages": {"type": "array", "items": {"type": "string", "enum": list(LANGUAGES)}},
        "endpoints": obj({name: {"type": "string"} for name in INDEX_ENDPOINTS}),
    }
)


@csrf_exempt
@require_safe
def api_index(request):
    """Where everything is, for a developer exploring the API from its root."""
    base = f"{settings.WAGTAILAPI_BASE_URL}/api/v2/"
    return JsonResponse(
        {
            "title": "Situation Desk API",
            "version": API_VERSION,
            "languages": list(LANGUAGES),
            "endpoints": {name: base + path for name, path in INDEX_ENDPOINTS.items()},
        }
    )
