"""Every error under /api/ is JSON with a human-readable `message` — never HTML, never a traceback.

Two layers: DRF's exception handler shapes errors raised inside API views, and
`ApiErrorMiddleware` covers everything else under /api/ (unknown endpoints, CSRF failures,
unhandled exceptions, an unreachable database).
"""

import logging
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler
from wagtail.api.v2.utils import BadRequestError

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
CLIENT_ERRORS = (Http404, PermissionDenied, BadRequest, SuspiciousOperation)
DATABASE_RETRY_AFTER_SECONDS = 5


def error_body(status: int, message: str, **extra) -> dict:
    return {"message": message, "status": status, **extra}


def error_response(status: int, message: str, headers=None, **extra) -> JsonResponse:
    response = JsonResponse(error_body(status, message, **extra), status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _flatten_detail(detail) -> str:
    if isinstance(detail, dict):
        return "; ".join(f"{field}: {_flatten_detail(value)}" for field, value in detail.items())
    if isinstance(detail, list):
        return " ".join(_flatten_detail(item) for item in detail)
    return str(detail)


def api_exception_handler(exc, context):
    """DRF EXCEPTION_HANDLER: `{"message", "status"}` plus `errors` for field validation."""
    if isinstance(exc, OperationalError | InterfaceError):
        logger.error("Database unavailable while serving %s", context["request"].path)
        return database_unavailable()
    if isinstance(exc, BadRequestError):
        return error_response(HTTPStatus.BAD_REQUEST, str(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(exc, exceptions.ValidationError) and isinstance(detail, dict):
        body = error_body(response.status_code, _flatten_detail(detail), errors=detail)
    elif isinstance(detail, dict) and "detail" in detail:
        body = error_body(response.status_code, str(detail["detail"]))
    elif isinstance(detail, dict) and "message" in detail:
        body = error_body(response.status_code, str(detail["message"]))
    else:
        body = error_body(response.status_code, _flatten_detail(detail))
    response.data = body
    return response


class JsonErrorsMixin:
    """For Wagtail API viewsets, whose own handler answers `{"message"}` without a status."""

    def handle_exception(self, exc):
        if isinstance(exc, Http404):
            return error_response(HTTPStatus.NOT_FOUND, str(exc) or "Not found.")
        if isinstance(exc, BadRequestError):
            return error_response(HTTPStatus.BAD_REQUEST, str(exc))
        return super().handle_exception(exc)


def database_unavailable() -> JsonResponse:
    return error_response(
        HTTPStatus.SERVICE_UNAVAILABLE,
        "The service is temporarily unavailable. Please retry shortly.",
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
    )


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 300:
            return response
        if response.status_code == HTTPStatus.NOT_MODIFIED:
            return response  # a view's own answer to a conditional GET: no redirect, no body
        if response.status_code < 400:
            return redirect_as_json(response)
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        message = _message_for(status)
        replacement = error_response(status, message)
        for header in ("Allow", "Retry-After", "Vary"):
            if response.has_header(header):
                replacement[header] = response[header]
        return replacement

    def process_exception(self, request, exception):
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, RequestDataTooBig):
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            return error_response(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"Request body too large: the API accepts at most {limit:,} bytes.",
            )
        if isinstance(exception, CLIENT_ERRORS):
            # Django turns these into 4xx responses, which __call__ then answers as JSON.
            return None
        if isinstance(exception, OperationalError | InterfaceError):
            logger.error("Database unavailable while serving %s", request.path)
            return database_unavailable()
        logger.exception("Unhandled error while serving %s", request.path, exc_info=exception)
        if isinstance(exception, DatabaseError):
            return database_unavailable()
        return error_response(HTTPStatus.INTERNAL_SERVER_ERROR, "Internal server error.")


def redirect_as_json(response):
    """A redirect under /api/ (e.g. a missing trailing slash) says where to go in JSON too."""
    if response.get("Content-Type", "").startswith("application/json"):
        return response
    location = response.get("Location", "")
    replacement = JsonResponse(
        {"message": f"Moved: use {location}", "status": response.status_code, "location": location},
        status=response.status_code,
    )
    for header in ("Location", "Vary", "Cache-Control"):
        if response.has_header(header):
            replacement[header] = response[header]
    return replacement


def _message_for(status: int) -> str:
    messages = {
        HTTPStatus.NOT_FOUND: "Not found: there is no such endpoint or object.",
        HTTPStatus.METHOD_NOT_ALLOWED: "Method not allowed.",
        HTTPStatus.FORBIDDEN: "Forbidden.",
        HTTPStatus.BAD_REQUEST: "Bad request.",
        HTTPStatus.REQUEST_ENTITY_TOO_LARGE: "Request body too large.",
    }
    try:
        return messages.get(status) or HTTPStatus(status).phrase
    except ValueError:
        return "Error."
