"""The API at /api/v2/: Wagtail's v2 router with our endpoints (see digest.api)."""

from wagtail.api.v2.router import WagtailAPIRouter

from digest.api.media import DocumentsEndpoint, ImagesEndpoint
from digest.api.pages import PagesEndpoint
from digest.api.snippets import AuthorsEndpoint, TopicsEndpoint

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesEndpoint)
api_router.register_endpoint("topics", TopicsEndpoint)
api_router.register_endpoint("authors", AuthorsEndpoint)
api_router.register_endpoint("images", ImagesEndpoint)
api_router.register_endpoint("documents", DocumentsEndpoint)
