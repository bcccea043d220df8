"""API routes that are not model endpoints of the Wagtail router."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from digest.api.changes import ChangesView
from digest.api.feeds import ArticlesFeed, AtomArticlesFeed, sitemap
from digest.api.preview import PagePreviewView
from digest.api.redirects import RedirectFindView
from digest.api.renditions import URL_NAME, RenditionView
from digest.api.snippets import TrendsView


def read_only(view):
    """GET and HEAD only: any other method is a 405, not a CSRF failure."""
    return csrf_exempt(require_safe(view))


urlpatterns = [
    path("page_preview/", PagePreviewView.as_view(), name="page_preview"),
    path("trends/", TrendsView.as_view(), name="trends"),
    path("changes/", ChangesView.as_view(), name="changes"),
    path("redirects/find/", RedirectFindView.as_view(), name="redirects_find"),
    path("feeds/<str:language>/rss/", read_only(ArticlesFeed()), name="feed_rss"),
    path("feeds/<str:language>/atom/", read_only(AtomArticlesFeed()), name="feed_atom"),
    path("sitemap.xml", read_only(sitemap), name="sitemap"),
    # Before the router's images endpoint; only what the allowed set and a signature permit.
    path(
        "images/<int:image_id>/<str:signature>/<str:name>",
        read_only(RenditionView.as_view()),
        name=URL_NAME,
    ),
]
