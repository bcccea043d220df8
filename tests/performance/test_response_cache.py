"""Anonymous API GETs are cached, validated (ETag, Last-Modified, 304) and marked for CDNs;
previews and signed-in requests never are."""

from email.utils import parsedate_to_datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from core import api_cache
from tests.hardening.live import closed_port
from tests.hardening.test_faults import redis_cache_settings


def test_a_repeated_anonymous_request_is_answered_from_the_cache_without_sql(
    trilingual_week, get, django_assert_num_queries
):
    first = get(f"pages/{trilingual_week.west.id}/", locale="be")
    with django_assert_num_queries(0):
        second = get(f"pages/{trilingual_week.west.id}/", locale="be")
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == "application/json"


def test_every_endpoint_answers_a_repeated_request_from_the_cache(
    trilingual_week, get, django_assert_num_queries
):
    week = trilingual_week
    requests = [
        ("pages/", {"type": "digest.ArticlePage", "locale": "be", "fallback": "true"}),
        (f"pages/{week.report.id}/", {}),
        ("pages/find/", {"html_path": "/ru/"}),
        ("topics/", {"locale": "ru"}),
        ("authors/", {}),
        ("trends/", {"locale": "en"}),
        ("images/", {}),
        ("documents/", {}),
        ("feeds/en/rss/", {}),
        ("sitemap.xml", {}),
        ("openapi.json", {}),
        ("search/", {"q": "friendship", "locale": "en"}),
    ]
    for path, params in requests:
        first = get(path, **params)
        assert first.status_code == 200, path
        with django_assert_num_queries(0):
            second = get(path, **params)
        assert second.content == first.content, path


def test_the_order_of_query_parameters_does_not_split_the_cache(
    week, client, django_assert_num_queries
):
    client.get("/api/v2/pages/?type=digest.ArticlePage&locale=en&limit=5")
    with django_assert_num_queries(0):
        response = client.get("/api/v2/pages/?limit=5&locale=en&type=digest.ArticlePage")
    assert response.status_code == 200


def test_an_etag_that_matches_is_answered_304_from_the_cache_without_rendering(
    week, get, django_assert_num_queries
):
    path = f"pages/{week.west.id}/"
    etag = get(path)["ETag"]
    with django_assert_num_queries(0):
        revalidated = get(path, headers={"If-None-Match": etag})
    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert revalidated["ETag"] == etag
    assert revalidated["Cache-Control"].startswith("public")


def test_an_unchanged_response_keeps_its_etag_across_unrelated_changes(week, get):
    path = f"pages/{week.security.id}/"
    etag = get(path)["ETag"]
    week.west.title = "A correction elsewhere"
    week.west.save_revision().publish()
    assert get(path, headers={"If-None-Match": etag}).status_code == 304


def test_a_changed_response_gets_a_new_etag_and_a_full_answer(week, get):
    path = f"pages/{week.west.id}/"
    etag = get(path)["ETag"]
    week.west.title = "Minsk calls for friendship, again"
    week.west.save_revision().publish()
    response = get(path, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response.json()["title"] == "Minsk calls for friendship, again"


def test_last_modified_follows_content_changes_to_the_second(week, get, monkeypatch):
    clock = {"now": api_cache.now_us()}
    monkeypatch.setattr(api_cache, "now_us", lambda: clock["now"])
    second = 1_000_000
    path = f"pages/{week.west.id}/"

    week.west.title = "Minsk calls for friendship, corrected"
    week.west.save_revision().publish()
    # Within the second of a change there is no Last-Modified to rely on yet (the ETag is).
    assert "Last-Modified" not in get(path)
    clock["now"] += 2 * second
    modified = get(path)["Last-Modified"]
    assert get(path, headers={"If-Modified-Since": modified}).status_code == 304

    week.west.title = "Minsk calls for friendship, corrected twice"
    week.west.save_revision().publish()
    changed = get(path, headers={"If-Modified-Since": modified})
    assert changed.status_code == 200
    assert changed.json()["title"] == "Minsk calls for friendship, corrected twice"
    clock["now"] += 2 * second
    assert get(path)["Last-Modified"] != modified


def test_last_modified_is_when_this_answer_changed_not_the_last_change_anywhere(
    week, get, monkeypatch
):
    clock = {"now": api_cache.now_us()}
    monkeypatch.setattr(api_cache, "now_us", lambda: clock["now"])
    second = 1_000_000
    security, west = f"pages/{week.security.id}/", f"pages/{week.west.id}/"
    clock["now"] += 2 * second
    before = {path: get(path)["Last-Modified"] for path in (security, west)}

    clock["now"] += 5 * second
    week.west.title = "A correction elsewhere"
    week.west.save_revision().publish()
    clock["now"] += 2 * second
    # The security article came out the same: it keeps its date, and a client's copy is current.
    assert get(security)["Last-Modified"] == before[security]
    assert get(security, headers={"If-Modified-Since": before[security]}).status_code == 304
    # The corrected one is dated by the change: later than the client's copy, so a full answer.
    changed = get(west, headers={"If-Modified-Since": before[west]})
    assert changed.status_code == 200
    assert parsedate_to_datetime(changed["Last-Modified"]) > parsedate_to_datetime(before[west])


@override_settings(API_CACHE_MAX_AGE=5, API_CACHE_S_MAXAGE=120, API_CACHE_STALE_WHILE_REVALIDATE=30)
def test_anonymous_responses_are_public_for_browsers_and_cdns_as_configured(week, get):
    response = get(f"pages/{week.west.id}/")
    assert response["Cache-Control"] == (
        "public, max-age=5, s-maxage=120, stale-while-revalidate=30"
    )


def test_public_responses_vary_on_the_origin_and_the_encoding_only(week, get):
    response = get("topics/", headers={"Accept-Language": "be", "Origin": "https://frontend.test"})
    assert response["Vary"].lower() == "origin, accept-encoding"
    assert "Content-Language" not in response


def test_a_cached_response_carries_cors_headers_for_each_origin(week, client):
    client.get("/api/v2/topics/", headers={"Origin": "https://evil.example"})
    allowed = client.get("/api/v2/topics/", headers={"Origin": "https://frontend.test"})
    foreign = client.get("/api/v2/topics/", headers={"Origin": "https://evil.example"})
    assert allowed["Access-Control-Allow-Origin"] == "https://frontend.test"
    assert "Access-Control-Allow-Origin" not in foreign
    assert "ETag" in allowed["Access-Control-Expose-Headers"]


def test_the_answer_does_not_depend_on_the_readers_language_so_it_can_be_shared(week, get):
    english = get("pages/", type="digest.ArticlePage", headers={"Accept-Language": "en"})
    api_cache.bump(api_cache.CONTENT)  # render again rather than answer from the cache
    belarusian = get("pages/", type="digest.ArticlePage", headers={"Accept-Language": "be"})
    assert belarusian.content == english.content


def test_errors_are_not_stored_by_anyone(week, get):
    response = get("pages/999999/")
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"


def test_a_signed_in_reader_gets_private_answers_that_are_never_cached(week, client, admin_user):
    path = f"/api/v2/pages/{week.west.id}/"
    client.get(path)  # cached for anonymous readers
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as queries:
        signed_in = client.get(path)
    assert len(queries) > 0
    assert signed_in["Cache-Control"] == "private, no-store"
    assert signed_in["ETag"]

    client.logout()
    api_cache.bump(api_cache.CONTENT)
    client.force_login(admin_user)
    client.get(path)
    client.logout()
    with CaptureQueriesContext(connection) as queries:
        anonymous = client.get(path)
    assert len(queries) > 0, "a signed-in request must not fill the public cache"
    assert anonymous["Cache-Control"].startswith("public")


def test_a_request_with_an_authorization_header_is_private(week, get):
    response = get(f"pages/{week.west.id}/", headers={"Authorization": "Bearer something"})
    assert response["Cache-Control"] == "private, no-store"


def test_a_preview_is_private_and_never_cached(week, get, admin_user):
    week.west.title = "Draft title for the preview"
    token = week.west.create_page_preview(issuer=admin_user).token
    params = {"content_type": "digest.articlepage", "token": token}
    first = get("page_preview/", **params)
    with CaptureQueriesContext(connection) as queries:
        second = get("page_preview/", **params)
    assert first.status_code == second.status_code == 200
    assert second["Cache-Control"] == "private, no-store"
    assert len(queries) > 0
    revalidated = get("page_preview/", headers={"If-None-Match": second["ETag"]}, **params)
    assert revalidated.status_code == 304


def test_browsers_get_the_browsable_api_and_scripts_get_json_from_the_same_url(week, client):
    path = f"/api/v2/pages/{week.west.id}/"
    json_first = client.get(path, headers={"Accept": "application/json"})
    html = client.get(path, headers={"Accept": "text/html"})
    json_again = client.get(path, headers={"Accept": "application/json"})
    assert html["Content-Type"].startswith("text/html")
    assert html["Cache-Control"] == "private, no-store"
    assert json_again["Content-Type"] == json_first["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_with_redis_unreachable_the_api_answers_and_edits_go_through(week, client):
    path = f"/api/v2/pages/{week.west.id}/"
    with closed_port() as redis:
        dead_redis = redis_cache_settings(f"redis://127.0.0.1:{redis.getsockname()[1]}/0")
        with override_settings(CACHES=dead_redis):
            first = client.get(path)
            week.west.title = "Published while Redis is down"
            week.west.save_revision().publish()
            second = client.get(path)
    assert first.status_code == second.status_code == 200
    assert first["ETag"]
    assert second.json()["title"] == "Published while Redis is down"
