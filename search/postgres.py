"""PostgreSQL full-text search: one text-search configuration per content language.

English and Russian use PostgreSQL's Snowball stemmers (`english`, `russian`; the Russian one
also folds ё into е). PostgreSQL ships nothing for Belarusian, so the migration creates a
`belarusian` configuration:

* with Debian's `hunspell-be` dictionary installed on the database server (as
  `$SHAREDIR/tsearch_data/belarusian.affix` and `.dict`, see the README), words are reduced to
  their dictionary form (мяжы, мяжой → мяжа; пунктаў → пункт), and words the dictionary does
  not know — mostly names — fall through to the Russian stemmer;
* without it (e.g. on a managed database that cannot load dictionary files), the Russian
  Snowball stemmer alone: Belarusian shares most of its noun and verb endings with Russian
  (граніцу, граніцы → граніц), though endings of its own (-аў, -ага) stay unstemmed.

`manage.py update_index` runs `ensure_configurations()` again, so installing the dictionary
later only needs that command.
"""

from django.db import DatabaseError, transaction

CONFIGURATIONS = {"en": "english", "ru": "russian", "be": "belarusian"}
FALLBACK_CONFIGURATION = "simple"
HUNSPELL_DICTIONARY = "belarusian_hunspell"
# Word token types of PostgreSQL's default parser that carry non-ASCII letters.
WORD_TOKENS = "word, hword, hword_part"


def configuration(language: str) -> str:
    return CONFIGURATIONS.get(language, FALLBACK_CONFIGURATION)


def _exists(cursor, catalog: str, name_column: str, namespace_column: str, name: str) -> bool:
    cursor.execute(
        f"SELECT 1 FROM {catalog} c JOIN pg_namespace n ON n.oid = c.{namespace_column} "
        f"WHERE c.{name_column} = %s AND n.nspname = current_schema()",
        [name],
    )
    return cursor.fetchone() is not None


def ensure_configurations(connection) -> bool:
    """Create or update the `belarusian` configuration; True when it uses Hunspell."""
    with connection.cursor() as cursor:
        hunspell = _exists(cursor, "pg_ts_dict", "dictname", "dictnamespace", HUNSPELL_DICTIONARY)
        if not hunspell:
            try:
                # A savepoint: a server without the dictionary files refuses the statement.
                with transaction.atomic(using=connection.alias):
                    cursor.execute(
                        f"CREATE TEXT SEARCH DICTIONARY {HUNSPELL_DICTIONARY} "
                        "(TEMPLATE = ispell, DictFile = belarusian, AffFile = belarusian)"
                    )
                hunspell = True
            except DatabaseError:
                hunspell = False
        if not _exists(cursor, "pg_ts_config", "cfgname", "cfgnamespace", "belarusian"):
            cursor.execute("CREATE TEXT SEARCH CONFIGURATION belarusian (COPY = simple)")
        dictionaries = f"{HUNSPELL_DICTIONARY}, russian_stem" if hunspell else "russian_stem"
        cursor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION belarusian "
            f"ALTER MAPPING FOR {WORD_TOKENS} WITH {dictionaries}"
        )
    return hunspell


def drop_configurations(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS belarusian")
        cursor.execute(f"DROP TEXT SEARCH DICTIONARY IF EXISTS {HUNSPELL_DICTIONARY}")


def uses_hunspell(connection) -> bool:
    """Whether the `belarusian` configuration reduces words with the Hunspell dictionary."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM ts_debug('belarusian', 'мяжы') WHERE %s = ANY(dictionaries::text[])",
            [HUNSPELL_DICTIONARY],
        )
        return cursor.fetchone() is not None
