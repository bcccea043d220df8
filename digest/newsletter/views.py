"""Admin screens for sending a week's digest: previews per language, a test copy to yourself,
then a confirmation step before the real send."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.mail import BadHeaderError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from digest.models import ReportPage
from digest.newsletter.content import WeekNotPublished, published_report, week_digest
from digest.newsletter.emails import editor_copy_message, render_digest, with_unsubscribe_links
from digest.newsletter.links import unsubscribe_page_base
from digest.newsletter.models import DigestSend, Edition, Subscriber
from digest.newsletter.sending import SMTP_ERRORS, start_digest_send

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
