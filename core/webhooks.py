"""Outbound revalidation webhooks: signed JSON POSTs, sent by django-tasks with retries.

Each change (core.revalidation) becomes one WebhookDelivery per endpoint — the active
WebhookEndpoints of the admin and the URLs in WEBHOOK_URLS — and one `deliver_webhook` task.
The body is the same JSON for every endpoint; the `X-Situation-Desk-Signature` header is
`sha256=` and the HMAC-SHA256 of the exact body bytes with the endpoint's secret, in hex.

A 2xx answer delivers. A network error, a time-out, 408, 429 or a 5xx is retried after
WEBHOOK_RETRY_BACKOFF_SECONDS × 2^(attempt-1), up to WEBHOOK_MAX_ATTEMPTS attempts; any other
answer (a redirect, a 4xx: the receiver refuses this delivery) fails at once. Backends that
cannot defer (the immediate backend in tests) retry at once.
"""

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from core.models import WebhookDelivery, WebhookEndpoint
from core.openapi import DATETIME, obj, ref
from core.retry import backoff, enqueue_after
from core.revalidation import EVENTS, SEVERAL_EVENTS

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Situation-Desk-Signature"
EVENT_HEADER = "X-Situation-Desk-Event"
DELIVERY_HEADER = "X-Situation-Desk-Delivery"
USER_AGENT = "SituationDesk-Webhooks/1.0"
RETRYABLE_STATUSES = {408, 429}
ERROR_LENGTH = 1000


def body_of(payload: dict) -> bytes:
    """The exact bytes sent and signed: the same for every attempt."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def notify(payload: dict) -> list[WebhookDelivery]:
    """Record one delivery per endpoint and hand each to the task queue."""
    targets = [
        (endpoint, endpoint.url) for endpoint in WebhookEndpoint.objects.filter(is_active=True)
    ]
    targets += [(None, url) for url in settings.WEBHOOK_URLS]
    deliveries = [
        WebhookDelivery.objects.create(
            endpoint=endpoint, url=url, event=payload["event"], payload=payload
        )
        for endpoint, url in targets
    ]
    for delivery in deliveries:
        delivery_id = delivery.pk
        transaction.on_commit(lambda delivery_id=delivery_id: deliver_webhook.enqueue(delivery_id))
    return deliveries


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirected POST would arrive as a GET without its body; report the redirect instead.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(url: str, body: bytes, headers: dict) -> int:
    """POST and return the HTTP status; raises OSError when nothing answered."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@task()
def deliver_webhook(delivery_id: int) -> str:
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status in {
        WebhookDelivery.Status.DELIVERED,
        WebhookDelivery.Status.FAILED,
    }:
        return "skipped"
    secret = delivery.endpoint.secret if delivery.endpoint else settings.WEBHOOK_SECRET
    body = body_of(delivery.payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.pk),
        SIGNATURE_HEADER: signature(secret, body),
    }

    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    try:
        status = post(delivery.url, body, headers)
        delivery.response_status, delivery.error = status, ""
        retryable = status >= 500 or status in RETRYABLE_STATUSES
        if 200 <= status < 300:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.save()
            return "delivered"
        delivery.error = f"HTTP {status}"
    except OSError as exc:  # refused, unreachable, timed out, TLS trouble
        delivery.response_status, delivery.error = None, f"{type(exc).__name__}: {exc}"
        retryable = True
    delivery.error = delivery.error[:ERROR_LENGTH]

    if retryable and delivery.attempts < settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.RETRYING
        delivery.save()
        logger.warning(
            "Webhook %s to %s failed (attempt %s), retrying: %s",
            delivery.pk,
            delivery.url,
            delivery.attempts,
            delivery.error,
        )
        enqueue_after(
            deliver_webhook,
            backoff(settings.WEBHOOK_RETRY_BACKOFF_SECONDS, delivery.attempts),
            delivery.pk,
        )
        return "retrying"
    delivery.status = WebhookDelivery.Status.FAILED
    delivery.save()
    logger.error("Webhook %s to %s failed for good: %s", delivery.pk, delivery.url, delivery.error)
    return "failed"


# ---- the contract: OpenAPI 3.1 `webhooks` -----------------------------------------------------


def contract_schemas() -> dict:
    event = {"enum": [*EVENTS, SEVERAL_EVENTS]}
    return {
        "WebhookPayload": obj(
            {
                "id": {"type": "string", "format": "uuid", "description": "Unique per change."},
                "event": {
                    **event,
                    "description": f"The kind of change, or `{SEVERAL_EVENTS}` when one "
                    "transaction made several kinds (then see `events`). "
                    + " ".join(f"`{name}`: {text}" for name, text in EVENTS.items()),
                },
                "events": {"type": "array", "items": {"enum": list(EVENTS)}, "minItems": 1},
                "occurred_at": {**DATETIME, "type": "string"},  # never null
                "paths": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Frontend paths to rebuild or purge, in every language: the "
                    "changed pages (old and new paths of a move), their weeks, archives and home "
                    "pages. A path that no longer answers is to be deleted.",
                },
                "urls": {
                    "type": "array",
                    "items": {"type": "string", "format": "uri"},
                    "description": "The same paths on FRONTEND_BASE_URL.",
                },
            },
            description="What changed in one committed transaction.",
        )
    }


def contract_webhooks() -> dict:
    header = {"in": "header", "required": True}
    return {
        "contentChanged": {
            "post": {
                "operationId": "contentChanged",
                "summary": "Content readers see changed: revalidate these paths",
                "description": (
                    "POSTed to each active endpoint of the admin (Settings → Webhook "
                    "endpoints) and each URL of WEBHOOK_URLS once a transaction that changed "
                    f"what readers see has committed. Verify `{SIGNATURE_HEADER}` before "
                    "trusting the body: `sha256=` and the hex HMAC-SHA256 of the exact body "
                    "bytes, keyed with the endpoint's secret (WEBHOOK_SECRET for WEBHOOK_URLS); "
                    "compare in constant time. A 2xx answer delivers; a network error, time-out, "
                    "408, 429 or 5xx is retried with exponential back-off (WEBHOOK_MAX_ATTEMPTS "
                    "attempts, default 6); any other answer fails the delivery at once. A "
                    f"retried delivery keeps its `{DELIVERY_HEADER}` and its body: deduplicate "
                    "by either."
                ),
                "parameters": [
                    {
                        **header,
                        "name": SIGNATURE_HEADER,
                        "schema": {"type": "string", "pattern": "^sha256=[0-9a-f]{64}$"},
                        "description": "HMAC-SHA256 of the body with the endpoint's secret.",
                    },
                    {
                        **header,
                        "name": EVENT_HEADER,
                        "schema": {"type": "string"},
                        "description": "The payload's `event`.",
                    },
                    {
                        **header,
                        "name": DELIVERY_HEADER,
                        "schema": {"type": "string"},
                        "description": "This delivery's id, the same on every retry.",
                    },
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref("WebhookPayload")}},
                },
                "responses": {
                    "2XX": {"description": "Delivered."},
                    "default": {"description": "Not delivered: retried or failed, as above."},
                },
            }
        }
    }
