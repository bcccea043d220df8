"""Rate limits for the public subscribe endpoint, and who the client is behind proxies."""

import hashlib
import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from rest_framework.throttling import SimpleRateThrottle

from digest.newsletter.addresses import clean_address


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, unless NEWSLETTER_TRUSTED_PROXY_COUNT proxies stand in
    front of us. Each trusted proxy appends the address it was contacted from to
    X-Forwarded-For, so the client is the entry that many places from the right; anything to the
    left of it was written by the client and may be forged."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NEWSLETTER_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    candidate = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class SubscribePerIPThrottle(SimpleRateThrottle):
    scope = "newsletter_subscribe_ip"

    def get_rate(self):
        return settings.NEWSLETTER_RATE_PER_IP

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class SubscribePerAddressThrottle(SimpleRateThrottle):
    """Limits confirmation mails to one mailbox, whoever asks for them and from wherever."""

    scope = "newsletter_subscribe_address"

    def get_rate(self):
        return settings.NEWSLETTER_RATE_PER_ADDRESS

    def get_cache_key(self, request, view):
        data = request.data
        email = data.get("email") if hasattr(data, "get") else None
        if not isinstance(email, str):
            return None
        try:
            _address, normalized = clean_address(email)
        except ValidationError:
            # Invalid input is refused by the view; there is no mailbox to protect.
            return None
        # Hashed so that the cache never holds readers' addresses.
        ident = hashlib.sha256(normalized.encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}
