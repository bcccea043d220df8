"""SQLite full-text search: an FTS5 table of each entry's analysed words (search.analysis).

`search_entry_fts` holds, for each index entry (rowid = page id), its language and the lexemes
of its title, lead and body, space-separated; queries are analysed the same way, so FTS5 only
compares lexemes (its tokenizer merely splits them, and keeps diacritics: ў is not у). A word
with several lexemes is indexed with all of them and matches any. Ranking is FTS5's bm25 with
the title weighing 3, the lead 2 and the body 1.
"""

from django.db import connection

from search.analysis import analysed, lexemes

TABLE = "search_entry_fts"
# bm25's weight of each column, in the table's order (language is not searched).
WEIGHTS = "0, 3.0, 2.0, 1.0"


def create_table(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
            "language UNINDEXED, title, lead, body, "
            "tokenize = 'unicode61 remove_diacritics 0')"
        )


def drop_table(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def token(lexeme: str) -> str:
    """A lexeme as one FTS5 token: its apostrophe would split it, so it goes."""
    return "".join(character for character in lexeme if character.isalnum() or character == "_")


def indexed_text(text: str, language: str) -> str:
    return " ".join(token(lexeme) for word in analysed(text, language) for lexeme in word)


def write(entries) -> None:
    """(Re)write the rows of `entries` (SearchEntry instances or rows with the same fields)."""
    rows = [
        (
            entry.page_id,
            entry.language,
            indexed_text(entry.title, entry.language),
            indexed_text(entry.lead, entry.language),
            indexed_text(entry.body, entry.language),
        )
        for entry in entries
    ]
    if not rows:
        return
    with connection.cursor() as cursor:
        delete(cursor, [row[0] for row in rows])
        cursor.executemany(
            f"INSERT INTO {TABLE} (rowid, language, title, lead, body) VALUES (%s, %s, %s, %s, %s)",
            rows,
        )


def delete(cursor, page_ids) -> None:
    page_ids = list(page_ids)
    for start in range(0, len(page_ids), 500):
        chunk = page_ids[start : start + 500]
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE rowid IN ({', '.join(['%s'] * len(chunk))})", chunk
        )


def delete_pages(page_ids) -> None:
    with connection.cursor() as cursor:
        delete(cursor, page_ids)


def delete_stale() -> None:
    """Rows of entries that are gone (a page deleted with its entry, by cascade)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE rowid NOT IN (SELECT page_id FROM search_searchentry)"
        )


def expression(words, language: str, prefix: bool = False, column: str = "") -> str:
    """An FTS5 query: every word (any of its lexemes; with `prefix`, words starting so)."""
    star = " *" if prefix else ""
    scope = f"{column} : " if column else ""
    groups = []
    for word in words:
        alternatives = {token(lexeme) for lexeme in lexemes(word, language)} - {""}
        if not alternatives:
            continue
        groups.append(
            scope + "(" + " OR ".join(f'"{lexeme}"{star}' for lexeme in sorted(alternatives)) + ")"
        )
    return " AND ".join(groups)


def matches(words, language: str, prefix: bool = False, column: str = "") -> dict[int, float]:
    """Page id → score (higher is better) of the entries in `language` that match."""
    match = expression(words, language, prefix, column)
    if not match:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, bm25({TABLE}, {WEIGHTS}) FROM {TABLE} "
            f"WHERE {TABLE} MATCH %s AND language = %s",
            [match, language],
        )
        # bm25 is lower for better matches.
        return {page_id: -score for page_id, score in cursor.fetchall()}
