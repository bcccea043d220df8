"""The absolute URLs the newsletter's e-mails carry."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from digest.newsletter.models import Subscriber
from digest.newsletter.tokens import confirm_token, manage_token


def _with_token(base: str, token: str) -> str:
    return f"{base}?{urlencode({'token': token})}"


def confirm_url(subscriber: Subscriber) -> str:
    """The frontend page that posts the token to the confirm endpoint."""
    base = settings.FRONTEND_BASE_URL + settings.NEWSLETTER_CONFIRM_PATH
    return _with_token(base, confirm_token(subscriber))


def unsubscribe_page_base() -> str:
    return settings.FRONTEND_BASE_URL + settings.NEWSLETTER_UNSUBSCRIBE_PATH


def one_click_unsubscribe_base() -> str:
    return settings.NEWSLETTER_API_BASE_URL + reverse("newsletter:unsubscribe")


def unsubscribe_links(subscriber: Subscriber, page_base: str, one_click_base: str) -> tuple:
    """(page, one-click) unsubscribe URLs. The page is the frontend's, where a reader
    unsubscribes or changes language; the one-click URL is this API's, which mail clients POST
    `List-Unsubscribe=One-Click` to (RFC 8058). The bases are passed in because a send builds
    thousands of these."""
    token = manage_token(subscriber)
    return _with_token(page_base, token), _with_token(one_click_base, token)
