"""search.analysis without Debian's hunspell-be: Belarusian still searches, stemmed as Russian,
and the log says why."""

import logging

import pytest

from search import analysis


@pytest.fixture
def fresh_analysis():
    """The analysis' caches emptied before and after, so a changed setting is read."""

    def clear():
        analysis.belarusian_hunspell.cache_clear()
        analysis.lexemes.cache_clear()

    clear()
    yield
    clear()


def test_without_the_belarusian_dictionary_words_are_stemmed_as_russian_with_a_warning(
    fresh_analysis, settings, tmp_path, caplog
):
    settings.SEARCH_HUNSPELL_BE = str(tmp_path / "be_BY")
    with caplog.at_level(logging.WARNING, logger="search.analysis"):
        assert analysis.lexemes("граніцы", "be") == analysis.lexemes("граніца", "be")
    assert "no Belarusian Hunspell dictionary" in caplog.text
    assert "hunspell-be" in caplog.text
