"""A subscription's life: requested → confirmed (double opt-in) → unsubscribed, with consent
recorded at each step. The API views are thin wrappers around these functions."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from digest.newsletter.models import ConsentRecord, Subscriber
from digest.newsletter.sending import send_confirmation
from digest.newsletter.tokens import (
    TokenError,
    TokenProblem,
    new_nonce,
    subscriber_for_confirm_token,
)


def _consent(subscriber: Subscriber, action: str, ip: str | None) -> None:
    ConsentRecord.objects.create(
        subscriber=subscriber,
        action=action,
        ip_address=ip or None,
        consent_text_version=settings.NEWSLETTER_CONSENT_TEXT_VERSION,
        locale=subscriber.locale,
    )


def request_subscription(email: str, normalized: str, locale: str, ip: str | None) -> None:
    """Queues the request; the caller answers the same way in every case.

    The request itself does the same work whatever the address — new, pending, confirmed or
    unsubscribed: it writes one task row. Everything that depends on the address is done by the
    worker (record_subscription_request), so neither the answer nor the time it takes tells
    anyone whether an address is subscribed."""
    record_subscription_request.enqueue(email, normalized, locale, ip)


# A reader is waiting for the mail this leads to: ahead of indexing and digest batches.
@task(priority=10)
def record_subscription_request(email: str, normalized: str, locale: str, ip: str | None) -> str:
    """Records the request and mails a confirmation link, unless the address is confirmed."""
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            email_normalized=normalized,
            defaults={"email": email, "locale": locale, "confirm_nonce": new_nonce()},
        )
        if subscriber.status == Subscriber.Status.CONFIRMED:
            return "already confirmed"
        if not created:
            # The latest request decides the language of the confirmation and the digest.
            subscriber.locale = locale
            if subscriber.status == Subscriber.Status.UNSUBSCRIBED or not subscriber.confirm_nonce:
                subscriber.status = Subscriber.Status.PENDING
                subscriber.confirm_nonce = new_nonce()
            subscriber.save(update_fields=["locale", "status", "confirm_nonce"])
        _consent(subscriber, ConsentRecord.Action.REQUESTED, ip)
    # Outside the transaction, and a task of its own: SMTP trouble is retried with backoff.
    send_confirmation.enqueue(subscriber.pk)
    return "requested"


def confirm_subscription(token: str, ip: str | None) -> Subscriber:
    """Confirms with a token from the confirmation mail; raises TokenError."""
    subscriber = subscriber_for_confirm_token(token)
    with transaction.atomic():
        # The nonce in the filter makes a token single-use even when two requests race.
        confirmed = Subscriber.objects.filter(
            pk=subscriber.pk, confirm_nonce=subscriber.confirm_nonce
        ).update(
            status=Subscriber.Status.CONFIRMED,
            confirm_nonce="",
            confirmed_at=timezone.now(),
            unsubscribed_at=None,
        )
        if not confirmed:
            raise TokenError(TokenProblem.USED)
        subscriber.refresh_from_db()
        _consent(subscriber, ConsentRecord.Action.CONFIRMED, ip)
    return subscriber


def unsubscribe(subscriber: Subscriber, ip: str | None) -> None:
    """Idempotent: unsubscribing twice changes nothing the second time."""
    with transaction.atomic():
        changed = (
            Subscriber.objects.filter(pk=subscriber.pk)
            .exclude(status=Subscriber.Status.UNSUBSCRIBED)
            .update(
                status=Subscriber.Status.UNSUBSCRIBED,
                confirm_nonce="",
                unsubscribed_at=timezone.now(),
            )
        )
        subscriber.refresh_from_db()
        if changed:
            _consent(subscriber, ConsentRecord.Action.WITHDRAWN, ip)


def change_language(subscriber: Subscriber, locale: str) -> None:
    subscriber.locale = locale
    subscriber.save(update_fields=["locale"])
