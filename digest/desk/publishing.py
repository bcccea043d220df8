"""Publishing a week in one language as one unit: the report and all its articles, or nothing."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    MissingRelatedObjectError,
    MissingTranslationError,
    TranslationSource,
)

from core import publishing, slugs
from core.languages import SOURCE_LANGUAGE
from digest.desk.translation import translation_is_behind, week_pages
from digest.models import ReportPage


@dataclass
class Problem:
    page: Page
    messages: list[str]


class WeekNotReady(Exception):
    """At least one page of the week would not pass validation; nothing was published."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = problems


@dataclass
class PublishResult:
    language_code: str
    pages: list[Page]  # published (or scheduled) now
    go_live_at: datetime.datetime | None
    unchanged: list[Page] = field(default_factory=list)  # live already, nothing new
    missing: list[Page] = field(default_factory=list)  # English pages not in this language
    snippets: list = field(default_factory=list)  # topics and authors published with the week

    @property
    def scheduled(self) -> bool:
        return self.go_live_at is not None


def report_in(report: ReportPage, language_code: str) -> ReportPage | None:
    if report.locale.language_code == language_code:
        return report
    locale = Locale.objects.filter(language_code=language_code).first()
    return report.get_translation_or_none(locale) if locale else None


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{name}: {message}" if name != "__all__" else message
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return error.messages


def awaiting_approval(page: Page) -> bool:
    """An English page still in its workflow: not approved, so not part of the week yet."""
    return page.locale.language_code == SOURCE_LANGUAGE and page.workflow_in_progress


def has_news(page: Page, translation) -> bool:
    """Would publishing change what readers get? (A live page with nothing new is left alone.)
    `translation`: the wagtail-localize translation that builds the page, if any."""
    if not page.live or page.has_unpublished_changes:
        return True
    return translation is not None and translation_is_behind(translation, page)


def _version_to_publish(page: Page, user, translation) -> tuple[Page, list[str]]:
    """The content that would go live, and what stops it from going live."""
    if awaiting_approval(page):
        return page, [_("It is waiting for a chief editor's approval.")]
    if reason := publishing.refusal(page, user, translation=translation):
        return page, [reason]
    if translation is not None:
        try:
            candidate = translation.source.get_ephemeral_translated_instance(
                translation.target_locale, fallback=False
            )
        except (MissingTranslationError, MissingRelatedObjectError):
            return page, [_("A topic or author is not translated into this language yet.")]
        # As the page's save will set it: derived from the title, or the published one.
        if slugs.is_managed(candidate):
            candidate.slug = slugs.slug_for(candidate, page.get_parent())
    else:
        candidate = page.specific.get_latest_revision_as_object()
    # Validated as it will be once live: an article may be saved without a trend, not published.
    candidate.live = True
    try:
        candidate.full_clean()
    except ValidationError as error:
        return candidate, _messages(error)
    return candidate, []


def publish_week(
    report: ReportPage, language_code: str, user, go_live_at: datetime.datetime | None = None
) -> PublishResult:
    """Publishes (or schedules, with `go_live_at`) the week's report and articles in one language.

    Every page is validated first and nothing is published unless all of them pass. A
    translation made with wagtail-localize is rebuilt from its translated strings, so what goes
    live is what the translator translated, never the English it was copied from.
    """
    local_report = report_in(report, language_code)
    if local_report is None:
        raise WeekNotReady([Problem(report, [_("This week has no report in this language.")])])
    pages = week_pages(local_report)
    if not all(page.permissions_for_user(user).can_publish() for page in pages):
        raise PermissionDenied
    missing = missing_pages(report, local_report)

    translations = {page.pk: publishing.managed_translation(page) for page in pages}
    changed = [page for page in pages if has_news(page, translations[page.pk])]
    problems = []
    # One transaction: a week that is not ready leaves its topics and authors as they were.
    with publishing.as_unit(pages), transaction.atomic():
        # The week's topics and authors, once translated, go live with it (they have no drafts).
        snippets = publishing.publish_awaiting_snippets(
            [translations[page.pk] for page in changed if translations[page.pk]], user
        )
        for page in changed:
            _candidate, messages = _version_to_publish(page, user, translations[page.pk])
            if messages:
                problems.append(Problem(page, messages))
        if problems:
            raise WeekNotReady(problems)

        for page in changed:
            translation = translations[page.pk]
            with publishing.publishing(page):
                if translation is not None:
                    TranslationSource.objects.get(
                        pk=translation.source_id
                    ).create_or_update_translation(
                        translation.target_locale, user=user, publish=False, fallback=False
                    )
                    page.refresh_from_db()
                draft = page.specific.get_latest_revision_as_object()
                draft.go_live_at = go_live_at
                # Already validated above; the new revision only carries the go-live time.
                revision = draft.save_revision(user=user, clean=False, log_action=True)
                revision.publish(user=user)
    return PublishResult(
        language_code=language_code,
        pages=changed,
        go_live_at=go_live_at,
        unchanged=[page for page in pages if page not in changed],
        missing=missing,
        snippets=snippets,
    )


def missing_pages(report: ReportPage, local_report: ReportPage) -> list[Page]:
    """The English pages of the week with no page in `local_report`'s language."""
    if local_report.pk == report.pk:
        return []
    present = set(
        Page.objects.filter(
            locale_id=local_report.locale_id,
            translation_key__in=[page.translation_key for page in week_pages(report)],
        ).values_list("translation_key", flat=True)
    )
    return [page for page in week_pages(report) if page.translation_key not in present]


def approved_for_week(page: Page) -> bool:
    """Is the page's latest draft approved, waiting for its week to go live?"""
    if page.live or page.workflow_in_progress:
        return False
    state = (
        page.workflow_states.filter(status="approved")
        .select_related("current_task_state")
        .order_by("-created_at")
        .first()
    )
    return bool(state and state.current_task_state.revision_id == page.latest_revision_id)
