"""`manage.py send_digest --week YYYY-MM-DD`: send one published week's digest to every
confirmed subscriber, in their language. Safe to run again: nobody gets the week twice.

`--resend-interrupted` instead puts that week's interrupted deliveries (left in "sending" by a
worker that stopped, for longer than NEWSLETTER_INTERRUPTED_AFTER_MINUTES) back in the queue.
Their subscribers may get the week twice: the SMTP server may have accepted them already."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from digest.newsletter.content import WeekNotPublished
from digest.newsletter.models import DigestSend
from digest.newsletter.sending import interrupted_after, resend_interrupted, start_digest_send
from digest.weeks import monday_of


def week(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--week must be a date (YYYY-MM-DD), got {value!r}") from exc


class Command(BaseCommand):
    help = "Send the digest of a published week to all confirmed subscribers (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--week",
            required=True,
            type=week,
            help="Any day of the week to send (its Monday is used), e.g. 2023-09-11.",
        )
        parser.add_argument(
            "--resend-interrupted",
            action="store_true",
            help=(
                "Only queue again the week's deliveries interrupted by a worker that stopped "
                "(their subscribers may get the week twice); start nothing else."
            ),
        )

    def handle(self, *args, week: datetime.date, resend_interrupted: bool, **options):
        week_start = monday_of(week)
        if resend_interrupted:
            self.resend_interrupted(week_start)
            return
        try:
            sends = start_digest_send(week_start)
        except WeekNotPublished as exc:
            raise CommandError(str(exc)) from exc
        for send in sends:
            send.refresh_from_db()
            counts = send.counts()
            self.stdout.write(
                f"{send.week_start} {send.locale}: {counts['sent']} sent, "
                f"{counts['queued'] + counts['sending']} in progress, {counts['failed']} failed"
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Queued. The worker (`manage.py db_worker`) delivers it; progress is in the "
                "admin under Newsletter → Digest sends."
            )
        )

    def resend_interrupted(self, week_start: datetime.date) -> None:
        sends = list(DigestSend.objects.filter(week_start=week_start).order_by("locale"))
        if not sends:
            raise CommandError(f"The digest for the week of {week_start} was never sent.")
        total = 0
        for send in sends:
            resent = resend_interrupted(send, by="manage.py send_digest --resend-interrupted")
            total += resent.requeued
            self.stdout.write(
                f"{send.week_start} {send.locale}: {resent.requeued} interrupted queued again, "
                f"{resent.enqueued} waiting deliveries enqueued"
            )
        minutes = int(interrupted_after().total_seconds() // 60)
        if total:
            self.stdout.write(
                self.style.WARNING(
                    f"{total} interrupted deliveries queued again; these subscribers may get "
                    "the week twice. The worker (`manage.py db_worker`) delivers them."
                )
            )
        else:
            self.stdout.write(
                f'0 interrupted deliveries: none has been in "sending" for more than {minutes} '
                "minutes. Deliveries still being sent are never resent."
            )
