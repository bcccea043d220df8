"""PostgreSQL full-text search: one text-search configuration per content language.

The migrations create two configurations of our own (SQLite's analysis, search.analysis, does
the same in Python from the same files):

* `situation_russian`: the project's Russian word list (a synonym dictionary, from
  search/dictionaries/ru.forms: выборы stays apart from выбор), then PostgreSQL's Russian
  Snowball stemmer (which also folds ё into е);
* `belarusian`: the Belarusian word list (be.forms: межы → мяжа, выбары apart from выбар), then
  Debian's `hunspell-be` dictionary with the project's extra entries (be.dic), which reduces
  words to their dictionary form (мяжы, мяжой → мяжа; пунктаў → пункт), and words neither
  knows — mostly names — fall through to the Russian stemmer.

The dictionary files live in the database server's `$SHAREDIR/tsearch_data`, written there by
`manage.py search_dictionaries` (see the README). Without them (e.g. a managed database that
cannot load dictionary files) each configuration does what it can without: the Russian
stemmer alone, which shares most of Belarusian's noun and verb endings (граніцу, граніцы →
граніц), though endings of its own (-аў, -ага) stay unstemmed. An older installation's
`belarusian.affix`/`.dict` (Debian's files alone) are used when the project's are missing.

`manage.py update_index` runs `ensure_configurations()` again, so installing the files later
only needs that command.
"""

import re

from django.db import DatabaseError, transaction

CONFIGURATIONS = {"en": "english", "ru": "situation_russian", "be": "belarusian"}
FALLBACK_CONFIGURATION = "simple"
HUNSPELL_DICTIONARY = "belarusian_hunspell"
# tsearch_data file names (without .affix/.dict/.syn), as `manage.py search_dictionaries`
# writes them; Debian's plain copy as the README described it before the project's lists.
HUNSPELL_FILES = ("situation_desk_be", "belarusian")
FORMS_DICTIONARIES = {"ru": "situation_ru_forms", "be": "situation_be_forms"}
FORMS_FILES = {"ru": "situation_desk_ru", "be": "situation_desk_be"}
# Word token types of PostgreSQL's default parser that carry non-ASCII letters.
WORD_TOKENS = "word, hword, hword_part"
# Belarusian writes an apostrophe inside words (сям’я), where PostgreSQL's parser would cut
# them in two. So in Belarusian texts — indexed, searched and highlighted — an apostrophe
# between letters becomes ʼ (U+02BC), a letter to the parser, and the dictionary files spell
# it so too (`manage.py search_dictionaries`). English keeps its apostrophes, which its stemmer
# knows ("Lukashenka's" → lukashenka).
JOINED = "ʼ"
APOSTROPHE_IN_WORD = re.compile(r"(?<=\w)['’ʼ](?=\w)")
# The same in SQL (standard strings: a backslash is itself, a quote is doubled).
APOSTROPHE_IN_WORD_SQL = "'(\\w)[''’ʼ](?=\\w)'"
JOINED_LANGUAGES = {"be"}


def configuration(language: str) -> str:
    return CONFIGURATIONS.get(language, FALLBACK_CONFIGURATION)


def joined(text: str, language: str) -> str:
    """`text` as PostgreSQL reads it in `language` (see JOINED)."""
    return APOSTROPHE_IN_WORD.sub(JOINED, text) if language in JOINED_LANGUAGES else text


def joined_sql(expression: str) -> str:
    """SQL of `expression` with apostrophes inside words joined (see JOINED)."""
    return f"regexp_replace({expression}, {APOSTROPHE_IN_WORD_SQL}, '\\1{JOINED}', 'g')"


def unjoined(html: str) -> str:
    """A highlight of a joined text, with the apostrophe readers expect."""
    return html.replace(JOINED, "’")


def _exists(cursor, catalog: str, name_column: str, namespace_column: str, name: str) -> bool:
    cursor.execute(
        f"SELECT 1 FROM {catalog} c JOIN pg_namespace n ON n.oid = c.{namespace_column} "
        f"WHERE c.{name_column} = %s AND n.nspname = current_schema()",
        [name],
    )
    return cursor.fetchone() is not None


def _dictionary(connection, cursor, name: str, definitions) -> bool:
    """Create dictionary `name` from the first of `definitions` whose files the server has."""
    if _exists(cursor, "pg_ts_dict", "dictname", "dictnamespace", name):
        return True
    for definition in definitions:
        try:
            # A savepoint: a server without the dictionary files refuses the statement.
            with transaction.atomic(using=connection.alias):
                cursor.execute(f"CREATE TEXT SEARCH DICTIONARY {name} ({definition})")
            return True
        except DatabaseError:
            continue
    return False


def ensure_configurations(connection, refresh: bool = False) -> bool:
    """Create or update our configurations; True when Belarusian uses Hunspell.

    With `refresh`, the dictionaries are made again, so that files installed or changed since
    (`manage.py search_dictionaries`) are read.
    """
    with connection.cursor() as cursor:
        if refresh:
            for config in ("belarusian", "situation_russian"):
                if _exists(cursor, "pg_ts_config", "cfgname", "cfgnamespace", config):
                    cursor.execute(
                        f"ALTER TEXT SEARCH CONFIGURATION {config} "
                        f"ALTER MAPPING FOR {WORD_TOKENS} WITH simple"
                    )
            for name in (HUNSPELL_DICTIONARY, *FORMS_DICTIONARIES.values()):
                cursor.execute(f"DROP TEXT SEARCH DICTIONARY IF EXISTS {name}")
        hunspell = _dictionary(
            connection,
            cursor,
            HUNSPELL_DICTIONARY,
            [f"TEMPLATE = ispell, DictFile = {f}, AffFile = {f}" for f in HUNSPELL_FILES],
        )
        chains = {"ru": ["russian_stem"], "be": ["russian_stem"]}
        if hunspell:
            chains["be"].insert(0, HUNSPELL_DICTIONARY)
        for language, name in FORMS_DICTIONARIES.items():
            if _dictionary(
                connection,
                cursor,
                name,
                [f"TEMPLATE = synonym, SYNONYMS = {FORMS_FILES[language]}"],
            ):
                chains[language].insert(0, name)
        for language, source in (("ru", "russian"), ("be", "simple")):
            config = CONFIGURATIONS[language]
            if not _exists(cursor, "pg_ts_config", "cfgname", "cfgnamespace", config):
                cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {config} (COPY = {source})")
            cursor.execute(
                f"ALTER TEXT SEARCH CONFIGURATION {config} "
                f"ALTER MAPPING FOR {WORD_TOKENS} WITH {', '.join(chains[language])}"
            )
    return hunspell


def drop_configurations(connection) -> None:
    with connection.cursor() as cursor:
        for config in ("belarusian", "situation_russian"):
            cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {config}")
        for name in (HUNSPELL_DICTIONARY, *FORMS_DICTIONARIES.values()):
            cursor.execute(f"DROP TEXT SEARCH DICTIONARY IF EXISTS {name}")


def uses_hunspell(connection) -> bool:
    """Whether the `belarusian` configuration reduces words with the Hunspell dictionary."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM ts_debug('belarusian', 'мяжы') WHERE %s = ANY(dictionaries::text[])",
            [HUNSPELL_DICTIONARY],
        )
        return cursor.fetchone() is not None
