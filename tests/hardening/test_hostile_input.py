"""Hostile input the fuzzer is unlikely to hit by chance: each answered with a 4xx JSON message.

(Unknown page types such as `type=auth.User`, path traversal in `find`, and unknown listing
parameters are covered in tests/api; the newsletter's own validation in tests/newsletter.)
"""

import json
import socket
from urllib.parse import urlsplit

import pytest
from django.test import override_settings

from tests.hardening.live import app_server

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/api/v2/newsletter/subscribe/"


def assert_json_error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status
    assert body["message"]
    assert "Traceback" not in response.content.decode()
    return body["message"]


@pytest.mark.parametrize("endpoint", ["pages/", "images/", "documents/", "topics/", "authors/"])
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=99999999999999999999999999", "limit cannot be higher than"),
        ("limit=-1", "limit must be a positive integer"),
        ("limit=ten", "limit must be a positive integer"),
        ("limit=%C2%B2", "limit must be a positive integer"),  # "²": a digit to Python
        ("offset=-20", "offset must be a positive integer"),
        ("offset=1e3", "offset must be a positive integer"),
        ("offset=%FF%FE", "offset must be a positive integer"),  # not UTF-8 at all
    ],
)
def test_bad_limits_and_offsets_are_refused_by_every_listing(client, endpoint, query, message):
    response = client.get(f"/api/v2/{endpoint}?{query}")
    assert assert_json_error(response, 400).startswith(message)


def test_an_offset_beyond_any_archive_is_refused_before_it_reaches_the_database(client):
    response = client.get("/api/v2/pages/?offset=99999999999999999999999")
    assert assert_json_error(response, 400) == "offset cannot be higher than 1000000"


def test_search_refuses_bad_limits_too(client):
    response = client.get("/api/v2/search/?q=border&locale=en&limit=-1")
    assert assert_json_error(response, 400).startswith("limit")


def test_asking_for_a_field_that_does_not_exist_is_refused(client):
    response = client.get("/api/v2/pages/?fields=password")
    assert assert_json_error(response, 400) == "unknown fields: password"


def test_bytes_that_are_not_utf8_in_a_path_are_a_json_404(client):
    assert_json_error(client.get("/api/v2/pages/%FF%FE/"), 404)
    assert_json_error(client.get("/api/v2/pages/find/?html_path=%2F%FF%2F"), 404)


def test_a_10_mb_body_is_refused_with_413_and_the_limit(client):
    body = b'{"email": "' + b"a" * (10 * 1024 * 1024) + b'@example.org", "locale": "en"}'
    response = client.generic("POST", SUBSCRIBE, body, content_type="application/json")
    message = assert_json_error(response, 413)
    assert message == "Request body too large: the API accepts at most 2,621,440 bytes."


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_the_body_limit_follows_the_setting(client):
    response = client.generic("POST", SUBSCRIBE, b"{" + b" " * 2000 + b"}", "application/json")
    assert "at most 1,000 bytes" in assert_json_error(response, 413)


def test_a_body_that_is_not_utf8_is_a_400_with_the_reason(client):
    body = b'{"email": "\xff\xfe@example.org", "locale": "en"}'
    response = client.generic("POST", SUBSCRIBE, body, content_type="application/json")
    assert "utf-8" in assert_json_error(response, 400)


def test_a_body_that_is_not_json_is_a_400(client):
    response = client.generic("POST", SUBSCRIBE, b"email=a@b.c", content_type="application/json")
    assert "JSON parse error" in assert_json_error(response, 400)


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "multipart/form-data"])
def test_a_body_of_another_content_type_is_a_415(client, content_type):
    response = client.generic("POST", SUBSCRIBE, b"<x/>", content_type=content_type)
    assert "Unsupported media type" in assert_json_error(response, 415)


@pytest.mark.parametrize("path", ["/api/v2/sitemap.xml", "/api/v2/feeds/en/rss/"])
def test_writing_to_a_read_only_url_is_a_json_405(client, path):
    response = client.post(path, {})
    assert_json_error(response, 405)
    assert response["Allow"] == "GET, HEAD"


def raw_request(url: str, request: bytes) -> tuple[str, dict, bytes]:
    """Sends bytes as they are (no client library would send them) and reads the answer."""
    host, port = urlsplit(url).hostname, urlsplit(url).port
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return status, headers, body


@pytest.fixture(scope="module")
def production_server():
    with app_server(DATABASE_URL="sqlite:///:memory:") as url:
        yield url


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /api/v2/pages/?q=" + b"x" * 9000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400),
        (
            b"GET /api/v2/pages/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + b"".join(b"X-Filler-%d: x\r\n" % n for n in range(120))
            + b"\r\n",
            431,
        ),
        (b"GET /api/v2/pages/ HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n", 400),
        (b"G\x00T /api/v2/pages/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400),
    ],
    ids=["request line too long", "too many headers", "malformed header", "malformed method"],
)
def test_what_the_app_server_refuses_before_django_is_answered_in_json(
    production_server, request_bytes, status
):
    status_line, headers, body = raw_request(production_server, request_bytes)

    assert status_line.startswith(f"HTTP/1.1 {status} ")
    assert headers["Content-Type"] == "application/json"
    answer = json.loads(body)
    assert answer["status"] == status
    assert answer["message"]
