"""Publishing a week in one language as one unit: the report and all its articles, or nothing."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    MissingRelatedObjectError,
    MissingTranslationError,
    Translation,
    TranslationSource,
)

from digest.desk.translation import week_pages
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
    pages: list[Page]
    go_live_at: datetime.datetime | None

    @property
    def scheduled(self) -> bool:
        return self.go_live_at is not None


def report_in(report: ReportPage, language_code: str) -> ReportPage | None:
    if report.locale.language_code == language_code:
        return report
    locale = Locale.objects.filter(language_code=language_code).first()
    return report.get_translation_or_none(locale) if locale else None


def _managed_translation(page: Page) -> Translation | None:
    """The wagtail-localize translation that builds this page, if it is one."""
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
        )
        .exclude(source__locale_id=page.locale_id)
        .select_related("source", "target_locale")
        .first()
    )


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{name}: {message}" if name != "__all__" else message
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return error.messages


def _version_to_publish(page: Page) -> tuple[Page, list[str]]:
    """The content that would go live, and what stops it from going live."""
    translation = _managed_translation(page)
    if translation is not None:
        total, done = translation.get_progress()
        if done < total:
            return page, [
                _("%(done)s of %(total)s texts are translated.") % {"done": done, "total": total}
            ]
        try:
            candidate = translation.source.get_ephemeral_translated_instance(
                translation.target_locale, fallback=False
            )
        except (MissingTranslationError, MissingRelatedObjectError):
            return page, [_("A topic or author is not translated into this language yet.")]
        # wagtail-localize makes a translated slug valid and unique when it saves the page.
        candidate.slug = find_available_slug(
            page.get_parent(), slugify(candidate.slug), ignore_page_id=page.pk
        )
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

    problems = []
    for page in pages:
        _candidate, messages = _version_to_publish(page)
        if messages:
            problems.append(Problem(page, messages))
    if problems:
        raise WeekNotReady(problems)

    with transaction.atomic():
        for page in pages:
            translation = _managed_translation(page)
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
    return PublishResult(language_code=language_code, pages=pages, go_live_at=go_live_at)
