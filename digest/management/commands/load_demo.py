"""`manage.py load_demo`: the demo archive in English, Belarusian and Russian (idempotent).

The site is ready to search when the command returns. Saving ~300 pages would otherwise queue
about 2,100 background tasks (search entries, Wagtail's search and reference indexes, image
renditions), which the worker then spends minutes on, page by page, while search finds
nothing. So the load queues none of them; the command then builds each index in bulk, once,
and queues one renditions task per photo.
"""

import logging

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from core import api_cache
from digest.demo import DemoContentError, DemoLoader
from digest.models import CreditedImage
from digest.tasks import generate_api_renditions

# Tasks of the load are dropped here (and done in bulk below): django-tasks' backend that keeps
# what is enqueued in memory and runs nothing. override_settings is the documented way to swap
# a setting for a while that tells django-tasks (setting_changed) to drop its backends.
NO_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Load the demo weeks, articles and translations, then build the search and reference "
        "indexes. Safe to run again: nothing is duplicated."
    )

    def handle(self, *args, **options):
        loader = DemoLoader(progress=self.bar)
        # Wagtail logs every page action at INFO; the progress bar says enough here.
        wagtail_logger = logging.getLogger("wagtail")
        previous_level = wagtail_logger.level
        wagtail_logger.setLevel(logging.WARNING)
        try:
            with override_settings(TASKS=NO_TASKS), api_cache.settled_once():
                report = loader.load()
        except DemoContentError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            wagtail_logger.setLevel(previous_level)
        if not report.total:
            self.stdout.write(self.style.SUCCESS("Demo content already loaded; nothing changed."))
            return
        self.build_indexes()
        summary = ", ".join(f"{count} {what}" for what, count in report.created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded: {summary}."))

    def build_indexes(self) -> None:
        self.bar("reference index", 0, 2)
        call_command("rebuild_references_index", verbosity=0)
        self.bar("search index", 1, 2)
        call_command("update_index", verbosity=0)
        self.bar("indexes built", 2, 2)
        # The photos' sizes are the worker's: one task per photo (a few seconds in all), and a
        # request that comes first renders what it needs itself.
        for image_id in CreditedImage.objects.values_list("id", flat=True):
            generate_api_renditions.enqueue(image_id)

    def bar(self, message: str, done: int, total: int) -> None:
        """One progress line, redrawn in place on a terminal; whole lines in a log."""
        filled = BAR_WIDTH * done // max(total, 1)
        line = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {message}"
        if self.stdout.isatty():
            self.stdout.write(f"\r\033[K{line}", ending="\n" if done >= total else "")
            self.stdout.flush()
        else:
            self.stdout.write(line)
