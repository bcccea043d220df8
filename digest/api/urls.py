"""API routes that are not model endpoints of the Wagtail router."""

from django.urls import path

from digest.api.feeds import ArticlesFeed, AtomArticlesFeed, sitemap
from digest.api.openapi import openapi_view
from digest.api.preview import PagePreviewView
from digest.api.redirects import RedirectFindView
from digest.api.snippets import TrendsView

urlpatterns = [
    path("page_preview/", PagePreviewView.as_view(), name="page_preview"),
    path("trends/", TrendsView.as_view(), name="trends"),
    path("redirects/find/", RedirectFindView.as_view(), name="redirects_find"),
    path("feeds/<str:language>/rss/", ArticlesFeed(), name="feed_rss"),
    path("feeds/<str:language>/atom/", AtomArticlesFeed(), name="feed_atom"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("openapi.json", openapi_view, name="openapi"),
]
