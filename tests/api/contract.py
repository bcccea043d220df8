"""Checks API responses against the committed OpenAPI contract (frontend_contract/openapi.json)."""

import json
import re
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

CONTRACT = Path(__file__).resolve().parents[2] / "frontend_contract" / "openapi.json"


@cache
def document() -> dict:
    return json.loads(CONTRACT.read_text(encoding="utf-8"))


@cache
def _path_patterns():
    patterns = []
    for template in document()["paths"]:
        parts = re.split(r"\{[^}]+\}", template)
        regex = "^" + "[^/]+".join(re.escape(part) for part in parts) + "$"
        patterns.append((re.compile(regex), template))
    return patterns


def operation_for(path: str, method: str = "get") -> tuple[str, dict]:
    for pattern, template in _path_patterns():
        if pattern.match(path):
            operations = document()["paths"][template]
            assert method in operations, f"{method.upper()} {template} is not in the contract"
            return template, operations[method]
    raise AssertionError(f"{path} is not described in the API contract")


def schema_for(path: str, status: int, method: str = "get") -> dict | None:
    template, operation = operation_for(path, method)
    responses = operation["responses"]
    response = responses.get(str(status))
    assert response is not None, f"status {status} of {template} is not in the contract"
    if "$ref" in response:
        name = response["$ref"].rsplit("/", 1)[1]
        response = document()["components"]["responses"][name]
    content = response.get("content", {})
    if "application/json" not in content:
        return None
    return content["application/json"]["schema"]


@cache
def _validator(schema_json: str) -> Draft202012Validator:
    root = {**document(), **json.loads(schema_json)}
    return Draft202012Validator(root, format_checker=FormatChecker())


def validate(instance, schema: dict) -> None:
    _validator(json.dumps(schema, sort_keys=True)).validate(instance)


def assert_matches_contract(response) -> None:
    """The response's status and JSON body are what the contract promises for its path."""
    path = response.wsgi_request.path
    method = response.wsgi_request.method.lower()
    schema = schema_for(path, response.status_code, method if method != "head" else "get")
    if schema is None:
        return
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    validate(json.loads(response.content), schema)


def component(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}
