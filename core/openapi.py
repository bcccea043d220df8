"""Building blocks of the OpenAPI 3.1 document, for each app's part of it (JSON Schema 2020-12).

Each endpoint declares its parameters (core.query) and its response schemas next to the code that
writes them; the apps' `openapi` modules list their operations, and cms.openapi assembles them.
"""

from core.languages import LANGUAGES

REF = "#/components/schemas/"
LOCALE = {"type": "string", "enum": list(LANGUAGES)}
DATETIME = {"type": ["string", "null"], "format": "date-time"}
PATH_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}


def ref(name: str) -> dict:
    return {"$ref": REF + name}


def nullable(schema: dict) -> dict:
    return {"oneOf": [schema, {"type": "null"}]}


def obj(properties: dict, required=None, **extra) -> dict:
    """A closed object: every property required unless `required` says otherwise."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else list(required),
        "additionalProperties": False,
        **extra,
    }


def listing(item_ref: str) -> dict:
    return obj({"meta": ref("ListingMeta"), "items": {"type": "array", "items": ref(item_ref)}})


# What every GET answer carries (core.api_cache): a validator, freshness for browsers and CDNs,
# and what a cached copy varies on. Last-Modified is left out until its second is over.
CACHE_HEADERS = {
    "ETag": {
        "description": "Strong validator of this representation (one per content coding); "
        "send it back in If-None-Match.",
        "schema": {"type": "string"},
    },
    "Last-Modified": {
        "description": "When this answer last changed: it stays while changes elsewhere "
        "leave it byte for byte the same (absent within the second of a change).",
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": "`public, max-age=0, s-maxage=…, stale-while-revalidate=…` for anyone; "
        "`private, no-store` for previews and signed-in requests.",
        "required": True,
        "schema": {"type": "string"},
    },
    "Vary": {"schema": {"type": "string"}},
}
NOT_MODIFIED = {
    "description": "Not modified: the If-None-Match ETag (or If-Modified-Since) still holds; "
    "no body, use the copy you have.",
    "headers": {name: CACHE_HEADERS[name] for name in ("ETag", "Cache-Control")},
}


def responses(ok_schema: dict | None, *errors: int, content_type="application/json") -> dict:
    """A GET's answers: 200 with its validators and caching headers, 304, the errors."""
    result = {}
    if ok_schema is not None:
        result["200"] = {
            "description": "OK",
            "headers": CACHE_HEADERS,
            "content": {content_type: {"schema": ok_schema}},
        }
        result["304"] = {"$ref": "#/components/responses/NotModified"}
    # Any answer the cache cannot give while the database is unavailable (core.api_errors).
    for status in (*errors, 503):
        result[str(status)] = {"$ref": f"#/components/responses/Error{status}"}
    return result


def operation(summary, parameters, ok, *errors, content_type="application/json", **extra):
    return {
        "get": {
            "summary": summary,
            "parameters": parameters,
            "responses": responses(ok, *errors, content_type=content_type),
            **extra,
        }
    }
