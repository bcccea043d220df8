"""Search routes, mounted at /api/v2/search/ (cms/urls.py)."""

from django.urls import path

from search.api import SearchView, SuggestView

urlpatterns = [
    path("", SearchView.as_view(), name="search"),
    path("suggest/", SuggestView.as_view(), name="search_suggest"),
]
