"""The newsletter's two e-mails: the confirmation request and the weekly digest.

The digest is rendered once per language (templates, then CSS inlined for mail clients) and
serialized once per batch into wire-format bytes with placeholders; each subscriber's copy only
swaps in their address, unsubscribe links and a Message-ID. Sending to thousands therefore costs
one rendering and a few byte replacements per reader, not a MIME build per reader.
"""

from dataclasses import dataclass
from email.utils import make_msgid

import css_inline
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from digest.newsletter.content import WeekDigest
from digest.newsletter.links import (
    confirm_url,
    one_click_unsubscribe_base,
    unsubscribe_links,
    unsubscribe_page_base,
)
from digest.newsletter.models import Subscriber

# Stored in DigestSend.text / .html; replaced per subscriber.
TEXT_UNSUBSCRIBE_PLACEHOLDER = "%%UNSUBSCRIBE_URL%%"
HTML_UNSUBSCRIBE_PLACEHOLDER = "%%UNSUBSCRIBE_URL_HTML%%"
# Only in the serialized message.
RECIPIENT_PLACEHOLDER = "recipient@newsletter.invalid"
ONE_CLICK_PLACEHOLDER = "%%ONE_CLICK_URL%%"
MESSAGE_ID_PLACEHOLDER = "<%%MESSAGE_ID%%>"

# Stylesheets are written in the templates; nothing is ever fetched from the network.
_inliner = css_inline.CSSInliner(load_remote_stylesheets=False)


@dataclass(frozen=True)
class RenderedDigest:
    subject: str
    html: str
    text: str
    language: str


def render_digest(digest: WeekDigest) -> RenderedDigest:
    with translation.override(digest.language):
        subject = _("Situation in Belarus: %(week)s") % {"week": digest.week_name}
        context = {"digest": digest, "subject": subject}
        html = _inliner.inline(
            render_to_string(
                "newsletter/email/digest.html",
                {**context, "unsubscribe_url": HTML_UNSUBSCRIBE_PLACEHOLDER},
            )
        )
        text = render_to_string(
            "newsletter/email/digest.txt",
            {**context, "unsubscribe_url": TEXT_UNSUBSCRIBE_PLACEHOLDER},
        )
    return RenderedDigest(subject=subject, html=html, text=text, language=digest.language)


def with_unsubscribe_links(rendered: RenderedDigest, url: str) -> tuple[str, str]:
    """(text, html) with the unsubscribe placeholders replaced by `url`."""
    return (
        rendered.text.replace(TEXT_UNSUBSCRIBE_PLACEHOLDER, url),
        rendered.html.replace(HTML_UNSUBSCRIBE_PLACEHOLDER, escape(url)),
    )


class _WireFormat:
    """What Django's mail backends read from `EmailMessage.message()`: the bytes (SMTP, file,
    console) and a charset (console)."""

    def __init__(self, raw_crlf: bytes):
        self.raw_crlf = raw_crlf

    def as_bytes(self, unixfrom=False, linesep="\n"):
        if linesep == "\r\n":
            return self.raw_crlf
        return self.raw_crlf.replace(b"\r\n", linesep.encode())

    def get_charset(self):
        return None


class PrebuiltEmailMessage(EmailMessage):
    """An EmailMessage whose serialized form and SMTP envelope are already known."""

    def __init__(self, raw_crlf: bytes, envelope_from: str, envelope_to: str, **kwargs):
        super().__init__(**kwargs)
        self.raw_crlf = raw_crlf
        self.envelope_from = envelope_from
        self.envelope_to = envelope_to

    def message(self):
        return _WireFormat(self.raw_crlf)


class DigestTemplate:
    """One digest edition serialized once, with placeholders for everything personal."""

    def __init__(self, rendered: RenderedDigest):
        message = EmailMultiAlternatives(
            subject=rendered.subject,
            body=rendered.text,
            from_email=settings.NEWSLETTER_FROM_EMAIL,
            to=[RECIPIENT_PLACEHOLDER],
            headers={
                "List-Unsubscribe": f"<{ONE_CLICK_PLACEHOLDER}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Content-Language": rendered.language,
                "Message-ID": MESSAGE_ID_PLACEHOLDER,
            },
        )
        message.attach_alternative(rendered.html, "text/html")
        self.raw = message.message().as_bytes(linesep="\r\n")
        self.page_base = unsubscribe_page_base()
        self.one_click_base = one_click_unsubscribe_base()
        self.envelope_from = sanitize_address(settings.NEWSLETTER_FROM_EMAIL, "utf-8")
        # Substitution needs the placeholders verbatim: the parts must be sent as 8bit, which
        # Django does unless a line exceeds SMTP's 998-octet limit (the templates wrap leads).
        for placeholder in (
            RECIPIENT_PLACEHOLDER,
            ONE_CLICK_PLACEHOLDER,
            MESSAGE_ID_PLACEHOLDER,
            TEXT_UNSUBSCRIBE_PLACEHOLDER,
            HTML_UNSUBSCRIBE_PLACEHOLDER,
        ):
            if placeholder.encode() not in self.raw:
                raise ValueError(f"The serialized digest lost its {placeholder} placeholder.")

    def message_for(self, subscriber: Subscriber, connection=None) -> EmailMessage:
        page_url, one_click_url = unsubscribe_links(subscriber, self.page_base, self.one_click_base)
        recipient = _header_address(subscriber.email)
        raw = (
            self.raw.replace(RECIPIENT_PLACEHOLDER.encode(), recipient.encode("ascii"))
            .replace(ONE_CLICK_PLACEHOLDER.encode(), one_click_url.encode())
            .replace(MESSAGE_ID_PLACEHOLDER.encode(), make_msgid(domain=DNS_NAME).encode())
            .replace(TEXT_UNSUBSCRIBE_PLACEHOLDER.encode(), page_url.encode())
            .replace(HTML_UNSUBSCRIBE_PLACEHOLDER.encode(), escape(page_url).encode())
        )
        return PrebuiltEmailMessage(
            raw,
            envelope_from=self.envelope_from,
            envelope_to=recipient,
            from_email=settings.NEWSLETTER_FROM_EMAIL,
            to=[subscriber.email],
            connection=connection,
        )


def _header_address(address: str) -> str:
    """The address as Django writes it into headers and envelopes (the domain in IDNA form).
    Addresses were validated on the way in, so plain ASCII ones need no further work."""
    return address if address.isascii() else sanitize_address(address, "utf-8")


def editor_copy_message(rendered: RenderedDigest, address: str) -> EmailMultiAlternatives:
    """An editor's preview copy: the real digest, with links that unsubscribe nobody."""
    text, html = with_unsubscribe_links(rendered, unsubscribe_page_base())
    message = EmailMultiAlternatives(
        subject=f"[TEST] {rendered.subject}",
        body=text,
        from_email=settings.NEWSLETTER_FROM_EMAIL,
        to=[address],
        headers={"Content-Language": rendered.language},
    )
    message.attach_alternative(html, "text/html")
    return message


def confirmation_message(subscriber: Subscriber, connection=None) -> EmailMultiAlternatives:
    language = subscriber.locale
    with translation.override(language):
        subject = _("Confirm your subscription to Situation in Belarus")
        context = {
            "subject": subject,
            "language": language,
            "confirm_url": confirm_url(subscriber),
            "max_age_days": settings.NEWSLETTER_CONFIRM_MAX_AGE_DAYS,
        }
        html = _inliner.inline(render_to_string("newsletter/email/confirm.html", context))
        text = render_to_string("newsletter/email/confirm.txt", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.NEWSLETTER_FROM_EMAIL,
        to=[subscriber.email],
        headers={"Content-Language": language},
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message
