"""Admin screens for sending a week's digest: previews per language, a test copy to yourself,
then a confirmation step before the real send; and resending a send's interrupted deliveries,
also only after a confirmation."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.mail import BadHeaderError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from digest.models import ReportPage
from digest.newsletter.content import WeekNotPublished, published_report, week_digest
from digest.newsletter.emails import editor_copy_message, render_digest, with_unsubscribe_links
from digest.newsletter.links import unsubscribe_page_base
from digest.newsletter.models import DigestSend, Edition, Subscriber
from digest.newsletter.sending import (
    SMTP_ERRORS,
    interrupted,
    interrupted_after,
    resend_interrupted,
    start_digest_send,
)

SEND_PERMISSION = "newsletter.send_digest"


def confirmed_counts() -> dict[str, int]:
    rows = (
        Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED)
        .values("locale")
        .annotate(n=Count("id"))
    )
    counts = dict.fromkeys(Edition.values, 0)
    counts.update({row["locale"]: row["n"] for row in rows})
    return counts


class SendDigestMixin(WagtailAdminTemplateMixin):
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(SEND_PERMISSION):
            raise PermissionDenied
        page = get_object_or_404(ReportPage, pk=kwargs["page_id"])
        self.week_start = page.week_start
        try:
            self.report = published_report(self.week_start)
        except WeekNotPublished:
            messages.error(request, _("Publish the English week before sending its digest."))
            return redirect("wagtailadmin_pages:edit", page.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.report.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailadmin_pages:edit", args=[self.report.pk]),
                "label": self.report.title,
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def editions(self) -> list[dict]:
        counts = confirmed_counts()
        sends = {
            send.locale: send for send in DigestSend.objects.filter(week_start=self.week_start)
        }
        return [
            {
                "code": code,
                "label": label,
                "subscribers": counts[code],
                "send": sends.get(code),
                "counts": sends[code].counts() if code in sends else None,
                "preview_url": reverse("newsletter_admin:preview", args=[self.report.pk, code]),
            }
            for code, label in Edition.choices
        ]


class SendDigestView(SendDigestMixin, TemplateView):
    """Previews, a test copy, and the way on to the confirmation."""

    page_title = gettext_lazy("Send digest")
    template_name = "newsletter/admin/send_digest.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            report=self.report,
            editions=self.editions(),
            confirm_url=reverse("newsletter_admin:confirm", args=[self.report.pk]),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        language = request.POST.get("locale")
        if language not in Edition.values:
            messages.error(request, _("Choose a language for the test copy."))
        elif not request.user.email:
            messages.error(request, _("Your account has no e-mail address for the test copy."))
        else:
            rendered = render_digest(week_digest(self.week_start, language))
            try:
                editor_copy_message(rendered, request.user.email).send()
            except (*SMTP_ERRORS, BadHeaderError) as exc:
                messages.error(request, _("The test copy could not be sent: %s") % exc)
            else:
                messages.success(
                    request,
                    _("A test copy in %(language)s went to %(email)s.")
                    % {"language": Edition(language).label, "email": request.user.email},
                )
        return redirect("newsletter_admin:send", self.report.pk)


class ConfirmSendView(SendDigestMixin, TemplateView):
    page_title = gettext_lazy("Confirm the send")
    template_name = "newsletter/admin/confirm_send.html"

    def get_context_data(self, **kwargs):
        editions = self.editions()
        return super().get_context_data(
            report=self.report,
            editions=editions,
            total=sum(edition["subscribers"] for edition in editions),
            back_url=reverse("newsletter_admin:send", args=[self.report.pk]),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        start_digest_send(self.week_start, started_by=request.user)
        messages.success(
            request,
            _("The digest for %(week)s is being sent. Progress is shown below.")
            % {"week": self.report.title},
        )
        return redirect("newsletter_digestsend:index")


@method_decorator(xframe_options_sameorigin, name="dispatch")
class PreviewView(SendDigestMixin, TemplateView):
    """The digest exactly as subscribers of one language get it (shown in an iframe)."""

    def get(self, request, *args, **kwargs):
        language = kwargs["locale"]
        if language not in Edition.values:
            raise Http404
        rendered = render_digest(week_digest(self.week_start, language))
        _text, html = with_unsubscribe_links(rendered, unsubscribe_page_base())
        return HttpResponse(html)


def interrupted_minutes() -> int:
    return int(interrupted_after().total_seconds() // 60)


class ResendInterruptedView(WagtailAdminTemplateMixin, TemplateView):
    """Asks before putting a send's interrupted deliveries back in the queue: their subscribers
    may get the week twice. Nothing is resent without this confirmation."""

    page_title = gettext_lazy("Resend interrupted deliveries")
    template_name = "newsletter/admin/resend_interrupted.html"
    header_icon = "mail"
    # Addresses listed on the confirmation page; the count always covers them all.
    shown_addresses = 100

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(SEND_PERMISSION):
            raise PermissionDenied
        self.send = get_object_or_404(DigestSend, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.send)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("newsletter_digestsend:index"),
                "label": DigestSend._meta.verbose_name_plural.capitalize(),
            },
            {
                "url": reverse("newsletter_digestsend:inspect", args=[self.send.pk]),
                "label": str(self.send),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        as_of = timezone.now()
        deliveries = interrupted(self.send.deliveries.all(), as_of)
        return super().get_context_data(
            send=self.send,
            count=deliveries.count(),
            addresses=list(
                deliveries.order_by("subscriber__email").values_list(
                    "subscriber__email", flat=True
                )[: self.shown_addresses]
            ),
            as_of=as_of.isoformat(),
            minutes=interrupted_minutes(),
            back_url=reverse("newsletter_digestsend:inspect", args=[self.send.pk]),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        # Only what the confirmation page counted: deliveries interrupted as of the moment it
        # was shown (a delivery claimed again since then is not touched).
        try:
            as_of = datetime.datetime.fromisoformat(request.POST.get("as_of", ""))
        except ValueError:
            as_of = None
        if as_of is not None and timezone.is_naive(as_of):
            as_of = None
        if as_of is not None:
            # Never later than now: a doctored form must not reach deliveries still in progress.
            as_of = min(as_of, timezone.now())
        count = resend_interrupted(self.send, as_of=as_of, by=request.user.get_username()).requeued
        if count:
            messages.success(
                request,
                ngettext(
                    "%(count)d interrupted delivery of %(send)s was queued again.",
                    "%(count)d interrupted deliveries of %(send)s were queued again.",
                    count,
                )
                % {"count": count, "send": self.send},
            )
        else:
            messages.info(request, _("There was nothing to resend: no delivery is interrupted."))
        return redirect("newsletter_digestsend:index")
