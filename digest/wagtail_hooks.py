from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import WorkflowMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.pages.utils import get_valid_next_url_from_request
from wagtail.admin.widgets import Button
from wagtail.models import Locale
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core import publishing
from core.languages import SOURCE_LANGUAGE
from core.publishing import TranslatedSnippet
from core.spreadsheets import SafeSnippetExportIndexView
from digest.desk import urls as desk_urls
from digest.desk.localize_views import (
    GatedUpdateTranslationsView,
    refused_message,
    translation_editor_publish,
)
from digest.desk.panels import (
    TranslatorDashboardPanel,
    TrendChartDashboardPanel,
    WeekDeskDashboardPanel,
)
from digest.models import ArticlePage, Author, ReportPage, Topic


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "slug", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    index_view_class = SafeSnippetExportIndexView


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = _("Authors")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "role"]
    search_fields = ["name"]
    index_view_class = SafeSnippetExportIndexView


register_snippet(TopicViewSet)
register_snippet(AuthorViewSet)


# --- Editorial desk: the week board, its menu item, dashboard panels and page buttons ---


@hooks.register("register_admin_urls")
def register_desk_urls():
    return [path("desk/", include(desk_urls, namespace="digest_desk"))]


# --- The publish gate at the admin's doors (core.publishing decides; these only ask first, so
# a refusal is a message on the page the person was on rather than an error) ---


@hooks.register("register_admin_urls", order=-1)
def gate_update_translations():
    """Before wagtail-localize's own URL of the same path (hooks run in `order`)."""
    return [
        path(
            "localize/update/<int:translation_source_id>/",
            GatedUpdateTranslationsView.as_view(),
            name="gated_update_translations",
        )
    ]


@hooks.register("before_edit_page", order=-1)
def gate_translation_editor(request, page):
    if request.method != "POST":
        return None
    if "localize-convert-to-alias" in request.POST and page.live:
        messages.error(
            request,
            _("A live translation cannot become a copy of the English: readers would get English."),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    if request.POST.get("action") == "publish":
        return translation_editor_publish(request, page)
    return None


@hooks.register("before_edit_snippet", order=-1)
def gate_translated_snippet(request, instance):
    """A topic or author has no drafts: a saved change in Belarusian or Russian is public.
    Ahead of wagtail-localize's hook, which answers its translation editor's Publish."""
    if request.method != "POST" or not isinstance(instance, TranslatedSnippet):
        return None
    if publishing.managed_translation(instance) is not None:
        if request.POST.get("action") == "publish":
            return translation_editor_publish(request, instance)
        return None  # the translation editor's other forms change no public text
    if "localize-restart-translation" in request.POST:
        return None  # syncing again changes the text only when someone publishes it
    return refuse_snippet_change(request, [instance])


@hooks.register("before_create_snippet")
def gate_new_translated_snippet(request, model):
    if request.method != "POST" or not issubclass(model, TranslatedSnippet):
        return None
    language = request.GET.get("locale") or SOURCE_LANGUAGE
    locale = Locale.objects.filter(language_code=language).first()
    return refuse_snippet_change(request, [model(locale=locale)] if locale else [])


@hooks.register("before_delete_snippet")
def gate_deleting_translated_snippets(request, instances):
    if request.method != "POST":
        return None
    return refuse_snippet_change(
        request, [item for item in instances if isinstance(item, TranslatedSnippet)]
    )


def refuse_snippet_change(request, snippets):
    """Stops a change to translated snippets the person may not publish, saying why."""
    refusals = [
        refused_message(snippet, reason) if snippet.pk else reason  # a new one has no name yet
        for snippet in snippets
        if (reason := publishing.snippet_refusal(snippet, request.user))
    ]
    if not refusals:
        return None
    for message in refusals:
        messages.error(request, message)
    return redirect(get_valid_next_url_from_request(request) or request.get_full_path())


@hooks.register("before_publish_page")
def gate_page_editor(request, page):
    """The page editor and page creation: the draft is saved, the publish is refused."""
    reason = publishing.refusal(page, request.user, page.get_latest_revision())
    if reason is None:
        return None
    messages.error(request, refused_message(page, reason))
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_bulk_action")
def gate_bulk_publish(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    refusals = [
        refused_message(page, reason)
        for page in objects
        if (reason := publishing.refusal(page, request.user, page.get_latest_revision()))
    ]
    if not refusals:
        return None
    for message in refusals:
        messages.error(request, message)
    return redirect(get_valid_next_url_from_request(request) or "wagtailadmin_explore_root")


@hooks.register("construct_page_action_menu")
def approve_for_the_week(menu_items, request, context):
    """Wagtail labels the last task's approval "… and Publish"; an article of a week that is
    not live is approved for its week instead (digest.workflow)."""
    page = context.get("page")
    if page is None or page.specific_class is not ArticlePage or page.pk is None:
        return
    if page.specific.publication_refusal(None, request.user) is None:
        return
    for item in menu_items:
        if isinstance(item, WorkflowMenuItem) and item.name == "approve":
            item.label = _("Approve for the week")


@hooks.register("register_admin_menu_item")
def register_desk_menu_item():
    return MenuItem(_("Week desk"), reverse("digest_desk:weeks"), icon_name="date", order=150)


@hooks.register("construct_homepage_panels")
def add_desk_dashboard_panels(request, panels):
    panels.append(TranslatorDashboardPanel(request.user))
    panels.append(WeekDeskDashboardPanel())
    panels.append(TrendChartDashboardPanel())


def week_board_button(page, user, next_url=None, view_name=None):
    """A way from a week or an article in the page tree to that week's board."""
    specific_class = page.specific_class
    if specific_class is ReportPage:
        report_id = page.pk
    elif specific_class is ArticlePage:
        report_id = page.get_parent().pk
    else:
        return
    yield Button(
        _("Week board"),
        reverse("digest_desk:week", args=[report_id]),
        icon_name="date",
        priority=55,
    )


hooks.register("register_page_listing_more_buttons", week_board_button)
hooks.register("register_page_header_buttons", week_board_button)
