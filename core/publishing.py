"""The publish gate: may this user make this page live, with this content, now?

One rule, decided here, for every door that makes content live:

- `BasePage.publish` — every Wagtail publish goes through a page's `publish()`: the page
  editor, page creation, bulk actions, a finished workflow, scheduled publishing, the desk's
  "Publish the week" and wagtail-localize's publish (which runs after the commit).
- `BasePage.save` — wagtail-localize rebuilds a translated page by saving its row before it
  publishes; for a live page that row *is* what readers get, so a rebuild outside a publish is
  refused (`guard_live_write`).
- The translation editor's Publish and "Update translations" with publish are answered by the
  desk (digest/wagtail_hooks.py, digest/desk/localize_views.py), which asks `refusal` first so
  the translator reads why, and then publishes through `publish_translation`.
- Topics and authors (`TranslatedSnippet`) have no drafts: saving a translated one is publishing
  it. The snippet editor, the translation editor, "Update translations", creating and deleting
  one ask `snippet_refusal`; a copy built with English where a text is not translated yet (as
  "Translate the week" builds it, so that the pages can point at it) is marked
  `awaiting_translation`, shown to no reader (core.visibility) and keeps every translated page
  that uses it from going live.

What is refused:
1. a user without publish permission on the page (the page tree of its locale decides:
   editors publish nothing, translators only their language, chief editors everything);
2. a translation with an untranslated text (wagtail-localize would fill it with the English);
3. a translation whose topic or authors are not translated into its language yet;
4. whatever the page type refuses (`publication_refusal`: an article waits for its week).

A publish with no user and a revision nobody saved is the system's own (the demo load, a
scheduled revision approved when it was scheduled, facts synchronised from the English), not a
person's: only rules 2 to 4 apply to it, and no URL leads there.
"""

import contextlib
import contextvars

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail_localize.models import Translation, TranslationSource

from core.languages import SOURCE_LANGUAGE

# Pages (by id) whose rows may be rewritten now: they are being published through the gate.
_writable = contextvars.ContextVar("publishing_writable", default=frozenset())
# Pages published together as one unit (a week): an article may go live with its week.
_unit = contextvars.ContextVar("publishing_unit", default=frozenset())
# Pages whose text is not changing (only facts shared with the English are).
_facts_only = contextvars.ContextVar("publishing_facts_only", default=frozenset())
# Unattended publishing (publish_scheduled): refusals listed here instead of raised.
_reported = contextvars.ContextVar("publishing_reported", default=None)


class PublishRefused(PermissionDenied):
    """The gate's answer, with the reason a person can act on."""

    def __init__(self, page, reason: str):
        super().__init__(reason)
        self.page = page
        self.reason = reason


@contextlib.contextmanager
def _adding(var, page_ids):
    token = var.set(var.get() | frozenset(page_ids))
    try:
        yield
    finally:
        var.reset(token)


def as_unit(pages):
    """Publishing `pages` together: each page's rules may count on the others going live."""
    return _adding(_unit, [page.pk for page in pages])


def in_unit(page_id) -> bool:
    return page_id in _unit.get()


def facts_only(pages):
    """Republishing `pages` with the same text and new shared facts (trend, photo)."""
    return _adding(_facts_only, [page.pk for page in pages])


def managed_translation(instance) -> Translation | None:
    """The wagtail-localize translation that builds this page (or snippet) from its source."""
    if instance.locale.language_code == SOURCE_LANGUAGE:
        return None
    return (
        Translation.objects.filter(
            source__object_id=instance.translation_key,
            target_locale_id=instance.locale_id,
            enabled=True,
        )
        .exclude(source__locale_id=instance.locale_id)
        .select_related("source", "target_locale")
        .first()
    )


def untranslated_refusal(translation: Translation) -> str | None:
    total, done = translation.get_progress()
    if done < total:
        return _(
            "%(missing)s of %(total)s texts are not translated yet; a translation goes live only "
            "when every text is translated."
        ) % {"missing": total - done, "total": total}
    return None


def related_copies(translation: Translation):
    """(object, its copy in the target language or None) for each topic or author the page's
    source points at."""
    for segment in translation.source.relatedobjectsegment_set.select_related("object"):
        yield segment.object, segment.object.get_instance_or_none(translation.target_locale)


def awaits_translation(snippet) -> bool:
    return getattr(snippet, "awaiting_translation", False)


def untranslated_snippets_refusal(translation: Translation) -> str | None:
    """The topics and authors a translated page points at must be translated first: the page
    would otherwise be labelled in English (or point at the English version)."""
    waiting = []
    for related, copy in related_copies(translation):
        if copy is not None and not awaits_translation(copy):
            continue
        item = copy or related.get_instance_or_none(translation.source.locale)
        if item is not None:
            waiting.append(f"{item._meta.verbose_name} “{item}”")
    if not waiting:
        return None
    return _(
        "Not translated into %(language)s yet: %(items)s. A page goes live with its topic and "
        "authors in its own language."
    ) % {"language": translation.target_locale.get_display_name(), "items": ", ".join(waiting)}


def acting_user(user, revision):
    """Who is publishing: the caller, else whoever saved the revision (wagtail-localize
    publishes after the commit without passing the user on)."""
    if user is not None:
        return user
    return getattr(revision, "user", None)


def refusal(page, user=None, revision=None, translation=None) -> str | None:
    """Why `page` may not go live now (None: it may). `translation`, when given, is the
    wagtail-localize translation the content will be built from."""
    page = page.specific
    user = acting_user(user, revision)
    if user is not None and not page.permissions_for_user(user).can_publish():
        return _("You may not publish pages in %(language)s.") % {
            "language": page.locale.get_display_name()
        }
    if page.pk not in _facts_only.get():
        translation = translation or managed_translation(page)
        if translation is not None and (
            reason := untranslated_refusal(translation)
            or untranslated_snippets_refusal(translation)
        ):
            return reason
    own_rule = getattr(page, "publication_refusal", None)
    return own_rule(revision, user) if own_rule else None


def enforce(page, user=None, revision=None, translation=None) -> None:
    if reason := refusal(page, user, revision, translation):
        raise PublishRefused(page, reason)


def admit(page, user=None, revision=None) -> bool:
    """May this publish go ahead? Raises PublishRefused, or — while refusals are being
    reported (`reporting_refusals`) — lists the refusal and answers False."""
    try:
        enforce(page, user, revision)
    except PublishRefused as refused:
        reported = _reported.get()
        if reported is None:
            raise
        reported.append((page, refused.reason))
        return False
    return True


@contextlib.contextmanager
def reporting_refusals():
    """Publishing nobody watches (scheduled revisions): a refused page is listed, not raised,
    so that the other pages due still go live. Yields the list of (page, reason)."""
    reported = []
    token = _reported.set(reported)
    try:
        yield reported
    finally:
        _reported.reset(token)


@contextlib.contextmanager
def publishing(page):
    """Wagtail rewrites the row of the page it publishes: allowed inside the gate."""
    with _adding(_writable, [page.pk]):
        yield


def guard_live_write(page, update_fields) -> None:
    """Refuses to rewrite a live translated page's content outside a publish (see module)."""
    if page.pk is None or update_fields is not None or page.pk in _writable.get():
        return
    if not page.live or page.locale.language_code == SOURCE_LANGUAGE:
        return
    if managed_translation(page) is None:
        return
    raise ValidationError(
        _(
            "“%(title)s” is live in %(language)s: its text changes only when it is published, "
            "by someone who may publish it, with every text translated."
        )
        % {"title": page.title, "language": page.locale.get_display_name()}
    )


def _homes(locale):
    return Page.objects.filter(depth=2, locale=locale)


def may_publish_in(user, locale) -> bool:
    """May `user` publish in this language? Its page tree decides (see `refusal`, rule 1)."""
    return any(home.permissions_for_user(user).can_publish() for home in _homes(locale))


def may_edit_in(user, locale) -> bool:
    return any(home.permissions_for_user(user).can_edit() for home in _homes(locale))


def snippet_refusal(snippet, user=None, translation=None) -> str | None:
    """Why this change to a topic or author may not go live (None: it may).

    A snippet has no drafts, so every saved change is public. Model permissions (which Wagtail
    asks) reach every language, so the page trees narrow them: an English topic or author
    changes only for someone who may edit the English pages (editors write bylines), a
    translated one only for someone who may publish in its language, and — when wagtail-localize
    builds it — only with every text translated.
    """
    if snippet.locale.language_code == SOURCE_LANGUAGE:
        if user is not None and not may_edit_in(user, snippet.locale):
            return _("You may not change topics and authors in %(language)s.") % {
                "language": snippet.locale.get_display_name()
            }
        return None
    if user is not None and not may_publish_in(user, snippet.locale):
        return _("You may not publish in %(language)s.") % {
            "language": snippet.locale.get_display_name()
        }
    translation = translation or managed_translation(snippet)
    return untranslated_refusal(translation) if translation is not None else None


def holds_source_text(snippet) -> bool:
    """Is this translated snippet being built with source text where a text is untranslated?"""
    translation = managed_translation(snippet)
    return translation is not None and untranslated_refusal(translation) is not None


# Saving only these changes no text (RevisionMixin.save_revision saves `latest_revision`).
BOOKKEEPING_FIELDS = frozenset({"latest_revision", "awaiting_translation"})


class TranslatedSnippet(models.Model):
    """A translatable snippet without drafts (topic, author): `awaiting_translation` is set on
    every save while a copy holds English in place of a text not yet translated."""

    awaiting_translation = models.BooleanField(
        "awaiting translation",
        default=False,
        editable=False,
        help_text="Built with English where a text is not translated yet: shown to no reader.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or set(update_fields) - BOOKKEEPING_FIELDS:
            self.awaiting_translation = holds_source_text(self)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "awaiting_translation"}
        super().save(*args, **kwargs)


def publish_translation(translation: Translation, user, page=None):
    """Publishes a wagtail-localize translation of a page (or snippet) through the gate.

    The page is rebuilt from its translated texts only (no English fallback) and then published
    as one step; a refusal changes nothing.
    """
    page = page or translation.get_target_instance()
    if not isinstance(page, Page):
        return _publish_snippet_translation(translation, user, page)
    with transaction.atomic():
        # Its topic and authors go live with it once translated; a refusal undoes them too.
        publish_awaiting_snippets([translation], user)
        enforce(page, user, translation=translation)
        _rebuild_and_publish(translation, user, page)
    return page


def _rebuild_and_publish(translation: Translation, user, page) -> None:
    with publishing(page):
        TranslationSource.objects.get(pk=translation.source_id).create_or_update_translation(
            translation.target_locale, user=user, publish=False, fallback=False
        )
        page.refresh_from_db()
        revision = page.specific.get_latest_revision()
        revision.publish(user=user)


def publish_awaiting_snippets(translations, user) -> list:
    """The topics and authors these page translations point at that await their translation:
    those now translated in full, which `user` may publish, are published. Returns them."""
    published = []
    for translation in translations:
        for _related, snippet in related_copies(translation):
            if snippet is None or not awaits_translation(snippet):
                continue
            snippet_translation = managed_translation(snippet)
            if snippet_translation is None or snippet_refusal(snippet, user, snippet_translation):
                continue
            published.append(_publish_snippet_translation(snippet_translation, user, snippet))
    return published


def _publish_snippet_translation(translation: Translation, user, snippet):
    if reason := snippet_refusal(snippet, user, translation):
        raise PublishRefused(snippet, reason)
    with transaction.atomic():
        TranslationSource.objects.get(pk=translation.source_id).create_or_update_translation(
            translation.target_locale, user=user, publish=True, fallback=False
        )
    snippet.refresh_from_db()
    return snippet
