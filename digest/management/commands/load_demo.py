"""`manage.py load_demo`: the demo archive in English, Belarusian and Russian (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from digest.demo import DemoContentError, DemoLoader


class Command(BaseCommand):
    help = (
        "Load the demo weeks, articles and translations. Safe to run again: nothing is duplicated."
    )

    def handle(self, *args, **options):
        loader = DemoLoader(progress=lambda message: self.stdout.write(message))
        try:
            report = loader.load()
        except DemoContentError as exc:
            raise CommandError(str(exc)) from exc
        if report.total:
            summary = ", ".join(f"{count} {what}" for what, count in report.created.items())
            self.stdout.write(self.style.SUCCESS(f"Demo content loaded: {summary}."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo content already loaded; nothing changed."))
