"""Telling translators when their language has work: a week ready for translation, or English
changed after they translated it. By e-mail (a background task) and on their dashboard
(digest.desk.panels.TranslatorDashboardPanel, which reads `translator_work`).

Who a language's translators are is decided by the page tree, as for everything else on the
desk: the active users who may add pages to that language's archive and may not edit the
English one (chief editors see every language on the board already).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from core.languages import SOURCE_LANGUAGE

READY = "ready"
CHANGED = "changed"


def translators_of(language_code: str, report) -> list:
    """The people who translate `report`'s week into the language."""
    from digest.desk.translation import languages_for

    english_archive = report.get_parent()
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return [
        user
        for user in users.select_related("wagtail_userprofile")
        if language_code in languages_for(user, report)
        and not english_archive.permissions_for_user(user).can_edit()
    ]


def _message(kind: str, report, page, user) -> tuple[str, str]:
    from digest.desk.languages import admin_language
    from digest.weeks import format_week

    profile = getattr(user, "wagtail_userprofile", None)
    language = (profile and profile.preferred_language) or settings.LANGUAGE_CODE
    board = settings.WAGTAILADMIN_BASE_URL + reverse("digest_desk:week", args=[report.pk])
    with translation.override(language):
        week = format_week(report.week_start, admin_language())
        if kind == READY:
            subject = _("The week of %(week)s is ready for translation") % {"week": week}
            body = _("The English week of %(week)s is live. Translate it from its board:") % {
                "week": week
            }
        else:
            subject = _("The English changed: %(title)s") % {"title": page.title}
            body = _(
                "“%(title)s” (week of %(week)s) was corrected in English after it was "
                "translated. Sync and translate the new text from the week's board:"
            ) % {"title": page.title, "week": week}
    return subject, f"{body}\n{board}\n"


@task()
def notify_translators(page_id: int, kind: str) -> int:
    """Mails each translation language's translators once about `page_id`; returns how many."""
    from wagtail.models import Page

    from digest.desk.languages import locales_for, translation_languages
    from digest.models import ReportPage

    page = Page.objects.filter(pk=page_id).specific().first()
    if page is None:
        return 0
    report = page if isinstance(page, ReportPage) else page.get_parent().specific
    messages = []
    for locale in locales_for(translation_languages()):
        if kind == CHANGED and not page.has_translation(locale):
            continue
        for user in translators_of(locale.language_code, report):
            subject, body = _message(kind, report, page, user)
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    send_mass_mail(messages, fail_silently=False)
    return len(messages)


def on_english_published(page) -> str | None:
    """What an English publish means for translators (None: nothing to tell)."""
    from wagtail_localize.models import TranslationSource

    from digest.desk.translation import english_has_changed
    from digest.models import ReportPage

    if page.locale.language_code != SOURCE_LANGUAGE:
        return None
    if isinstance(page, ReportPage) and page.first_published_at == page.last_published_at:
        return READY
    source = TranslationSource.objects.get_for_instance_or_none(page)
    if source is not None and english_has_changed(source, page):
        return CHANGED
    return None


@dataclass
class Work:
    status: object  # digest.desk.status.WeekStatus
    language_code: str
    missing: int
    needs_sync: int
    waiting: int
    to_publish: int


def translator_work(user, weeks: int = 4) -> list[Work]:
    """What the user's languages need in the latest weeks, for their dashboard."""
    from digest.desk.status import LIVE, MISSING, NEEDS_SYNC, STALE, week_status
    from digest.desk.translation import languages_for
    from digest.desk.views import english_reports

    work = []
    for report in english_reports().live()[:weeks]:
        languages = languages_for(user, report)
        if not languages or report.get_parent().permissions_for_user(user).can_edit():
            continue
        status = week_status(report)
        for language_code in languages:
            index = status.columns.index(status.column(language_code))
            cells = [row.cells[index] for row in status.rows]
            item = Work(
                status=status,
                language_code=language_code,
                missing=sum(cell.state == MISSING for cell in cells),
                needs_sync=sum(cell.work == NEEDS_SYNC for cell in cells),
                waiting=sum(cell.untranslated for cell in cells),
                to_publish=sum(
                    cell.work == STALE or (cell.page is not None and cell.state != LIVE)
                    for cell in cells
                    if not cell.untranslated
                ),
            )
            if item.missing or item.needs_sync or item.waiting or item.to_publish:
                work.append(item)
    return work
