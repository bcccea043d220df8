"""The week desk: the listing of weeks, a week's board and the actions on a whole week."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale, Page

from digest.desk.forms import PublishWeekForm
from digest.desk.languages import (
    SOURCE_LANGUAGE,
    admin_language,
    desk_languages,
    language_name,
)
from digest.desk.new_week import WeekAlreadyStarted, create_next_week, next_week_start
from digest.desk.publishing import WeekNotReady, publish_week
from digest.desk.status import MISSING, NEEDS_SYNC, week_status, with_time_zone
from digest.desk.translation import languages_for, sync_week, translate_week
from digest.models import ReportIndexPage, ReportPage
from digest.weeks import format_week

WEEKS_PER_PAGE = 10


def english_reports():
    archive = english_archive()
    if archive is None:
        return ReportPage.objects.none()
    return ReportPage.objects.child_of(archive).order_by("-week_start")


def recent_week_statuses(count: int):
    return [week_status(report) for report in english_reports()[:count]]


def english_report_or_404(report_id: int) -> ReportPage:
    report = get_object_or_404(ReportPage, pk=report_id)
    if report.locale.language_code != SOURCE_LANGUAGE:
        report = ReportPage.objects.filter(
            translation_key=report.translation_key, locale__language_code=SOURCE_LANGUAGE
        ).first()
        if report is None:
            raise Http404
    archive = english_archive()
    if archive is None or not report.is_child_of(archive):
        raise Http404  # another site's week: the desk is the publication's
    return report


def english_archive() -> ReportIndexPage | None:
    return ReportIndexPage.of_publication(Locale.objects.get(language_code=SOURCE_LANGUAGE))


def can_start_week(user) -> bool:
    archive = english_archive()
    return archive is not None and archive.permissions_for_user(user).can_add_subpage()


def can_translate(user) -> bool:
    return user.has_perm("wagtail_localize.submit_translation")


def board_url(report: ReportPage) -> str:
    return reverse("digest_desk:week", args=[report.pk])


def page_names(pages) -> str:
    return ", ".join(f"“{page.draft_title}”" for page in pages)


class WeeksView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "digest/desk/weeks.html"
    page_title = gettext_lazy("Week desk")
    header_icon = "date"

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(english_reports(), WEEKS_PER_PAGE)
        page_obj = paginator.get_page(self.request.GET.get("p"))
        context.update(
            statuses=[week_status(report) for report in page_obj.object_list],
            page_obj=page_obj,
            languages=[(code, language_name(code)) for code in desk_languages()],
            can_start_week=can_start_week(self.request.user),
            next_week_start=(
                upcoming := next_week_start(Locale.objects.get(language_code=SOURCE_LANGUAGE))
            ),
            next_week=format_week(upcoming, admin_language()),
        )
        return context


class WeekBoardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "digest/desk/week_board.html"
    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        self.report = english_report_or_404(kwargs["report_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return format_week(self.report.week_start, admin_language())

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("digest_desk:weeks"), "label": _("Week desk")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        status = week_status(self.report)
        for row in status.rows:
            for cell in row.cells:
                cell.can_edit = bool(cell.page) and cell.page.permissions_for_user(user).can_edit()
        urls = AdminURLFinder(user)
        for column in status.columns:
            column.snippet_links = [
                (snippet, urls.get_edit_url(snippet)) for snippet in column.waiting_snippets
            ]
        publish_columns = []
        for column in status.columns:
            pages = status.pages_in(column.language_code)
            can_publish = bool(pages) and all(
                page.permissions_for_user(user).can_publish() for page in pages
            )
            publish_columns.append(
                {
                    "column": column,
                    "can_publish": can_publish,
                    "form": kwargs.get("publish_forms", {}).get(column.language_code)
                    or PublishWeekForm(prefix=column.language_code),
                    "problems": kwargs.get("problems", {}).get(column.language_code),
                }
            )
        context.update(
            status=status,
            publish_columns=publish_columns,
            can_translate=can_translate(user) and bool(languages_for(user, self.report)),
            has_missing=any(cell.state == MISSING for row in status.rows for cell in row.cells[1:]),
            needs_sync=any(
                cell.work == NEEDS_SYNC for row in status.rows for cell in row.cells[1:]
            ),
            has_waiting_snippets=any(column.waiting_snippets for column in status.columns),
        )
        return context

    def post(self, request, *args, **kwargs):
        """Publishing the week in one language (the only form that posts back to the board)."""
        language_code = request.POST.get("language")
        if language_code not in desk_languages():
            raise Http404
        form = PublishWeekForm(request.POST, prefix=language_code)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(publish_forms={language_code: form})
            )
        go_live_at = form.cleaned_data["go_live_at"]
        try:
            result = publish_week(self.report, language_code, request.user, go_live_at)
        except WeekNotReady as not_ready:
            messages.error(
                request,
                _("Nothing was published in %(language)s: fix the pages below first.")
                % {"language": language_name(language_code)},
            )
            return self.render_to_response(
                self.get_context_data(problems={language_code: not_ready.problems})
            )
        values = {"language": language_name(language_code), "pages": page_names(result.pages)}
        if result.scheduled:
            values["time"] = with_time_zone(result.go_live_at)
            messages.success(
                request, _("Scheduled in %(language)s for %(time)s: %(pages)s.") % values
            )
        elif result.pages:
            messages.success(request, _("Published in %(language)s: %(pages)s.") % values)
        else:
            messages.info(
                request,
                _("Nothing new to publish in %(language)s: every page is live and up to date.")
                % values,
            )
        if result.snippets:
            messages.success(
                request,
                _("Its topics and authors went live with it: %(items)s.")
                % {"items": ", ".join(f"“{snippet}”" for snippet in result.snippets)},
            )
        if result.unchanged and result.pages:
            messages.info(
                request,
                _("Already live and unchanged: %(pages)s.")
                % {"pages": page_names(result.unchanged)},
            )
        if result.missing:
            messages.warning(
                request,
                _("Not in %(language)s yet, so not published: %(pages)s.")
                % {"language": language_name(language_code), "pages": page_names(result.missing)},
            )
        return redirect(board_url(self.report))


@require_POST
def new_week(request):
    if not can_start_week(request.user):
        raise PermissionDenied
    try:
        # The week shown on the button; without it (an older form), whatever week is next.
        week_start = parse_date(request.POST.get("week_start", ""))
    except ValueError:
        week_start = None
    try:
        report = create_next_week(request.user, week_start)
    except WeekAlreadyStarted as started:
        messages.info(
            request,
            _("The week of %(week)s has already been started.")
            % {"week": format_week(week_start, admin_language())},
        )
        if started.report is not None:
            return redirect(board_url(started.report))
        return redirect("digest_desk:weeks")
    count = report.get_children().count()
    messages.success(
        request,
        ngettext(
            "Started the week of %(week)s with %(count)s draft article.",
            "Started the week of %(week)s with %(count)s draft articles.",
            count,
        )
        % {
            "week": format_week(report.week_start, admin_language()),
            "count": count,
        },
    )
    return redirect(board_url(report))


@require_POST
def translate(request, report_id):
    report = english_report_or_404(report_id)
    allowed = languages_for(request.user, report) if can_translate(request.user) else []
    requested = request.POST.get("language")
    if not allowed or (requested and requested not in allowed):
        raise PermissionDenied
    pages = None
    if request.POST.get("page"):
        pages = [get_object_or_404(Page, pk=request.POST["page"], locale=report.locale)]
    languages = [requested] if requested else allowed
    result = translate_week(report, request.user, languages, pages)
    if result.created:
        created = {}
        for page, locale in result.created:
            created.setdefault(language_name(locale.language_code), []).append(page)
        messages.success(
            request,
            _("Sent to translation: %(details)s.")
            % {
                "details": "; ".join(
                    f"{language} — {page_names(pages)}" for language, pages in created.items()
                )
            },
        )
    for page, locale, reason in result.failed:
        messages.error(
            request,
            _("“%(page)s” could not be sent to %(language)s: %(reason)s")
            % {
                "page": page.draft_title,
                "language": language_name(locale.language_code),
                "reason": reason,
            },
        )
    if not result.created and not result.failed:
        messages.info(request, _("Every page of this week already has its translations."))
    return redirect(board_url(report))


@require_POST
def sync(request, report_id):
    if not can_translate(request.user):
        raise PermissionDenied
    report = english_report_or_404(report_id)
    result = sync_week(report, request.user)
    if not result.updated:
        messages.info(request, _("The translations already have the latest English text."))
        return redirect(board_url(report))
    messages.success(
        request,
        _("Translators now have the latest English of: %(pages)s.")
        % {"pages": page_names(result.updated)},
    )
    if result.rebuilt:
        messages.success(
            request,
            _("Updated at once (fully translated): %(pages)s.")
            % {
                "pages": ", ".join(
                    f"“{page.draft_title}” ({language_name(locale.language_code)})"
                    for page, locale in result.rebuilt
                )
            },
        )
    if result.needs_publisher:
        messages.warning(
            request,
            _(
                "Translated, to be published by its language's translator or a chief editor: "
                "%(pages)s."
            )
            % {
                "pages": ", ".join(
                    f"“{page.draft_title}” ({language_name(locale.language_code)})"
                    for page, locale in result.needs_publisher
                )
            },
        )
    if result.waiting:
        messages.warning(
            request,
            _("Waiting for translators (new text to translate): %(pages)s.")
            % {
                "pages": ", ".join(
                    f"“{page.draft_title}” ({language_name(locale.language_code)})"
                    for page, locale in result.waiting
                )
            },
        )
    return redirect(board_url(report))
