"""Each language's analysis of words for search, in Python: what SQLite's index stores and what
its queries look for, so that every form of a word finds the others (PostgreSQL does the same in
its text-search configurations, search.postgres, from the same dictionary files).

* A word is letters and digits, with apostrophes (’ ' ʼ) inside it: «сем’і» is one word.
* Case is folded; in Russian ё is е («политзаключённых» = «политзаключенных»). Belarusian keeps
  ё: its spelling writes it always, and Hunspell's dictionary knows the words with it.
* The project's word lists (search/dictionaries/<language>.forms, "form lexeme" per line) come
  first: plurals whose stem changes (межы, межаў → мяжа) and words the stemmers would merge with
  another of a different meaning (выборы, elections, stays apart from выбор, choice).
* Then English and Russian go through Snowball (PyStemmer, the stemmers PostgreSQL has);
  Belarusian through Hunspell (spylls) with Debian's hunspell-be dictionary and the project's
  extra entries (search/dictionaries/be.dic: words the 2012 dictionary lacks, such as мігрант,
  памежны, перамовы), giving the dictionary forms; a word it does not know, mostly a name, goes
  to the Russian stemmer, as on PostgreSQL. Without the dictionary, Belarusian is stemmed as
  Russian, and a warning says so once.
"""

import functools
import logging
import re
import tempfile
from pathlib import Path

import Stemmer
from django.conf import settings

logger = logging.getLogger(__name__)

DICTIONARIES = Path(__file__).resolve().parent / "dictionaries"
APOSTROPHES = "’'ʼ"
WORD = re.compile(rf"\w+(?:[{APOSTROPHES}]\w+)*")
# Hunspell's Belarusian dictionary writes the apostrophe as ASCII.
TO_ASCII_APOSTROPHE = str.maketrans({"’": "'", "ʼ": "'"})
SNOWBALL = {"en": "english", "ru": "russian", "be": "russian"}


def words_of(text: str) -> list[str]:
    return WORD.findall(text)


def normalized(word: str, language: str) -> str:
    word = word.casefold().translate(TO_ASCII_APOSTROPHE)
    return word.replace("ё", "е") if language == "ru" else word


@functools.cache
def forms(language: str) -> dict[str, str]:
    """The project's word list for `language`: form → lexeme."""
    path = DICTIONARIES / f"{language}.forms"
    if not path.exists():
        return {}
    pairs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            form, lexeme = line.split()
            pairs[normalized(form, language)] = normalized(lexeme, language)
    return pairs


@functools.cache
def stemmer(language: str):
    return Stemmer.Stemmer(SNOWBALL.get(language, "porter"))


@functools.cache
def belarusian_hunspell():
    """spylls' Dictionary of hunspell-be with the project's entries, or None without hunspell-be."""
    from spylls.hunspell import Dictionary

    base = Path(settings.SEARCH_HUNSPELL_BE)
    aff, dic = base.with_suffix(".aff"), base.with_suffix(".dic")
    if not (aff.exists() and dic.exists()):
        logger.warning(
            "search: no Belarusian Hunspell dictionary at %s.aff/.dic (apt-get install "
            "hunspell-be, or set SEARCH_HUNSPELL_BE); Belarusian words are stemmed as Russian",
            base,
        )
        return None
    with tempfile.TemporaryDirectory() as folder:
        combined = Path(folder) / "be"
        combined.with_suffix(".aff").write_bytes(aff.read_bytes())
        combined.with_suffix(".dic").write_text(
            dic.read_text(encoding="utf-8") + extra_belarusian_entries(), encoding="utf-8"
        )
        return Dictionary.from_files(str(combined))


def extra_belarusian_entries() -> str:
    """search/dictionaries/be.dic without its comments: Hunspell entries with be_BY.aff's flags."""
    lines = (DICTIONARIES / "be.dic").read_text(encoding="utf-8").splitlines()
    entries = [line.split("#", 1)[0].strip() for line in lines]
    return "".join(f"{entry}\n" for entry in entries if entry)


def hunspell_stems(word: str) -> set[str]:
    dictionary = belarusian_hunspell()
    if dictionary is None:
        return set()
    # PostgreSQL's ispell dictionaries ignore case: a lowercase name is still the name.
    for variant in dict.fromkeys((word, word.capitalize(), word.upper())):
        stems = {form.stem.casefold() for form in dictionary.lookuper.good_forms(variant)}
        if stems:
            return stems
    return set()


@functools.lru_cache(maxsize=200_000)
def lexemes(word: str, language: str) -> tuple[str, ...]:
    """What `word` is indexed and searched as: usually one lexeme, several when Hunspell reads
    the form as more than one word (any of them matches, as on PostgreSQL)."""
    word = normalized(word, language)
    listed = forms(language).get(word)
    if listed:
        return (listed,)
    if language == "be":
        stems = hunspell_stems(word)
        if stems:
            return tuple(sorted(stems))
    if language in SNOWBALL:
        # The stemmers know no apostrophe; a word with one stays whole.
        return (stemmer(language).stemWord(word),)
    return (word,)


def analysed(text: str, language: str) -> list[tuple[str, ...]]:
    """The lexemes of each word of `text`, in order."""
    return [lexemes(word, language) for word in words_of(text)]
