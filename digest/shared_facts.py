"""An article's trend and photo are the English article's, in every language, at once.

Translators translate words; the trend (an analyst's judgement) and the photo are facts of the
article. So a translated article never keeps its own: whenever it is saved (by the page editor,
by wagtail-localize rebuilding it, by a publish) it takes them from the English, and when the
English is published with new ones, every translation is republished with them — with its own
text unchanged, so the publish gate lets it through without a translator (core.publishing).
"""

from core import publishing
from core.languages import SOURCE_LANGUAGE

SHARED_FIELDS = ("trend", "photo_id")
# As wagtail-localize serializes them (compared by the desk when it decides what is stale).
SHARED_FIELD_NAMES = frozenset({"trend", "photo"})


def english_of(article):
    """The English version translators follow: the live page, else the latest draft."""
    english = (
        type(article)
        .objects.filter(
            translation_key=article.translation_key, locale__language_code=SOURCE_LANGUAGE
        )
        .first()
    )
    if english is None or english.live:
        return english
    return english.get_latest_revision_as_object()


def facts_of(article) -> dict:
    return {name: getattr(article, name) for name in SHARED_FIELDS}


def take_from_english(article) -> None:
    """Called as a translated article is saved: its facts become the English ones."""
    if article.locale_id is None or article.locale.language_code == SOURCE_LANGUAGE:
        return
    english = english_of(article)
    if english is not None:
        for name, value in facts_of(english).items():
            setattr(article, name, value)


def spread_from(english) -> list:
    """After the English article is published: its translations get its facts now.

    A live translation is republished from its live version (its text as readers have it) with
    the new facts; a draft gets a new draft revision. Returns the pages changed.
    """
    facts = facts_of(english)
    changed = []
    translations = (
        type(english)
        .objects.filter(translation_key=english.translation_key)
        .exclude(locale_id=english.locale_id)
    )
    for target in translations:
        current = target if target.live else target.get_latest_revision_as_object()
        if facts_of(current) == facts:
            continue
        for name, value in facts.items():
            setattr(current, name, value)
        revision = current.save_revision(clean=False, log_action=True)
        if target.live:
            with publishing.facts_only([target]):
                revision.publish()
        changed.append(target)
    return changed
