"""Subscribers, their consent, and the log of every weekly send down to each delivery."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Edition(models.TextChoices):
    """The newsletter's languages. The BE/RU edition is `be`: Russian text where Belarusian is
    missing, marked as such."""

    EN = "en", _("English")
    BE = "be", _("Belarusian (BE/RU)")
    RU = "ru", _("Russian")


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(_("e-mail address"), max_length=254)
    # Lower-cased with the domain in IDNA (punycode) form: one subscription per mailbox however
    # the address is typed.
    email_normalized = models.CharField(max_length=254, unique=True, editable=False)
    locale = models.CharField(_("language"), max_length=2, choices=Edition.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # Present while a confirmation link is outstanding; cleared when it is used (single use).
    confirm_nonce = models.CharField(max_length=32, blank=True, editable=False)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "locale"])]

    def __str__(self):
        return self.email


class ConsentRecord(models.Model):
    """What a subscriber agreed to (or withdrew), when, from where and in which language."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("Subscription requested")
        CONFIRMED = "confirmed", _("Subscription confirmed")
        WITHDRAWN = "withdrawn", _("Unsubscribed")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="consent_records"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    consent_text_version = models.CharField(_("consent text version"), max_length=64)
    locale = models.CharField(_("language"), max_length=2, choices=Edition.choices)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.subscriber} · {self.get_action_display()} · {self.created_at:%Y-%m-%d %H:%M}"


class DigestSend(models.Model):
    """One week's digest in one language: rendered once, then delivered to every subscriber."""

    week_start = models.DateField(_("week starting"))
    locale = models.CharField(_("language"), max_length=2, choices=Edition.choices)
    subject = models.CharField(pgettext_lazy("e-mail", "subject"), max_length=255, blank=True)
    # The rendering is kept so that every batch, retry and restart sends the same text.
    html = models.TextField(blank=True, editable=False)
    text = models.TextField(blank=True, editable=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest send")
        verbose_name_plural = _("digest sends")
        ordering = ["-week_start", "locale"]
        permissions = [("send_digest", _("Can send the weekly digest to subscribers"))]
        constraints = [
            models.UniqueConstraint(
                fields=["week_start", "locale"], name="newsletter_one_send_per_week_and_locale"
            )
        ]

    def __str__(self):
        return f"{self.week_start:%Y-%m-%d} · {self.get_locale_display()}"

    def counts(self) -> dict:
        """Deliveries by status, every status present (zero when none)."""
        counts = dict.fromkeys(Delivery.Status.values, 0)
        rows = self.deliveries.values("status").annotate(n=models.Count("id"))
        counts.update({row["status"]: row["n"] for row in rows})
        return counts


class Delivery(models.Model):
    """One subscriber's copy of one week. Unique per subscriber and week, and created before
    anything is sent, so a restarted or repeated send never mails anyone the same week twice."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        # Claimed by a worker, which hands it to SMTP and records it within moments. One left
        # here longer than NEWSLETTER_INTERRUPTED_AFTER_MINUTES is *interrupted*: its worker
        # died, and the SMTP server may or may not have accepted it. It is never resent
        # automatically, only when someone chooses to (see sending.resend_interrupted).
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped: unsubscribed before sending")

    send = models.ForeignKey(DigestSend, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    week_start = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    claim = models.UUIDField(null=True, blank=True)
    # When a worker last claimed it (moved it to "sending"); cleared when it goes back to the
    # queue.
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "week_start"], name="newsletter_one_delivery_per_week"
            )
        ]
        indexes = [models.Index(fields=["send", "status"]), models.Index(fields=["claim"])]

    def __str__(self):
        return f"{self.subscriber} · {self.week_start:%Y-%m-%d} · {self.status}"
