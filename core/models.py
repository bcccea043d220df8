"""Outbound revalidation webhooks: core.revalidation decides what changed, core.webhooks sends.

The tables kept the names they had when these models lived in `home` (db_table), so moving
them (core/migrations/0001_initial.py) touched no row.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


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
        db_table = "home_webhookendpoint"
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
        db_table = "home_webhookdelivery"
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.event} → {self.url}"


# ---- the change feed (core.changes) ---------------------------------------------------------


class PageChange(models.Model):
    """One page's change as readers saw it: an entry of GET /api/v2/changes/. Its id is the
    feed's cursor. Ids, paths and an action only — never a title or any other content."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")
        UNPUBLISHED = "unpublished", _("unpublished")
        DELETED = "deleted", _("deleted")

    id = models.BigAutoField(primary_key=True)
    # Plain numbers, no foreign keys: a deleted page's (or site's) entries must stay.
    site_id = models.IntegerField(_("site"))
    page_id = models.IntegerField(_("page"))
    page_type = models.CharField(_("page type"), max_length=100)
    locale = models.CharField(_("locale"), max_length=20)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    # language → frontend path after the change (null where that edition has no version).
    paths = models.JSONField(_("paths"))
    # Paths readers could see before the change and cannot any more: a build deletes them.
    removed_paths = models.JSONField(_("removed paths"), default=list)
    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)

    class Meta:
        verbose_name = _("page change")
        verbose_name_plural = _("page changes")
        indexes = [models.Index(fields=["site_id", "id"], name="core_pagechange_site_cursor")]

    def __str__(self):
        return f"{self.action} {self.page_type} {self.page_id}"


class PublicPath(models.Model):
    """Where each edition's readers find a page now (its language's version, or the one the
    edition borrows), as last reported by the change feed: what the next change is compared
    with, so the feed knows what was created, what moved and which paths are gone."""

    site_id = models.IntegerField(_("site"))
    language = models.CharField(_("language"), max_length=20)
    translation_key = models.UUIDField(_("translation key"), db_index=True)
    page_id = models.IntegerField(_("page"), db_index=True)
    path = models.TextField(_("path"))

    class Meta:
        verbose_name = _("public path")
        verbose_name_plural = _("public paths")
        constraints = [
            models.UniqueConstraint(
                fields=["site_id", "language", "translation_key"], name="core_publicpath_unique"
            )
        ]

    def __str__(self):
        return self.path


class ChangeFeed(models.Model):
    """The feed's one row: locked by every writer, so entries are numbered in the order they
    commit (a reader never sees a later cursor before an earlier one); and how far it has
    been pruned."""

    pruned_through = models.BigIntegerField(_("pruned through"), default=0)
    seeded = models.BooleanField(_("seeded"), default=False)

    class Meta:
        verbose_name = _("change feed")
        verbose_name_plural = _("change feed")

    def __str__(self):
        return f"change feed (pruned through {self.pruned_through})"
