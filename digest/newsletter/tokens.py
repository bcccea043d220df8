"""Signed tokens in the newsletter's links: confirmation (single-use, expiring) and unsubscribe.

Both are django.core.signing values, so nothing secret is stored and nothing can be forged
without SECRET_KEY. A confirmation token also carries the subscriber's current nonce: using it
clears the nonce, which is what makes it single-use.
"""

import datetime
import secrets
from enum import Enum

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

from digest.newsletter.models import Subscriber

CONFIRM_SALT = "digest.newsletter.confirm"
MANAGE_SALT = "digest.newsletter.manage"


class TokenProblem(Enum):
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"


class TokenError(Exception):
    def __init__(self, problem: TokenProblem):
        super().__init__(problem.value)
        self.problem = problem


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def confirm_token(subscriber: Subscriber) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(
        {"s": subscriber.pk, "n": subscriber.confirm_nonce}
    )


def subscriber_for_confirm_token(token: str) -> Subscriber:
    """The pending subscriber the token confirms; TokenError when it cannot be used."""
    max_age = datetime.timedelta(days=settings.NEWSLETTER_CONFIRM_MAX_AGE_DAYS)
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    try:
        payload = signer.unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise TokenError(TokenProblem.EXPIRED) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise TokenError(TokenProblem.INVALID) from exc
    subscriber = _subscriber(payload)
    nonce = str(payload.get("n") or "")
    if not subscriber.confirm_nonce or not constant_time_compare(subscriber.confirm_nonce, nonce):
        raise TokenError(TokenProblem.USED)
    return subscriber


def manage_token(subscriber: Subscriber) -> str:
    """For unsubscribing and changing the language; never expires, as old digests keep it."""
    return signing.Signer(salt=MANAGE_SALT).sign_object({"s": subscriber.pk})


def subscriber_for_manage_token(token: str) -> Subscriber:
    try:
        payload = signing.Signer(salt=MANAGE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise TokenError(TokenProblem.INVALID) from exc
    return _subscriber(payload)


def _subscriber(payload) -> Subscriber:
    if not isinstance(payload, dict):
        raise TokenError(TokenProblem.INVALID)
    try:
        return Subscriber.objects.get(pk=int(payload.get("s")))
    except (Subscriber.DoesNotExist, TypeError, ValueError) as exc:
        raise TokenError(TokenProblem.INVALID) from exc
