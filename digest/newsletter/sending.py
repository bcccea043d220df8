"""Everything that puts newsletter mail on the wire, as django-tasks tasks run by `db_worker`.

A weekly send goes: `start_digest_send` (one DigestSend per language) → `plan_digest_send`
(render once, create one Delivery per confirmed subscriber, enqueue batches) →
`send_digest_batch` (over one SMTP connection, a chunk at a time: claim, send, record).

Idempotency: a Delivery is unique per (subscriber, week) and is created before anything is sent;
a batch only sends deliveries it atomically moved from "queued" to "sending" (setting
`claimed_at`). So starting a send twice, or two workers running the same batch, mails nobody
twice. A delivery is recorded "sent" only after the SMTP server accepted it.

Interruption: a batch claims and records NEWSLETTER_RECORD_EVERY deliveries at a time (10;
recording one chunk and claiming the next is one transaction), so a worker killed mid-batch
leaves at most that one chunk in "sending", and the rest of its batch in "queued" (never handed
over: starting the send again, or resending interrupted deliveries, enqueues it). A batch that
stops on an exception (the worker's second Ctrl+C, a bug) records what it knows, leaves only the
message SMTP had in hand in "sending", and queues the rest again. What stays in "sending" is never
resent automatically: the SMTP server may already have accepted it (at most once, never twice).
After NEWSLETTER_INTERRUPTED_AFTER_MINUTES (30) such a delivery counts as *interrupted*: the
admin's send log shows it, and `resend_interrupted` — the admin's "Resend interrupted
deliveries" after a confirmation, or `send_digest --resend-interrupted` — queues it again on
someone's explicit decision, accepting that its subscriber may get the week twice. Deliveries
claimed more recently are still in a worker's hands and are never touched.

Retries: when the SMTP server is unreachable or answers with a temporary error, the rest of the
batch goes back to "queued" and a new batch task is enqueued with `run_after` set to an
exponentially growing delay (NEWSLETTER_RETRY_BACKOFF_SECONDS × 2^(attempt-1)), up to
NEWSLETTER_MAX_ATTEMPTS attempts; then the deliveries are marked failed. Backends that cannot
defer (the immediate backend in tests) retry at once. Permanent refusals of one recipient (5xx),
and a message that cannot be built, fail that delivery only.
"""

import datetime
import logging
import smtplib
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from core.retry import backoff, enqueue_after
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
    return backoff(settings.NEWSLETTER_RETRY_BACKOFF_SECONDS, attempt)


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


def send_each(items: list, build: Callable, pacer: Pacer, ledger: "Ledger") -> BatchOutcome:
    """Sends `build(item, connection)` for each item (which has a `pk`) over one connection.

    Items go in chunks of `ledger.every`: the ledger claims each chunk before it is sent and
    records the previous one, so that a worker dying midway leaves at most one chunk unrecorded.
    While a message is being handed over, `ledger.in_doubt` names its item. An item whose
    message cannot be built fails alone."""
    outcome = ledger.outcome
    connection = get_connection()
    try:
        connection.open()
    except SMTP_ERRORS as exc:
        outcome.unsent = [item.pk for item in items]
        outcome.error = describe(exc)
        return outcome
    try:
        for start in range(0, len(items), ledger.every):
            chunk = ledger.claim(items[start : start + ledger.every])
            for index, item in enumerate(chunk):
                pacer.wait()
                try:
                    message = build(item, connection)
                except Exception as exc:
                    logger.exception("The message for delivery %s could not be built.", item.pk)
                    outcome.refused[item.pk] = describe(exc)
                    continue
                ledger.in_doubt = item.pk
                try:
                    hand_over(connection, message)
                except SMTP_ERRORS as exc:
                    ledger.in_doubt = None
                    if is_permanent_refusal(exc):
                        outcome.refused[item.pk] = describe(exc)
                        continue
                    outcome.unsent = [later.pk for later in chunk[index:]] + [
                        later.pk for later in items[start + ledger.every :]
                    ]
                    outcome.error = describe(exc)
                    return outcome
                ledger.in_doubt = None
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
    queued = reopened_queue(send)
    enqueue_batches(send, queued)
    _finish_if_done(send)
    return len(queued)


def reopened_queue(send: DigestSend) -> list[int]:
    """The send's queued deliveries, in order; while there are any, the send is not finished."""
    queued = list(
        send.deliveries.filter(status=Delivery.Status.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if queued:
        DigestSend.objects.filter(pk=send.pk).update(finished_at=None)
    return queued


def enqueue_batches(send: DigestSend, queued: list[int]) -> None:
    for batch in chunked(queued, settings.NEWSLETTER_BATCH_SIZE):
        send_digest_batch.enqueue(send.pk, batch)


def record_every() -> int:
    return max(1, int(settings.NEWSLETTER_RECORD_EVERY))


def interrupted_after() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.NEWSLETTER_INTERRUPTED_AFTER_MINUTES)


@task(priority=DIGEST_PRIORITY)
def send_digest_batch(send_id: int, delivery_ids: list[int], attempt: int = 1) -> dict:
    """Sends the still-queued deliveries among `delivery_ids`; returns counts by outcome."""
    send = DigestSend.objects.get(pk=send_id)
    waiting = list(
        Delivery.objects.filter(pk__in=delivery_ids, send=send, status=Delivery.Status.QUEUED)
        .select_related("subscriber")
        .order_by("pk")
    )
    if not waiting:
        # Another run of this batch (a restarted send, a second worker) got there first.
        return {"sent": 0, "refused": 0, "unsent": 0, "skipped": 0}
    # Someone who unsubscribed after the send was planned gets nothing.
    gone = [d.pk for d in waiting if d.subscriber.status != Subscriber.Status.CONFIRMED]
    skipped = 0
    if gone:
        skipped = Delivery.objects.filter(pk__in=gone, status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.SKIPPED, claim=None, last_error="Unsubscribed before sending."
        )
    deliveries = [d for d in waiting if d.subscriber.status == Subscriber.Status.CONFIRMED]

    template = DigestTemplate(
        RenderedDigest(subject=send.subject, html=send.html, text=send.text, language=send.locale)
    )
    ledger = Ledger(send, attempt)
    try:
        outcome = send_each(
            deliveries,
            lambda delivery, connection: template.message_for(delivery.subscriber, connection),
            Pacer(settings.NEWSLETTER_SEND_RATE),
            ledger,
        )
    except BaseException as exc:
        ledger.stopped(deliveries, exc)
        raise
    ledger.finish()
    _finish_if_done(send)
    return {
        "sent": len(outcome.sent),
        "refused": len(outcome.refused),
        "unsent": len(outcome.unsent),
        "skipped": skipped,
    }


class Ledger:
    """Claims a batch's deliveries a chunk at a time (NEWSLETTER_RECORD_EVERY) and records what
    became of them, so that only the chunk being sent is ever in "sending".

    Claiming chunk k+1 and recording chunk k happen in one transaction (one commit per chunk).
    A delivery is recorded sent only after the SMTP server accepted it, and nothing that may
    have been handed over is ever put back in the queue here."""

    def __init__(self, send: DigestSend, attempt: int):
        self.send = send
        self.attempt = attempt
        self.every = record_every()
        self.claim_id = uuid.uuid4()
        self.outcome = BatchOutcome()
        self.claimed: set[int] = set()
        # The delivery being handed to SMTP right now, if any: accepted or not, nobody knows.
        self.in_doubt: int | None = None
        self._recorded_sent = 0
        self._recorded_refused: set[int] = set()

    @property
    def claimed_rows(self):
        return Delivery.objects.filter(claim=self.claim_id, status=Delivery.Status.SENDING)

    def claim(self, chunk: list) -> list:
        """Records what the previous chunk did and claims this one; returns the deliveries of
        `chunk` that this batch now owns (others may have been taken by another run)."""
        pks = [delivery.pk for delivery in chunk]
        with transaction.atomic():
            self.record()
            claimed = Delivery.objects.filter(pk__in=pks, status=Delivery.Status.QUEUED).update(
                status=Delivery.Status.SENDING,
                claim=self.claim_id,
                claimed_at=timezone.now(),
                attempts=F("attempts") + 1,
            )
            if claimed != len(pks):
                ours = set(self.claimed_rows.filter(pk__in=pks).values_list("pk", flat=True))
                chunk = [delivery for delivery in chunk if delivery.pk in ours]
        self.claimed.update(delivery.pk for delivery in chunk)
        return chunk

    def record(self) -> None:
        """Records the deliveries sent or refused since the last call (one UPDATE for the sent
        ones)."""
        sent = self.outcome.sent[self._recorded_sent :]
        if sent:
            self.claimed_rows.filter(pk__in=sent).update(
                status=Delivery.Status.SENT, sent_at=timezone.now(), claim=None, last_error=""
            )
            self._recorded_sent += len(sent)
        for pk, error in self.outcome.refused.items():
            if pk not in self._recorded_refused:
                self.claimed_rows.filter(pk=pk).update(
                    status=Delivery.Status.FAILED, claim=None, last_error=error
                )
                self._recorded_refused.add(pk)

    def finish(self) -> None:
        """Records the last chunk; deliveries left unsent by SMTP trouble are retried later or,
        after the last attempt, failed."""
        outcome = self.outcome
        with transaction.atomic():
            self.record()
            if not outcome.unsent:
                return
            claimed = [pk for pk in outcome.unsent if pk in self.claimed]
            # The rest were never claimed by this attempt: count it for them all the same.
            not_claimed = Delivery.objects.filter(
                pk__in=[pk for pk in outcome.unsent if pk not in self.claimed],
                status=Delivery.Status.QUEUED,
            )
            if self.attempt >= settings.NEWSLETTER_MAX_ATTEMPTS:
                logger.error(
                    "Digest %s: %s deliveries failed after %s attempts: %s",
                    self.send,
                    len(outcome.unsent),
                    self.attempt,
                    outcome.error,
                )
                self.claimed_rows.filter(pk__in=claimed).update(
                    status=Delivery.Status.FAILED, claim=None, last_error=outcome.error
                )
                not_claimed.update(
                    status=Delivery.Status.FAILED,
                    attempts=F("attempts") + 1,
                    last_error=outcome.error,
                )
                return
            self.claimed_rows.filter(pk__in=claimed).update(
                status=Delivery.Status.QUEUED, claim=None, claimed_at=None, last_error=outcome.error
            )
            not_claimed.update(attempts=F("attempts") + 1, last_error=outcome.error)
        logger.warning(
            "Digest %s: SMTP trouble after %s sent (attempt %s), retrying %s: %s",
            self.send,
            len(outcome.sent),
            self.attempt,
            len(outcome.unsent),
            outcome.error,
        )
        enqueue_after(
            send_digest_batch,
            retry_delay(self.attempt),
            self.send.pk,
            outcome.unsent,
            self.attempt + 1,
        )

    def stopped(self, deliveries: list, exc: BaseException) -> None:
        """The batch stopped on something other than SMTP (a crash, the worker being killed):
        records what is known and puts back in the queue what was certainly not handed over.
        The delivery in SMTP's hands at that moment, if any, stays in "sending" and is reported
        as interrupted later. When the worker is killed outright, this never runs, and the last
        claimed chunk stays in "sending" instead."""
        try:
            outcome = self.outcome
            done = {*outcome.sent, *outcome.refused, self.in_doubt}
            untouched = [d.pk for d in deliveries if d.pk not in done]
            with transaction.atomic():
                self.record()
                self.claimed_rows.filter(pk__in=untouched).update(
                    status=Delivery.Status.QUEUED, claim=None, claimed_at=None
                )
            logger.error(
                "Digest %s: the batch stopped (%s) after %s sent; %s left for later%s.",
                self.send,
                describe(exc),
                len(outcome.sent),
                len(untouched),
                "" if self.in_doubt is None else f", delivery {self.in_doubt} in doubt",
            )
            if untouched and self.attempt < settings.NEWSLETTER_MAX_ATTEMPTS:
                enqueue_after(
                    send_digest_batch,
                    retry_delay(self.attempt),
                    self.send.pk,
                    untouched,
                    self.attempt + 1,
                )
        except Exception:
            logger.exception("Digest %s: recording a stopped batch failed.", self.send)


# ---- interrupted deliveries -----------------------------------------------------------------


def interrupted_cutoff(as_of: datetime.datetime | None = None) -> datetime.datetime:
    """Deliveries claimed before this and still "sending" are interrupted."""
    now = timezone.now()
    return min(as_of or now, now) - interrupted_after()


def stale_claim(cutoff: datetime.datetime, prefix: str = "") -> Q:
    """Claimed before `cutoff`, or before claims were timed (so long ago)."""
    return Q(**{f"{prefix}claimed_at__lt": cutoff}) | Q(**{f"{prefix}claimed_at__isnull": True})


def interrupted(deliveries=None, as_of: datetime.datetime | None = None):
    """Deliveries "sending" for longer than NEWSLETTER_INTERRUPTED_AFTER_MINUTES (as of `as_of`,
    default now): their worker stopped, and SMTP may or may not have accepted them. One with
    no `claimed_at` was claimed before that was recorded, so long ago."""
    deliveries = Delivery.objects.all() if deliveries is None else deliveries
    return deliveries.filter(stale_claim(interrupted_cutoff(as_of)), status=Delivery.Status.SENDING)


class Resent(NamedTuple):
    # Interrupted deliveries put back in the queue: their subscribers may get the week twice.
    requeued: int
    # Queued deliveries enqueued in new batches (the re-queued ones included).
    enqueued: int


def resend_interrupted(
    send: DigestSend, as_of: datetime.datetime | None = None, by: str = ""
) -> Resent:
    """Puts the send's interrupted deliveries back in the queue and enqueues them, along with
    any other deliveries of the send still queued (a killed worker leaves the rest of its batch
    there; they were never handed over, and a claim decides who sends each). The re-queued
    subscribers may get the week twice, so this is only ever done on someone's explicit
    decision, never automatically. Deliveries still being sent are left alone."""
    with transaction.atomic():
        # One UPDATE, its conditions checked row by row: a delivery its worker recorded
        # meanwhile stays recorded, and one claimed again since `as_of` is not touched.
        requeued = interrupted(send.deliveries.all(), as_of).update(
            status=Delivery.Status.QUEUED,
            claim=None,
            claimed_at=None,
            last_error=f"Interrupted; queued again by {by or 'an operator'}.",
        )
        queued = reopened_queue(send)
    if requeued:
        logger.warning(
            "Digest %s: %s interrupted deliveries queued again by %s.",
            send,
            requeued,
            by or "an operator",
        )
    enqueue_batches(send, queued)
    return Resent(requeued=requeued, enqueued=len(queued))


def _finish_if_done(send: DigestSend) -> None:
    open_statuses = [Delivery.Status.QUEUED, Delivery.Status.SENDING]
    if not send.deliveries.filter(status__in=open_statuses).exists():
        DigestSend.objects.filter(pk=send.pk, finished_at__isnull=True).update(
            finished_at=timezone.now()
        )
