"""Every error under /api/ is JSON with a message — never HTML, never a traceback."""

import pytest


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v2/no-such-endpoint/", 404),
        ("get", "/api/v2/pages/999999/", 404),
        ("get", "/api/v2/pages/not-a-number/", 404),
        ("post", "/api/v2/pages/", 405),
        ("delete", "/api/v2/pages/1/", 405),
        ("get", "/api/v2/feeds/xx/rss/", 404),
    ],
)
def test_errors_are_json_with_a_message(demo, db, client, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status
    assert body["message"]
    assert "Traceback" not in response.content.decode()


def test_an_unexpected_error_is_a_json_500_without_details(demo, db, client, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("digest.api.pages.PagesEndpoint.listing_view", explode)
    client.raise_request_exception = False
    response = client.get("/api/v2/pages/")
    assert response.status_code == 500
    assert response.json() == {"message": "Internal server error.", "status": 500}
    assert "secret" not in response.content.decode()


@pytest.mark.parametrize(
    "html_path",
    ["../../etc/passwd", "/../etc/passwd", "/situation-in-belarus/../../", "no-slash", "/\\x"],
)
def test_path_tricks_in_find_are_refused_or_not_found(api, html_path):
    response = api("pages/find/", html_path=html_path)
    assert response.status_code in (400, 404)
    assert response.json()["message"]


def test_an_unknown_topic_is_the_same_400_at_every_endpoint_that_filters_by_topic(api):
    answers = [
        api("pages/", type="digest.ArticlePage", topic="nope"),
        api("pages/", type="digest.ArticlePage", locale="be", topic="nope"),
        api("trends/", locale="en", topic="nope"),
        api("search/", q="border", locale="ru", topic="nope"),
    ]
    assert [answer.status_code for answer in answers] == [400] * 4
    (message,) = {answer.json()["message"] for answer in answers}
    assert "unknown topic 'nope'" in message
    # A known topic still filters.
    known = api("pages/", type="digest.ArticlePage", topic="security-issues").json()
    assert known["items"]
