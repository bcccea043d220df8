"""Matched words in <mark>, in Python: for the engines without ts_headline (SQLite, Elasticsearch).

The text is HTML-escaped first, so the only markup in the result is our own `<mark>` tags.
A word is marked when it shares a lexeme with a word of the query in the text's language
(search.analysis), so every form that matched is marked, as ts_headline marks on PostgreSQL.
"""

from html import escape

from search.analysis import WORD, lexemes


def highlight(text: str, words, language: str, max_words: int | None = None) -> str:
    """`text` as HTML with the forms of `words` wrapped in <mark>; cut to `max_words` around
    the first match."""
    terms = {lexeme for word in words for lexeme in lexemes(word, language)}

    def matched(token) -> bool:
        return not terms.isdisjoint(lexemes(token.group(), language))

    tokens = list(WORD.finditer(text))
    start, end, before, after = 0, len(text), "", ""
    if max_words and len(tokens) > max_words:
        first = next((number for number, token in enumerate(tokens) if matched(token)), 0)
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
        parts.append(f"<mark>{word}</mark>" if matched(token) else word)
        position = token.end()
    parts.append(escape(text[position:end], quote=False))
    parts.append(after)
    return "".join(parts)
