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


BOUNDED_INTEGERS = operations_with(
    lambda p: p["schema"].get("type") == "integer" and "maximum" in p["schema"]
)
ENUMS = operations_with(lambda p: "enum" in p["schema"])
BOOLEANS = operations_with(lambda p: p["schema"].get("type") == "boolean")


def schema_of(path: str, name: str) -> dict:
    operation = build_document()["paths"][path]["get"]
    return next(p["schema"] for p in operation["parameters"] if p["name"] == name)


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "name", "others"), BOUNDED_INTEGERS)
def test_every_integer_parameter_takes_its_maximum_and_refuses_one_more(client, path, name, others):
    maximum = schema_of(path, name)["maximum"]

    at_most = client.get(path, {**others, name: maximum})
    beyond = client.get(path, {**others, name: maximum + 1})

    assert at_most.status_code == 200, (path, name, at_most.content[:200])
    assert beyond.status_code == 400, (path, name)
    assert_matches_contract(at_most)
    assert_matches_contract(beyond)


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "name", "others"), ENUMS)
def test_every_enum_parameter_refuses_an_empty_value(client, path, name, others):
    response = client.get(path, {**others, name: ""})

    assert response.status_code == 400, (path, name, response.content[:200])
    assert_matches_contract(response)


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "name", "others"), BOOLEANS)
@pytest.mark.parametrize("value", ["true", "false"])
def test_every_boolean_parameter_is_accepted_alone(client, path, name, others, value):
    response = client.get(path, {**others, name: value})

    # Accepted: not refused as a bad request (the preview's example token is no token: 404).
    expected = 404 if path == "/api/v2/page_preview/" else 200
    assert response.status_code == expected, (path, name, response.content[:200])
    assert_matches_contract(response)


def test_these_classes_are_found_in_the_contract():
    assert ("/api/v2/pages/", "offset") in {(path, name) for path, name, _ in BOUNDED_INTEGERS}
    assert ("/api/v2/pages/", "locale") in {(path, name) for path, name, _ in ENUMS}
    assert ("/api/v2/pages/", "fallback") in {(path, name) for path, name, _ in BOOLEANS}
