"""Sending a week to translation with wagtail-localize, and keeping it in step with the English.

Translators work in wagtail-localize's editor: every string they translate is kept as a
StringTranslation, and the translated page is only rebuilt from those strings when somebody
publishes (or saves) the translation. The desk therefore never rewrites a translation that is
still being worked on:

- "Translate the week" creates the missing translations as *drafts* (wagtail-localize's own
  "Translate this page" publishes a copy of a live page at once, which would put English text
  live in the Belarusian or Russian edition).
- "Sync" refreshes the English source that translators see. A translation whose every string is
  translated is rebuilt at once (only the English facts it shares, such as the trend or the photo,
  can change, and a live translation stays live); any other translation waits for its translator
  to finish the new strings and publish from wagtail-localize's editor. Until then the board shows
  it as stale.
"""

import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.fields import StreamField
from wagtail.models import Locale, Page
from wagtail_localize.fields import get_translatable_fields
from wagtail_localize.models import Translation, TranslationLog, TranslationSource

from core import publishing
from digest.desk.languages import locales_for, translation_languages
from digest.models import ArticlePage, ReportPage
from digest.shared_facts import SHARED_FIELD_NAMES

# Keys that identify a row rather than carry content; they differ between a draft and its
# published copy, so they are left out when deciding whether the English has changed.
IDENTITY_KEYS = frozenset({"pk", "id", "page", "translation_key", "locale"})


def week_pages(report: ReportPage) -> list[Page]:
    """The report and its articles in topic order: what the desk moves as one unit."""
    articles = ArticlePage.objects.child_of(report).order_by("topic__sort_order", "path")
    return [report, *articles.select_related("topic")]


def current_english(page: Page) -> Page:
    """What translators should follow: the live version of a published page, else the draft."""
    page = page.specific
    return page if page.live else page.get_latest_revision_as_object()


def english_changed_at(page: Page):
    return page.last_published_at if page.live else page.latest_revision_created_at


def _comparable(value):
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    if isinstance(value, dict):
        return {key: _comparable(item) for key, item in value.items() if key not in IDENTITY_KEYS}
    return value


def translated_content(model, serialized: dict, exclude=()) -> dict:
    """The part of a page's serialized content that translators work on: its texts and the
    facts they follow — not the trend and photo, which follow the English by themselves
    (digest.shared_facts)."""
    content = {}
    for translatable_field in get_translatable_fields(model):
        name = translatable_field.field_name
        if name in exclude or name in SHARED_FIELD_NAMES:
            continue
        value = serialized.get(name)
        if isinstance(value, str) and isinstance(model._meta.get_field(name), StreamField):
            value = json.loads(value)
        content[name] = _comparable(value)
    return content


def english_has_changed(source: TranslationSource, page: Page) -> bool:
    """Has the English page changed since translators last received it?"""
    changed_at = english_changed_at(page)
    if changed_at is None or changed_at <= source.last_updated_at:
        return False
    current = current_english(page)
    model = type(current)
    return translated_content(model, json.loads(current.to_json())) != translated_content(
        model, json.loads(source.content_json)
    )


def translation_is_behind(translation: Translation, target: Page) -> bool:
    """Is the translated page older than the English its translators have now?

    True when the source was refreshed after the page was last built and rebuilding it from the
    source and the translated strings would change it (a refresh that brought no change, or
    whose only change is already in the page, does not count).
    """
    last_built = (
        TranslationLog.objects.filter(
            source_id=translation.source_id, locale_id=translation.target_locale_id
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last_built is not None and last_built >= translation.source.last_updated_at:
        return False
    expected = translation.source.get_ephemeral_translated_instance(
        translation.target_locale, fallback=True
    )
    target = target.specific
    current = target if target.live else target.get_latest_revision_as_object()
    model = type(current)
    # Slugs are made unique when a page is saved, so they may differ from the translated text.
    return translated_content(
        model, json.loads(expected.to_json()), exclude={"slug"}
    ) != translated_content(model, json.loads(current.to_json()), exclude={"slug"})


@dataclass
class TranslateResult:
    created: list[tuple[Page, Locale]] = field(default_factory=list)
    failed: list[tuple[Page, Locale, str]] = field(default_factory=list)


def _translate_related_objects(source: TranslationSource, page: Page, locale: Locale, user):
    """Topics and authors the page points at must exist in the target language first.

    Only snippets with no translation at all are sent (wagtail-localize would otherwise rebuild
    an existing translated snippet, filling its untranslated fields with English).
    """
    for segment in source.relatedobjectsegment_set.select_related("object"):
        related = segment.object.get_instance(page.locale)
        if related.get_translation_or_none(locale) is not None:
            continue
        related_source, _ = TranslationSource.get_or_create_from_instance(related)
        translation, _ = Translation.objects.update_or_create(
            source=related_source, target_locale=locale, defaults={"enabled": True}
        )
        # Snippets have no drafts: the copy holds the English text until it is translated, and
        # is marked awaiting_translation meanwhile: no reader sees it, and no page that uses
        # it goes live (core.publishing.TranslatedSnippet).
        translation.save_target(user=user, publish=True)


def _translate_page(page: Page, locale: Locale, user) -> None:
    source, _ = TranslationSource.update_or_create_from_instance(current_english(page))
    _translate_related_objects(source, page, locale, user)
    translation, _ = Translation.objects.update_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    translation.save_target(user=user, publish=False)


def translate_week(report: ReportPage, user, language_codes=None, pages=None) -> TranslateResult:
    """Creates every missing translation of the week (or of `pages` in it) as a draft.

    Existing translations are left alone: that is what `sync_week` is for. Only languages
    whose tree the user may add pages to are translated into (`languages_for`).
    """
    allowed = languages_for(user, report)
    locales = locales_for(code for code in language_codes or allowed if code in allowed)
    wanted = None if pages is None else {page.pk for page in pages}
    result = TranslateResult()
    for page in week_pages(report):
        if wanted is not None and page.pk not in wanted:
            continue
        for locale in locales:
            if page.has_translation(locale):
                continue
            # An article needs its week in the target language first; creating it here keeps
            # the report under wagtail-localize rather than as a plain copy.
            if not isinstance(page, ReportPage) and not report.has_translation(locale):
                try:
                    with transaction.atomic():
                        _translate_page(report, locale, user)
                    result.created.append((report, locale))
                except ValidationError as error:
                    result.failed.append((report, locale, "; ".join(error.messages)))
                    continue
            try:
                # One savepoint per page: a copy that fails validation leaves nothing behind.
                with transaction.atomic():
                    _translate_page(page, locale, user)
            except ValidationError as error:
                result.failed.append((page, locale, "; ".join(error.messages)))
            else:
                result.created.append((page, locale))
    return result


def languages_for(user, report: ReportPage) -> list[str]:
    """The translation languages `user` may send this week into: those whose page tree they
    may add pages to (a translator their own language, a chief editor every one). The system
    itself (no user: the demo, management commands) may send it into every language."""
    if user is None:
        return translation_languages()
    allowed = []
    for locale in locales_for(translation_languages()):
        parent = report.get_translation_or_none(locale) or (
            report.get_parent().get_translation_or_none(locale)
        )
        if parent is not None and parent.permissions_for_user(user).can_add_subpage():
            allowed.append(locale.language_code)
    return allowed


@dataclass
class SyncResult:
    updated: list[Page] = field(default_factory=list)
    rebuilt: list[tuple[Page, Locale]] = field(default_factory=list)
    waiting: list[tuple[Page, Locale]] = field(default_factory=list)
    needs_publisher: list[tuple[Page, Locale]] = field(default_factory=list)


@transaction.atomic
def sync_week(report: ReportPage, user) -> SyncResult:
    """Gives translators the English corrections of the week; see the module's docstring."""
    result = SyncResult()
    for page in week_pages(report):
        source = TranslationSource.objects.get_for_instance_or_none(page)
        if source is None or not english_has_changed(source, page):
            continue
        source, _ = TranslationSource.update_or_create_from_instance(current_english(page))
        result.updated.append(page)
        for translation in source.translations.filter(enabled=True).select_related("target_locale"):
            target = page.get_translation_or_none(translation.target_locale)
            if target is None:
                continue
            if publishing.untranslated_refusal(translation):
                result.waiting.append((page, translation.target_locale))
            elif not target.live and target.permissions_for_user(user).can_edit():
                translation.save_target(user=user, publish=False)
                result.rebuilt.append((page, translation.target_locale))
            elif target.live and publishing.refusal(target, user, translation=translation) is None:
                publishing.publish_translation(translation, user, target)
                result.rebuilt.append((page, translation.target_locale))
            else:
                # Live (or not theirs): it changes when somebody who may publish it does.
                result.needs_publisher.append((page, translation.target_locale))
    return result
