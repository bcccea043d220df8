"""The newsletter in the Wagtail admin: subscribers, the send log with progress, the "Send digest"
action on published weeks, and subscriber counts on the dashboard."""

from django.db.models import Count, Q
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.site_summary import SummaryItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from digest.models import ReportPage
from digest.newsletter import views
from digest.newsletter.models import Delivery, DigestSend, Edition, Subscriber


class NoAddPermissionPolicy(ModelPermissionPolicy):
    """Subscribers arrive only through double opt-in, and sends only through "Send digest":
    nobody creates either in a form."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


class SendLogPermissionPolicy(NoAddPermissionPolicy):
    """The send log is a record: it can be read and inspected, not edited or deleted."""

    def user_has_permission(self, user, action):
        if action in {"change", "delete"}:
            return False
        if action == "view":
            return user.has_perm(views.SEND_PERMISSION) or super().user_has_permission(user, action)
        return super().user_has_permission(user, action)


register_permission_policy(Subscriber, NoAddPermissionPolicy(Subscriber))
register_permission_policy(DigestSend, SendLogPermissionPolicy(DigestSend))


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    name = "newsletter_subscriber"
    url_prefix = "newsletter/subscribers"
    icon = "user"
    menu_label = _("Subscribers")
    list_display = ["email", "locale", "status", "created_at", "confirmed_at"]
    list_filter = ["locale", "status"]
    search_fields = ["email"]
    # Subscribers are not in a Wagtail search index; plain database search suits an address list.
    search_backend_name = None
    list_export = ["email", "locale", "status", "created_at", "confirmed_at", "unsubscribed_at"]
    export_filename = "newsletter-subscribers"
    # An editor may correct the language on a reader's request; status changes go through the
    # reader's own links so that consent stays provable.
    form_fields = ["locale"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "email",
        "locale",
        "status",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    ]


def _count(status: str) -> Count:
    return Count("deliveries", filter=Q(deliveries__status=status))


def _progress(send) -> str:
    total = send.total_count
    if not total:
        return "—"
    done = send.sent_count + send.failed_count + send.skipped_count
    return f"{done} / {total} ({100 * done // total} %)"


class SendLogIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(
                total_count=Count("deliveries"),
                queued_count=_count(Delivery.Status.QUEUED),
                sending_count=_count(Delivery.Status.SENDING),
                sent_count=_count(Delivery.Status.SENT),
                failed_count=_count(Delivery.Status.FAILED),
                skipped_count=_count(Delivery.Status.SKIPPED),
            )
        )


class DigestSendViewSet(ModelViewSet):
    model = DigestSend
    name = "newsletter_digestsend"
    url_prefix = "newsletter/sends"
    icon = "mail"
    menu_label = _("Digest sends")
    index_view_class = SendLogIndexView
    list_display = [
        "__str__",
        Column("progress", label=_("Progress"), accessor=_progress),
        Column("queued_count", label=_("Queued")),
        Column("sending_count", label=_("Sending")),
        Column("sent_count", label=_("Sent")),
        Column("failed_count", label=_("Failed")),
        DateColumn("created_at", label=_("Started")),
        DateColumn("finished_at", label=_("Finished")),
    ]
    list_filter = ["locale"]
    form_fields = ["subject"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "week_start",
        "locale",
        "subject",
        "started_by",
        "created_at",
        "finished_at",
    ]


class NewsletterViewSetGroup(ModelViewSetGroup):
    menu_label = _("Newsletter")
    menu_icon = "mail"
    menu_order = 250
    items = (SubscriberViewSet, DigestSendViewSet)


@hooks.register("register_admin_viewset")
def register_newsletter_viewsets():
    return NewsletterViewSetGroup()


@hooks.register("register_admin_urls")
def register_send_digest_urls():
    urls = [
        path("<int:page_id>/", views.SendDigestView.as_view(), name="send"),
        path("<int:page_id>/confirm/", views.ConfirmSendView.as_view(), name="confirm"),
        path("<int:page_id>/preview/<str:locale>/", views.PreviewView.as_view(), name="preview"),
    ]
    return [path("newsletter/send/", include((urls, "newsletter_admin")))]


def _send_button(page, user, priority):
    if (
        issubclass(page.specific_class, ReportPage)
        and page.live
        and user.has_perm(views.SEND_PERMISSION)
    ):
        yield Button(
            _("Send digest"),
            reverse("newsletter_admin:send", args=[page.pk]),
            icon_name="mail",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def send_digest_header_button(page, user, view_name, next_url=None):
    yield from _send_button(page, user, priority=75)


@hooks.register("register_page_listing_more_buttons")
def send_digest_listing_button(page, user, next_url=None):
    yield from _send_button(page, user, priority=75)


class SubscribersSummaryItem(SummaryItem):
    order = 500
    template_name = "newsletter/admin/summary_item.html"

    def get_context_data(self, parent_context):
        counts = views.confirmed_counts()
        return {
            "total": sum(counts.values()),
            "editions": [(code, label, counts[code]) for code, label in Edition.choices],
        }

    def is_shown(self):
        return self.request.user.has_perm("newsletter.view_subscriber") or (
            self.request.user.has_perm("newsletter.change_subscriber")
        )


@hooks.register("construct_homepage_summary_items")
def add_subscribers_summary_item(request, items):
    items.append(SubscribersSummaryItem(request))
