"""The OpenAPI 3.1 document of /api/v2/, assembled from each app's own part.

`manage.py export_contract` writes it to frontend_contract/openapi.json (CI checks it is fresh);
`/api/v2/openapi.json` serves it. The digest (pages, vocabulary, media, feeds, newsletter) and
search each describe their own endpoints (digest.api.openapi, search.openapi); this composition
root only puts them together, so no app needs to import another's contract.
"""

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from core import webhooks
from core.languages import LANGUAGES
from core.openapi import obj, ref
from digest.api import openapi as digest_contract
from search.openapi import search_paths, search_schemas

API_VERSION = "2.0.0"
API_ROOT = "/api/v2/"

INDEX_SCHEMA = obj(
    {
        "title": {"type": "string"},
        "version": {"type": "string"},
        "languages": {"type": "array", "items": {"type": "string", "enum": list(LANGUAGES)}},
        "endpoints": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "operationId → URL (a template where the path has parameters).",
        },
    }
)


def build_document() -> dict:
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Situation Desk API",
            "version": API_VERSION,
            "description": (
                "Read-only API of the Situation Desk CMS: weekly situation reports on Belarus "
                "in English (en), Belarusian (be) and Russian (ru). Every error is JSON "
                "`{message, status}`. Public URLs point at the frontend."
            ),
        },
        # Relative: the same document describes every deployment (and the committed copy).
        "servers": [{"url": "/", "description": "The CMS serving this document"}],
        "paths": {
            API_ROOT: digest_contract.operation(
                "The index: every endpoint's URL", [], ref("ApiIndex"), operationId="apiIndex"
            ),
            **digest_contract.paths(),
            **search_paths(),
            "/api/v2/openapi.json": digest_contract.operation(
                "This document", [], {"type": "object"}, operationId="openapi"
            ),
            **digest_contract.newsletter_paths(),
        },
        # What the CMS sends: a frontend's revalidation endpoint implements these.
        "webhooks": webhooks.contract_webhooks(),
        "components": {
            "schemas": {
                "ApiIndex": INDEX_SCHEMA,
                **digest_contract.common_schemas(),
                **digest_contract.block_schemas(),
                **digest_contract.page_schemas(),
                **search_schemas(),
                **webhooks.contract_schemas(),
            },
            "responses": digest_contract.error_responses(),
        },
    }


@csrf_exempt
@require_safe
def openapi_view(request):
    return JsonResponse(build_document(), json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_safe
def api_index(request):
    """GET /api/v2/: every operation of the contract by its operationId, at this server."""
    base = f"{settings.WAGTAILAPI_BASE_URL}{API_ROOT}"
    endpoints = {
        operation["operationId"]: base + path.removeprefix(API_ROOT)
        for path, operations in build_document()["paths"].items()
        for operation in operations.values()
    }
    return JsonResponse(
        {
            "title": "Situation Desk API",
            "version": API_VERSION,
            "languages": list(LANGUAGES),
            "endpoints": endpoints,
        }
    )
