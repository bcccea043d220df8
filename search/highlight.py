"""Matched words in <mark>, in Python: for the engines without ts_headline (SQLite, Elasticsearch).

The text is HTML-escaped first, so the only markup in the result is our own `<mark>` tags.
Words are compared the way SQLite's FTS5 `unicode61` tokenizer compares them: case-folded and
without diacritics.
"""

import re
import unicodedata
from html import escape

WORD = re.compile(r"\w+")


def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words_of(text: str) -> list[str]:
    return WORD.findall(text)


def highlight(text: str, words, max_words: int | None = None) -> str:
    """`text` as HTML with `words` wrapped in <mark>; cut to `max_words` around the first match."""
    terms = {fold(word) for word in words}
    tokens = list(WORD.finditer(text))
    start, end, before, after = 0, len(text), "", ""
    if max_words and len(tokens) > max_words:
        first = next(
            (number for number, token in enumerate(tokens) if fold(token.group()) in terms), 0
        )
        first_shown = max(0, min(first - max_words // 3, len(tokens) - max_words))
        last_shown = first_shown + max_words - 1
        start, end = tokens[first_shown].start(), tokens[last_shown].end()
        before = "… " if first_shown > 0 else ""
        after = " …" if last_shown < len(tokens) - 1 else ""
    parts, position = [before], start
    for token in tokens:
        if token.start() < start or token.end() > end:
            continue
        parts.append(escape(text[position : token.start()], quote=False))
        word = escape(token.group(), quote=False)
        parts.append(f"<mark>{word}</mark>" if fold(token.group()) in terms else word)
        position = token.end()
    parts.append(escape(text[position:end], quote=False))
    parts.append(after)
    return "".join(parts)
