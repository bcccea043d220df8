"""SQL per request: a cache hit costs none; a miss costs a small number that does not grow with
the size of a listing. (The benchmark, `make bench`, measures time; tests only count.)"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import api_cache
from digest.factories import ArticlePageFactory, topic
from digest.trends import Trend

LISTING = {"type": "digest.ArticlePage", "locale": "en", "fields": "*"}


@pytest.fixture
def crowded_week(week, committed):
    """The week with 25 articles, so that listings of 5 and of 20 are both full."""
    with committed():
        for number in range(23):
            ArticlePageFactory(
                parent=week.report,
                title=f"Regional note {number}",
                topic=topic("society-and-political-parties"),
                trend=Trend.UNCHANGED,
                authors=[week.analyst],
            )
    return week


def queries_on_a_miss(get, path, **params) -> int:
    api_cache.bump(api_cache.CONTENT)
    with CaptureQueriesContext(connection) as queries:
        response = get(path, **params)
    assert response.status_code == 200
    return len(queries)


def test_a_cache_hit_costs_no_sql(trilingual_week, get, django_assert_num_queries):
    for path, params in [
        (f"pages/{trilingual_week.west.id}/", {"locale": "be", "fallback": "true"}),
        ("pages/", {**LISTING, "limit": 20}),
        ("pages/find/", {"html_path": "/ru/situaciya-v-belarusi/2023-09-11/"}),
    ]:
        get(path, **params)
        with django_assert_num_queries(0):
            get(path, **params)


def test_a_listing_miss_costs_the_same_sql_for_5_or_20_items(crowded_week, get):
    get("pages/", **LISTING, limit=1)  # the site, visibility and renditions, as in production
    assert queries_on_a_miss(get, "pages/", **LISTING, limit=5) == queries_on_a_miss(
        get, "pages/", **LISTING, limit=20
    )


def test_an_article_miss_needs_at_most_ten_queries(trilingual_week, get):
    get(f"pages/{trilingual_week.security.id}/")  # the site and visibility, as in production
    assert queries_on_a_miss(get, f"pages/{trilingual_week.west.id}/", locale="be") <= 10
