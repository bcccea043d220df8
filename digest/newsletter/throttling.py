"""Rate limits for the public subscribe endpoint, and who the client is behind proxies."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from rest_framework.throttling import SimpleRateThrottle

from core.client_ip import client_ip
from digest.newsletter.addresses import clean_address


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
