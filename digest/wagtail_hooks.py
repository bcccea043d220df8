from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.spreadsheets import SafeSnippetExportIndexView
from digest.desk import urls as desk_urls
from digest.desk.panels import TrendChartDashboardPanel, WeekDeskDashboardPanel
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


@hooks.register("register_admin_menu_item")
def register_desk_menu_item():
    return MenuItem(_("Week desk"), reverse("digest_desk:weeks"), icon_name="date", order=150)


@hooks.register("construct_homepage_panels")
def add_desk_dashboard_panels(request, panels):
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
