"""Listings: filters by topic, trend and dates, ordering, pagination and refused bad input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from digest.models import ArticlePage


def articles(api, **params):
    return api("pages/", type="digest.ArticlePage", locale="en", limit=100, **params).json()


def test_articles_filter_by_topic_slug(api):
    items = articles(api, topic="security-issues")["items"]
    assert len(items) == 8
    assert {item["topic"]["slug"] for item in items} == {"security-issues"}


def test_a_topic_filter_alone_implies_articles(api):
    items = api("pages/", topic="security-issues", locale="be").json()["items"]
    assert {item["meta"]["type"] for item in items} == {"digest.ArticlePage"}


def test_articles_filter_by_trend(api):
    items = articles(api, trend="improved")["items"]
    assert items
    assert {item["trend"]["value"] for item in items} == {"improved"}


def test_articles_filter_by_week_given_any_day_of_it(api):
    items = articles(api, week="2023-09-14")["items"]
    assert len(items) == 5
    assert {item["week"]["start"] for item in items} == {"2023-09-11"}


def test_articles_filter_by_date_range(api):
    items = articles(api, date_from="2023-09-10", date_to="2023-09-20")["items"]
    assert {item["week"]["start"] for item in items} == {"2023-09-04", "2023-09-11", "2023-09-18"}


def test_articles_are_newest_week_first_by_default_and_can_be_ordered(api):
    default = [item["week"]["start"] for item in articles(api)["items"]]
    oldest_first = [item["week"]["start"] for item in articles(api, order="week_start")["items"]]
    assert default == sorted(default, reverse=True)
    assert oldest_first == sorted(oldest_first)


def test_pagination_reports_the_total_count(api):
    first = api("pages/", type="digest.ArticlePage", locale="en", limit=7).json()
    second = api("pages/", type="digest.ArticlePage", locale="en", limit=7, offset=7).json()
    assert first["meta"]["total_count"] == 40
    assert len(first["items"]) == 7
    assert not {item["id"] for item in first["items"]} & {item["id"] for item in second["items"]}


def test_fields_star_adds_byline_and_photo_to_listings(api):
    [item] = api("pages/", type="digest.ArticlePage", locale="en", limit=1, fields="*").json()[
        "items"
    ]
    assert {"authors", "photo"} <= set(item)
    assert "body" not in item


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": "abc"}, "limit must be a positive integer"),
        ({"limit": "-1"}, "limit must be a positive integer"),
        ({"limit": "1000"}, "limit cannot be higher than 100"),
        ({"offset": "x"}, "offset must be a positive integer"),
        ({"order": "nonsense"}, "unknown order 'nonsense': use one of"),
        ({"fields": "nonsense"}, "unknown fields: nonsense"),
        ({"fields": "body"}, "only available on a single page (detail or find): body"),
        ({"fields": "-title"}, "fields can only add to the defaults"),
        ({"trend": "better"}, "unknown trend 'better'"),
        ({"week": "last-week"}, "week must be a date in YYYY-MM-DD format"),
        ({"date_from": "2023-10-01", "date_to": "2023-09-01"}, "date_from must not be after"),
        ({"type": "auth.User"}, "unknown type 'auth.User': use one of digest.ArticlePage, "),
        ({"type": "wagtailcore.Page"}, "unknown type 'wagtailcore.Page': use one of "),
        ({"colour": "red"}, "query parameter is not an operation or a recognised field: colour"),
        ({"fallback": "maybe", "locale": "be"}, "fallback must be true or false"),
        ({"topic": "security\x00issues"}, "topic must not contain NUL characters"),
        ({"offset": "99999999999999999999"}, "offset cannot be higher than 1000000"),
        ({"offset": "²"}, "offset must be a positive integer"),
        ({"limit": "-1"}, "limit must be a positive integer"),
        ({"limit": "ten"}, "limit must be a positive integer"),
        ({"type": "digest.ReportPage", "trend": "improved"}, "topic and trend filter articles"),
        ({"slug": "x" * 5000}, "slug is too long"),
    ],
)
def test_bad_listing_parameters_are_refused_with_a_message(api, params, message):
    response = api("pages/", **{"type": "digest.ArticlePage", **params})
    assert response.status_code == 400
    assert response.json()["message"].startswith(message)
    assert response.json()["status"] == 400


def test_week_filters_need_a_week_based_type(api):
    response = api("pages/", week="2023-09-11")
    assert response.status_code == 400


def test_listing_queries_do_not_grow_with_limit(api):
    def listing(limit):
        api(
            "pages/",
            type="digest.ArticlePage",
            locale="be",
            fallback="true",
            limit=limit,
            fields="*",
        )

    # Warm the renditions and the cached site/visibility data first.
    for limit in (5, 20):
        listing(limit)
    counts = {}
    for limit in (5, 20):
        with CaptureQueriesContext(connection) as queries:
            listing(limit)
        counts[limit] = len(queries)
    assert counts[5] == counts[20]


def test_an_article_never_requested_before_needs_at_most_ten_queries(
    api, django_assert_max_num_queries
):
    # The Russian version warms what every request shares (site, visibility) and makes the
    # renditions of the shared photos, as the upload task does in real life.
    russian, belarusian = (
        ArticlePage.objects.get(
            locale__language_code=language,
            week_start="2023-09-11",
            topic__slug="belarus-west-relations",
        )
        for language in ("ru", "be")
    )
    api(f"pages/{russian.id}/")
    with django_assert_max_num_queries(10):
        response = api(f"pages/{belarusian.id}/")
    assert response.status_code == 200
