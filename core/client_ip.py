"""Who the client is behind our reverse proxies: DRF's own answer (`BaseThrottle.get_ident`,
with REST_FRAMEWORK["NUM_PROXIES"]), so the rate limits, the admin lockout (django-axes) and the
newsletter's consent records all name the same address. Each trusted proxy appends the address it
was contacted from to X-Forwarded-For, so the client is the entry that many places from the right;
anything to the left of it was written by the client and may be forged."""

from rest_framework.throttling import BaseThrottle

_IDENT = BaseThrottle()


def client_ip(request) -> str:
    return _IDENT.get_ident(request)
