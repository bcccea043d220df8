"""Everything that puts newsletter mail on the wire, as django-tasks tasks run by `db_worker`.

A weekly send goes: `start_digest_send` (one DigestSend per language) → `plan_digest_send`
(render once, create one Delivery per confirmed subscriber, enqueue batches) →
`send_digest_batch` (claim, send over one SMTP connection, record).

Idempotency: a Delivery is unique per (subscriber, week) and is created before anything is sent;
a batch only sends deliveries it atomically moved from "queued" to "sending". So starting a send
twice, or two workers running the same batch, mails nobody twice. A worker that dies mid-batch
leaves its claimed deliveries in "sending": they are never resent, because the SMTP server may
already have accepted them (at most once, never twice).

Retries: when the SMTP server is unreachable or answers with a temporary error, the rest of the
batch goes back to "queued" and a new batch task is enqueued with `run_after` set to an
exponentially growing delay (NEWSLETTER_RETRY_BACKOFF_SECONDS × 2^(attempt-1)), up to
NEWSLETTER_MAX_ATTEMPTS attempts; then the deliveries are marked failed. Backends that cannot
defer (the immediate backend in tests) retry at once. Permanent refusals of one recipient (5xx)
fail that delivery only.
"""

import datetime
import logging
import smtplib
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from digest.newsletter.content import published_report, week_digest
from digest.newsletter.emails import (
    DigestTemplate,
    PrebuiltEmailMessage,
    RenderedDigest,
    confirmation_message,
    render_digest,
)
from digest.newsletter.models import Delivery, DigestSend, Edition, Subscriber

logger = logging.getLogger(__name__)

SMTP_ERRORS = (smtplib.SMTPException, OSError)


# ---- SMTP outcomes, pacing and retries ----------------------------------------------------


def is_permanent_refusal(exc: BaseException) -> bool:
    """A 5xx refusal of this recipient or this message: retrying cannot help, and the next
    message may still go through. Anything else (no connection, time-outs, 4xx, a refused
    sender or login) concerns the whole connection and is worth retrying later."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    return False


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]


def retry_delay(attempt: int) -> float:
    return settings.NEWSLETTER_RETRY_BACKOFF_SECONDS * 2 ** (attempt - 1)


def enqueue_after(task_obj, delay_seconds: float, *args):
    """Enqueue, deferred by `delay_seconds` where the backend can defer."""
    if delay_seconds > 0 and task_obj.get_backend().supports_defer:
        run_after = timezone.now() + datetime.timedelta(seconds=delay_seconds)
        task_obj = task_obj.using(run_after=run_after)
    return task_obj.enqueue(*args)


class Pacer:
    """Keeps one worker at or under `per_second` messages (0: no limit)."""

    def __init__(self, per_second: float, clock=time.monotonic, sleep=time.sleep):
        self.interval = 1 / per_second if per_second > 0 else 0.0
        self.clock = clock
        self.sleep = sleep
        self.next_at: float | None = None

    def wait(self) -> None:
        if not self.interval:
            return
        now = self.clock()
        if self.next_at is not None and self.next_at > now:
            self.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = now + self.interval


@dataclass
class BatchOutcome:
    sent: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)
    # Not sent because the connection failed; worth another attempt later.
    unsent: list[int] = field(default_factory=list)
    error: str = ""


def send_each(items: list, build: Callable, pacer: Pacer) -> BatchOutcome:
    """Sends `build(item, connection)` for each item (which has a `pk`) over one connection."""
    outcome = BatchOutcome()
    connection = get_connection()
    try:
        connection.open()
    except SMTP_ERRORS as exc:
        outcome.unsent = [item.pk for item in items]
        outcome.error = describe(exc)
        return outcome
    try:
        for index, item in enumerate(items):
            pacer.wait()
            try:
                hand_over(connection, build(item, connection))
            except SMTP_ERRORS as exc:
                if is_permanent_refusal(exc):
                    outcome.refused[item.pk] = describe(exc)
                    continue
                outcome.unsent = [later.pk for later in items[index:]]
                outcome.error = describe(exc)
                break
            outcome.sent.append(item.pk)
    finally:
        try:
            connection.close()
        except SMTP_ERRORS:
            logger.info(
                "Closing the SMTP connection failed; the messages were already handed over."
            )
    return outcome


def hand_over(connection, message) -> None:
    """Gives one message to the mail backend. A prebuilt digest goes straight to the open SMTP
    session: Django's backend would re-parse its envelope addresses for every one of thousands
    of messages, which costs more than building the message did."""
    session = getattr(connection, "connection", None)
    if isinstance(message, PrebuiltEmailMessage) and isinstance(session, smtplib.SMTP):
        session.sendmail(message.envelope_from, [message.envelope_to], message.raw_crlf)
    else:
        connection.send_messages([message])


def chunked(values: list, size: int) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


# ---- confirmation mail ----------------------------------------------------------------------


# A reader is waiting for this one: it goes ahead of indexing and digest batches in the queue.
@task(priority=10)
def send_confirmation(subscriber_id: int, attempt: int = 1) -> str:
    """The double opt-in mail. SMTP trouble never reaches the subscriber's request: it is
    logged and retried with backoff."""
    subscriber = (
        Subscriber.objects.filter(pk=subscriber_id, status=Subscriber.Status.PENDING)
        .exclude(confirm_nonce="")
        .first()
    )
    if subscriber is None:
        return "skipped"
    try:
        confirmation_message(subscriber).send()
    except SMTP_ERRORS as exc:
        if is_permanent_refusal(exc) or attempt >= settings.NEWSLETTER_MAX_ATTEMPTS:
            logger.error(
                "Confirmation mail to subscriber %s failed for good: %s", subscriber_id, exc
            )
            return "failed"
        logger.warning(
            "Confirmation mail to subscriber %s failed (attempt %s), retrying: %s",
            subscriber_id,
            attempt,
            exc,
        )
        enqueue_after(send_confirmation, retry_delay(attempt), subscriber_id, attempt + 1)
        return "retrying"
    return "sent"


# ---- the weekly digest ----------------------------------------------------------------------


def start_digest_send(week_start: datetime.date, started_by=None) -> list[DigestSend]:
    """Starts (or, when already started, tops up) the send of one published week in every
    language. Raises WeekNotPublished when the English week is not live."""
    published_report(week_start)
    sends = []
    for language in Edition.values:
        send, _created = DigestSend.objects.get_or_create(
            week_start=week_start, locale=language, defaults={"started_by": started_by}
        )
        sends.append(send)
        plan_digest_send.enqueue(send.pk)
    return sends


# Digest work goes ahead of search and reference-index updates, which can wait a few minutes.
DIGEST_PRIORITY = 5


@task(priority=DIGEST_PRIORITY)
def plan_digest_send(send_id: int) -> int:
    """Renders the digest (first time only), records a delivery for every confirmed subscriber
    of the language who has none for this week, and enqueues the queued ones in batches.
    Returns the number of deliveries enqueued."""
    send = DigestSend.objects.get(pk=send_id)
    if not send.html:
        rendered = render_digest(week_digest(send.week_start, send.locale))
        DigestSend.objects.filter(pk=send.pk, html="").update(
            subject=rendered.subject, html=rendered.html, text=rendered.text
        )
        send.refresh_from_db()

    already = Delivery.objects.filter(week_start=send.week_start).values("subscriber_id")
    newcomers = (
        Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED, locale=send.locale)
        .exclude(pk__in=already)
        .values_list("pk", flat=True)
    )
    Delivery.objects.bulk_create(
        (Delivery(send=send, subscriber_id=pk, week_start=send.week_start) for pk in newcomers),
        batch_size=1000,
        # A concurrent planner may have created some of them: the unique constraint decides.
        ignore_conflicts=True,
    )
    queued = list(
        send.deliveries.filter(status=Delivery.Status.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if queued:
        DigestSend.objects.filter(pk=send.pk).update(finished_at=None)
    for batch in chunked(queued, settings.NEWSLETTER_BATCH_SIZE):
        send_digest_batch.enqueue(send.pk, batch)
    _finish_if_done(send)
    return len(queued)


@task(priority=DIGEST_PRIORITY)
def send_digest_batch(send_id: int, delivery_ids: list[int], attempt: int = 1) -> dict:
    """Sends the still-queued deliveries among `delivery_ids`; returns counts by outcome."""
    send = DigestSend.objects.get(pk=send_id)
    claim = uuid.uuid4()
    Delivery.objects.filter(pk__in=delivery_ids, send=send, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.SENDING, claim=claim, attempts=F("attempts") + 1
    )
    claimed = list(Delivery.objects.filter(claim=claim).select_related("subscriber").order_by("pk"))
    if not claimed:
        # Another run of this batch (a restarted send, a second worker) got there first.
        return {"sent": 0, "refused": 0, "unsent": 0, "skipped": 0}
    # Someone who unsubscribed after the send was planned gets nothing.
    gone = [d.pk for d in claimed if d.subscriber.status != Subscriber.Status.CONFIRMED]
    deliveries = [d for d in claimed if d.subscriber.status == Subscriber.Status.CONFIRMED]

    template = DigestTemplate(
        RenderedDigest(subject=send.subject, html=send.html, text=send.text, language=send.locale)
    )
    outcome = send_each(
        deliveries,
        lambda delivery, connection: template.message_for(delivery.subscriber, connection),
        Pacer(settings.NEWSLETTER_SEND_RATE),
    )
    _record(send, claim, outcome, gone, attempt)
    _finish_if_done(send)
    return {
        "sent": len(outcome.sent),
        "refused": len(outcome.refused),
        "unsent": len(outcome.unsent),
        "skipped": len(gone),
    }


def _record(
    send: DigestSend,
    claim: uuid.UUID,
    outcome: BatchOutcome,
    gone: Iterable[int],
    attempt: int,
) -> None:
    now = timezone.now()
    claimed = Delivery.objects.filter(claim=claim)
    with transaction.atomic():
        claimed.filter(pk__in=outcome.sent).update(
            status=Delivery.Status.SENT, sent_at=now, claim=None, last_error=""
        )
        claimed.filter(pk__in=list(gone)).update(
            status=Delivery.Status.SKIPPED, claim=None, last_error="Unsubscribed before sending."
        )
        for pk, error in outcome.refused.items():
            claimed.filter(pk=pk).update(
                status=Delivery.Status.FAILED, claim=None, last_error=error
            )
        if not outcome.unsent:
            return
        if attempt >= settings.NEWSLETTER_MAX_ATTEMPTS:
            logger.error(
                "Digest %s: %s deliveries failed after %s attempts: %s",
                send,
                len(outcome.unsent),
                attempt,
                outcome.error,
            )
            claimed.filter(pk__in=outcome.unsent).update(
                status=Delivery.Status.FAILED, claim=None, last_error=outcome.error
            )
            return
        claimed.filter(pk__in=outcome.unsent).update(
            status=Delivery.Status.QUEUED, claim=None, last_error=outcome.error
        )
    logger.warning(
        "Digest %s: SMTP trouble after %s sent (attempt %s), retrying %s: %s",
        send,
        len(outcome.sent),
        attempt,
        len(outcome.unsent),
        outcome.error,
    )
    enqueue_after(send_digest_batch, retry_delay(attempt), send.pk, outcome.unsent, attempt + 1)


def _finish_if_done(send: DigestSend) -> None:
    open_statuses = [Delivery.Status.QUEUED, Delivery.Status.SENDING]
    if not send.deliveries.filter(status__in=open_statuses).exists():
        DigestSend.objects.filter(pk=send.pk, finished_at__isnull=True).update(
            finished_at=timezone.now()
        )
