"""`manage.py update_index`: rebuild the search index, then Wagtail's own backends.

Replaces Wagtail's command of the same name (this app comes before wagtail.search in
INSTALLED_APPS) and keeps its options: first every published article and report is
re-read into the search app's index (and, on PostgreSQL, the `belarusian` text-search
configuration is brought up to date), then Wagtail's backends are rebuilt as usual; last,
every cached search answer is made stale.
"""

from django.db import connection
from wagtail.search.management.commands.update_index import Command as WagtailUpdateIndex

from core import api_cache
from search import indexing, postgres


class Command(WagtailUpdateIndex):
    help = "Rebuild the search index of articles and reports, then Wagtail's search backends."

    def handle(self, **options):
        self.verbosity = options["verbosity"]
        if not options.get("schema_only"):
            self.rebuild_search_entries()
        super().handle(**options)
        # Search answers cached before the rebuild (an empty index's "nothing found", say) are
        # stale now, in every process: settled, as after a publish.
        api_cache.bump(api_cache.SEARCH, settle=True)

    def rebuild_search_entries(self) -> None:
        self.write("Search index: articles and weekly reports")

        def progress(done: int, total: int) -> None:
            self.write(f"  {done}/{total} pages", ending="\r" if done < total else "\n")
            self.stdout.flush()

        indexed = indexing.rebuild(progress)
        self.write(f"Search index: {indexed} public pages indexed")
        if connection.vendor == "postgresql":
            dictionary = (
                "Hunspell dictionary, then the Russian stemmer"
                if postgres.uses_hunspell(connection)
                else "the Russian stemmer (no Hunspell dictionary on the server)"
            )
            self.write(f"Search index: Belarusian words are reduced with {dictionary}")
