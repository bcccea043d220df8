"""Wagtail's `publish_scheduled`, through the publish gate without stopping at a refusal.

A scheduled revision the gate refuses when it falls due (an article whose week was taken off
the schedule, say) is reported on stderr and stays scheduled; every other page due still goes
live, and the command exits 0 so that cron goes on running it.
"""

from wagtail.management.commands import publish_scheduled

from core import publishing


class Command(publish_scheduled.Command):
    help = "Publishes and unpublishes what is due; reports what the publish gate refuses."

    def handle(self, *args, **options):
        with publishing.reporting_refusals() as refused:
            super().handle(*args, **options)
        for page, reason in refused:
            self.stderr.write(
                f"Not published: “{page.title}” ({page.locale.language_code}, page {page.pk}): "
                f"{reason} It stays scheduled."
            )
