"""`manage.py load_demo`: the demo archive in English, Belarusian and Russian (idempotent)."""

import logging

from django.core.management.base import BaseCommand, CommandError

from digest.demo import DemoContentError, DemoLoader


class Command(BaseCommand):
    help = (
        "Load the demo weeks, articles and translations. Safe to run again: nothing is duplicated."
    )

    def handle(self, *args, **options):
        loader = DemoLoader(progress=lambda message: self.stdout.write(message))
        # Wagtail logs every page action at INFO; the progress lines say enough here.
        wagtail_logger = logging.getLogger("wagtail")
        previous_level = wagtail_logger.level
        wagtail_logger.setLevel(logging.WARNING)
        try:
            report = loader.load()
        except DemoContentError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            wagtail_logger.setLevel(previous_level)
        if report.total:
            summary = ", ".join(f"{count} {what}" for what, count in report.created.items())
            self.stdout.write(self.style.SUCCESS(f"Demo content loaded: {summary}."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo content already loaded; nothing changed."))
