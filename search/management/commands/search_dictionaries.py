"""`manage.py search_dictionaries DIR…`: write the dictionary files PostgreSQL's Belarusian
and Russian configurations read (search.postgres) into each DIR, the database server's
`$SHAREDIR/tsearch_data`:

* situation_desk_be.affix / .dict — Debian's hunspell-be with the project's entries
  (search/dictionaries/be.dic), its apostrophe written as ʼ (search.postgres.JOINED);
* situation_desk_be.syn, situation_desk_ru.syn — the project's word lists (*.forms).

Then `manage.py update_index` (or `migrate`, the first time) makes the configurations read
them. SQLite's analysis (search.analysis) reads the same sources itself.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search import analysis, postgres


def joined(text: str) -> str:
    return text.replace("'", postgres.JOINED)


class Command(BaseCommand):
    help = "Write the search dictionaries into PostgreSQL's tsearch_data folder(s)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("folders", nargs="+", type=Path, help="tsearch_data folder(s)")

    def handle(self, folders, **options):
        base = Path(settings.SEARCH_HUNSPELL_BE)
        aff, dic = base.with_suffix(".aff"), base.with_suffix(".dic")
        if not (aff.exists() and dic.exists()):
            raise CommandError(f"no {aff} and {dic}: apt-get install hunspell-be")
        hunspell = postgres.HUNSPELL_FILES[0]
        for folder in folders:
            if not folder.is_dir():
                raise CommandError(f"{folder} is not a folder")
            (folder / f"{hunspell}.affix").write_text(
                joined(aff.read_text(encoding="utf-8")), encoding="utf-8"
            )
            (folder / f"{hunspell}.dict").write_text(
                joined(dic.read_text(encoding="utf-8") + analysis.extra_belarusian_entries()),
                encoding="utf-8",
            )
            for language, name in postgres.FORMS_FILES.items():
                pairs = analysis.forms(language)
                (folder / f"{name}.syn").write_text(
                    joined("".join(f"{form} {lexeme}\n" for form, lexeme in pairs.items())),
                    encoding="utf-8",
                )
            self.stdout.write(f"Search dictionaries written to {folder}")
