"""Revalidation webhooks in the admin (Settings): the endpoints, and the log of every delivery."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from core.models import WebhookDelivery, WebhookEndpoint
from core.spreadsheets import SafeExportIndexView


class DeliveryLogPermissionPolicy(ModelPermissionPolicy):
    """The delivery log is a record of what was sent: it can be read, not written."""

    def user_has_permission(self, user, action):
        return action not in {"add", "change", "delete"} and super().user_has_permission(
            user, action
        )


register_permission_policy(WebhookDelivery, DeliveryLogPermissionPolicy(WebhookDelivery))


class WebhookEndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    name = "webhook_endpoints"
    url_prefix = "webhooks/endpoints"
    icon = "link"
    menu_label = _("Webhook endpoints")
    add_to_settings_menu = True
    list_display = ["name", "url", "is_active", DateColumn("created_at", label=_("Created"))]
    list_filter = ["is_active"]
    form_fields = ["name", "url", "secret", "is_active"]
    copy_view_enabled = False
    index_view_class = SafeExportIndexView


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    name = "webhook_deliveries"
    url_prefix = "webhooks/deliveries"
    icon = "list-ul"
    menu_label = _("Webhook deliveries")
    add_to_settings_menu = True
    list_display = [
        "event",
        "url",
        "status",
        "attempts",
        "response_status",
        DateColumn("created_at", label=_("Created")),
        DateColumn("last_attempt_at", label=_("Last attempt")),
    ]
    list_filter = ["status", "event"]
    form_fields = []
    copy_view_enabled = False
    index_view_class = SafeExportIndexView
    inspect_view_enabled = True
    inspect_view_fields = [
        "event",
        "endpoint",
        "url",
        "status",
        "attempts",
        "response_status",
        "error",
        "created_at",
        "last_attempt_at",
        "delivered_at",
        "payload",
    ]


@hooks.register("register_admin_viewset")
def register_webhook_endpoints():
    return WebhookEndpointViewSet()


@hooks.register("register_admin_viewset")
def register_webhook_deliveries():
    return WebhookDeliveryViewSet()
