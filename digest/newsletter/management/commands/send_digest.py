"""`manage.py send_digest --week YYYY-MM-DD`: send one published week's digest to every
confirmed subscriber, in their language. Safe to run again: nobody gets the week twice."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from digest.newsletter.content import WeekNotPublished
from digest.newsletter.sending import start_digest_send
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

    def handle(self, *args, week: datetime.date, **options):
        week_start = monday_of(week)
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
