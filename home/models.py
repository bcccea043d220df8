"""The root of each locale's page tree, and the page behaviour every public page shares."""

import secrets

from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail_headless_preview.models import HeadlessMixin

from core import visibility
from core.paths import locate

# Rich text for short site-wide blurbs: inline emphasis and links only.
BLURB_FEATURES = ["bold", "italic", "link"]


class BasePage(HeadlessMixin, Page):
    """A page whose public home is the decoupled frontend, not this CMS.

    Wagtail builds page URLs from the Site's root URL; a headless CMS must hand out the
    frontend's instead, so `full_url` (and the API's `html_url`) point at FRONTEND_BASE_URL.
    """

    class Meta:
        abstract = True

    def get_url_parts(self, request=None):
        located = locate(self.url_path, self.locale.language_code)
        if located is None:
            return None
        site_id, page_path = located
        return site_id, settings.FRONTEND_BASE_URL, page_path

    def serve(self, request, *args, **kwargs):
        """A stray request for a page is sent to the frontend — only for what readers may see
        (Wagtail serves live pages; an expired or other site's page must not be announced)."""
        if not visibility.for_request(request).shows_page(self):
            raise Http404
        return super().serve(request, *args, **kwargs)


class HomePage(BasePage):
    """One per locale: the root of that locale's tree and the home of the site-wide texts."""

    newsletter_title = models.CharField(
        _("newsletter box title"),
        max_length=120,
        default="Subscribe to our newsletter",
    )
    newsletter_text = models.TextField(
        _("newsletter box text"),
        blank=True,
        help_text=_("Shown in the newsletter box next to the subscription form."),
    )
    newsletter_success = models.CharField(
        _("subscription confirmation message"),
        max_length=200,
        default="You have been successfully subscribed",
        help_text=_("Shown after a reader submits the subscription form."),
    )
    about = RichTextField(
        _("about blurb"),
        features=BLURB_FEATURES,
        blank=True,
        help_text=_("A short description of the publication shown around articles."),
    )

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["digest.ReportIndexPage"]

    content_panels = [
        *Page.content_panels,
        FieldPanel("about"),
        MultiFieldPanel(
            [
                FieldPanel("newsletter_title"),
                FieldPanel("newsletter_text"),
                FieldPanel("newsletter_success"),
            ],
            heading=_("Newsletter box"),
        ),
    ]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


# --- Revalidation webhooks: home/revalidation.py decides what changed, home/webhooks.py sends ---


def new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """A frontend (or any service) that is told about every content change."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(
        _("URL"),
        max_length=500,
        help_text=_("Receives a POST with the changed frontend paths as signed JSON."),
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=128,
        default=new_webhook_secret,
        help_text=_(
            "The receiver checks the X-Situation-Desk-Signature header: "
            "“sha256=” and the HMAC-SHA256 of the body with this secret, in hex."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name"]

    def __str__(self):
        return self.name


class WebhookDelivery(models.Model):
    """One change announced to one endpoint: the delivery log in the admin."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RETRYING = "retrying", _("retrying")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    # Empty for the endpoints configured by WEBHOOK_URLS, and once an endpoint is deleted.
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    url = models.URLField(_("URL"), max_length=500)
    event = models.CharField(_("event"), max_length=50)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.event} → {self.url}"
