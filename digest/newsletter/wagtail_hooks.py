"""The newsletter in the Wagtail admin: subscribers, the send log with progress and interrupted
deliveries (and the confirmed way to resend them), the "Send digest" action on published weeks,
and subscriber counts on the dashboard."""

from django.db.models import Count, Q
from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.site_summary import SummaryItem
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from core.spreadsheets import SafeExportIndexView
from digest.models import ReportPage
from digest.newsletter import views
from digest.newsletter.models import Delivery, DigestSend, Edition, Subscriber
from digest.newsletter.sending import (
    interrupted,
    interrupted_after,
    interrupted_cutoff,
    stale_claim,
)


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
    # Addresses come from the public form: exported cells never act as formulas.
    index_view_class = SafeExportIndexView
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


def _count(status: str, *conditions: Q) -> Count:
    return Count("deliveries", filter=Q(*conditions, deliveries__status=status))


def _progress(send) -> str:
    total = send.total_count
    if not total:
        return "—"
    done = send.sent_count + send.failed_count + send.skipped_count
    return f"{done} / {total} ({100 * done // total} %)"


def _resend_url(user, send) -> str | None:
    if user.has_perm(views.SEND_PERMISSION):
        return reverse("newsletter_digestsend:resend_interrupted", args=[send.pk])
    return None


class InterruptedColumn(Column):
    """The count of interrupted deliveries, said to be uncertain, with the way to resend them."""

    cell_template_name = "newsletter/admin/interrupted_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        if context["raw_value"] and request is not None:
            context["resend_url"] = _resend_url(request.user, instance)
        return context


class SendLogIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        # "sending" for longer than NEWSLETTER_INTERRUPTED_AFTER_MINUTES: the worker stopped.
        cutoff = interrupted_cutoff()
        recent = Q(deliveries__claimed_at__gte=cutoff)
        stale = stale_claim(cutoff, prefix="deliveries__")
        return (
            super()
            .get_base_queryset()
            .annotate(
                total_count=Count("deliveries"),
                queued_count=_count(Delivery.Status.QUEUED),
                sending_count=_count(Delivery.Status.SENDING, recent),
                interrupted_count=_count(Delivery.Status.SENDING, stale),
                sent_count=_count(Delivery.Status.SENT),
                failed_count=_count(Delivery.Status.FAILED),
                skipped_count=_count(Delivery.Status.SKIPPED),
            )
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        url = _resend_url(self.request.user, instance)
        if instance.interrupted_count and url:
            buttons.append(
                MenuItem(_("Resend interrupted deliveries"), url=url, icon_name="mail", priority=40)
            )
        return buttons


class SendInspectView(InspectView):
    """The send's record, with its deliveries by status and any interrupted ones explained."""

    extra_fields = {"deliveries": _("Deliveries"), "interrupted": _("Interrupted deliveries")}

    def get_field_label(self, field_name, field):
        if field_name in self.extra_fields:
            return self.extra_fields[field_name]
        return super().get_field_label(field_name, field)

    @cached_property
    def interrupted_count(self) -> int:
        return interrupted(self.object.deliveries.all()).count()

    def get_deliveries_display_value(self):
        counts = self.object.counts()
        counts["sending"] -= self.interrupted_count
        return ", ".join(f"{label}: {counts[status]}" for status, label in Delivery.Status.choices)

    def get_interrupted_display_value(self):
        count = self.interrupted_count
        if not count:
            return "0"
        minutes = int(interrupted_after().total_seconds() // 60)
        return ngettext(
            '%(count)d delivery has been in "sending" for more than %(minutes)d minutes: the '
            "worker stopped while sending it. It may or may not have been delivered.",
            '%(count)d deliveries have been in "sending" for more than %(minutes)d minutes: '
            "the worker stopped while sending them. They may or may not have been delivered.",
            count,
        ) % {"count": count, "minutes": minutes}

    def get_header_more_buttons(self):
        buttons = super().get_header_more_buttons()
        url = _resend_url(self.request.user, self.object)
        if self.interrupted_count and url:
            buttons.append(
                Button(_("Resend interrupted deliveries"), url=url, icon_name="mail", priority=30)
            )
        return buttons


class DigestSendViewSet(ModelViewSet):
    model = DigestSend
    name = "newsletter_digestsend"
    url_prefix = "newsletter/sends"
    icon = "mail"
    menu_label = _("Digest sends")
    index_view_class = SendLogIndexView
    inspect_view_class = SendInspectView
    list_display = [
        "__str__",
        Column("progress", label=_("Progress"), accessor=_progress),
        Column("queued_count", label=_("Queued")),
        Column("sending_count", label=_("Sending")),
        InterruptedColumn("interrupted_count", label=_("Interrupted")),
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
        "deliveries",
        "interrupted",
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "resend-interrupted/<int:pk>/",
                views.ResendInterruptedView.as_view(),
                name="resend_interrupted",
            ),
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
