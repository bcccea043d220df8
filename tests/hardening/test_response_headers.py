"""Headers that hold for a whole class of answers: every write under /api/ is private, every
redirect under /api/ is JSON, and a served document never claims an encoding it does not have."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from cms.openapi import build_document

pytestmark = pytest.mark.django_db

WRITES = [
    (path, method)
    for path, item in build_document()["paths"].items()
    for method in item
    if method in ("post", "put", "patch", "delete")
]


def test_the_contract_has_writes_to_check():
    assert ("/api/v2/newsletter/subscribe/", "post") in WRITES


@pytest.mark.parametrize(("path", "method"), WRITES)
def test_every_write_under_the_api_is_never_stored_by_a_browser_proxy_or_cdn(client, path, method):
    response = getattr(client, method)(path, data="{}", content_type="application/json")
    assert response.status_code < 500
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("path", ["/api/v2/pages/3", "/api/v2/pages", "/api/v2/search"])
def test_a_redirect_under_the_api_answers_json_with_the_location(client, path):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["location"] == response["Location"] == path + "/"


def test_a_served_document_carries_no_content_encoding_none(client):
    document = get_document_model().objects.create(
        title="Annual report", file=ContentFile(b"%PDF-1.4 report", name="report.pdf")
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert response.get("Content-Encoding") in (None, "gzip", "br")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(("path", "method"), WRITES)
@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_every_write_refuses_deeply_nested_json_as_a_bad_request(client, path, method, opening):
    closing = "]" if opening == "[" else "}"
    body = opening * 100_000 + "1" + closing * 100_000
    response = getattr(client, method)(path, data=body, content_type="application/json")
    assert response.status_code == 400, response.content[:200]
    assert response.json()["message"].startswith("JSON parse error")
