"""Every parameter of a class gets the same hostile values, taken from the contract itself, so
a new endpoint with a date or a path parameter is covered without a new test: extreme dates and
malformed URLs are a 400 (or an empty answer), never a 500."""

import pytest

from cms.openapi import build_document
from tests.api.contract import assert_matches_contract

EXTREME_DATES = ("0001-01-01", "0001-01-06", "9999-12-31", "2023-02-29", "2023-13-01")
MALFORMED_PATHS = (
    "http://[::1/",
    "//[::1/",
    "http://%5B::1/",
    "//%5B::1/",
    "http://[/",
    "https://user:pass@/",
    "/\\\\evil.example/",
    "/%00/",
    "/../../etc/passwd",
    "/" + "a/" * 40,
    "http:///x",
    "\u2028/",
)


def operations_with(predicate):
    """(path, parameter name, the other required parameters) of every GET whose query parameter
    matches `predicate`, from the contract."""
    found = []
    for path, item in build_document()["paths"].items():
        operation = item.get("get")
        if not operation or "{" in path:
            continue
        parameters = [p for p in operation.get("parameters", []) if p["in"] == "query"]
        required = {p["name"]: example(p) for p in parameters if p["required"]}
        found += [
            (path, p["name"], {k: v for k, v in required.items() if k != p["name"]})
            for p in parameters
            if predicate(p)
        ]
    return found


def example(parameter) -> str:
    schema = parameter["schema"]
    if "enum" in schema:
        return str(schema["enum"][0])
    return {"q": "border", "html_path": "/", "token": "x", "content_type": "digest.x"}.get(
        parameter["name"], "x"
    )


DATE_PARAMETERS = operations_with(lambda p: p["schema"].get("format") == "date")
PATH_PARAMETERS = operations_with(lambda p: p["name"].endswith("path"))


def test_the_classes_are_found_in_the_contract():
    assert {path for path, _name, _others in DATE_PARAMETERS} >= {
        "/api/v2/pages/",
        "/api/v2/trends/",
        "/api/v2/search/",
    }
    assert {path for path, _name, _others in PATH_PARAMETERS} == {
        "/api/v2/pages/find/",
        "/api/v2/redirects/find/",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "name", "others"), DATE_PARAMETERS)
@pytest.mark.parametrize("value", EXTREME_DATES)
def test_every_date_parameter_takes_extreme_dates_without_a_server_error(
    client, path, name, others, value
):
    extra = {"type": "digest.ArticlePage"} if path == "/api/v2/pages/" else {}
    response = client.get(path, {**others, **extra, name: value})
    assert response.status_code in (200, 400), (path, name, value, response.content[:200])
    assert_matches_contract(response)


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "name", "others"), PATH_PARAMETERS)
@pytest.mark.parametrize("value", MALFORMED_PATHS)
def test_every_path_parameter_takes_malformed_urls_without_a_server_error(
    client, path, name, others, value
):
    response = client.get(path, {**others, name: value})
    assert response.status_code in (200, 400, 404), (path, name, value)
    assert response["Content-Type"].startswith("application/json")
    assert_matches_contract(response)
