"""Local development: debug on, any host, mail to the console unless EMAIL_HOST is set."""

from .base import *  # noqa: F403
from .base import CORS_ALLOWED_ORIGINS, EMAIL_HOST
from .environment import env_list, env_str

DEBUG = True
# A fixed key is fine here: this settings module never serves the public.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])

if not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"


def loopback_twins(origins: list[str]) -> list[str]:
    """A frontend on this machine is reached as localhost or as 127.0.0.1: in development both
    spellings of each configured origin may call the API."""
    twins = {"//localhost:": "//127.0.0.1:", "//127.0.0.1:": "//localhost:"}
    result = list(origins)
    for origin in origins:
        for spelling, twin in twins.items():
            other = origin.replace(spelling, twin)
            if other != origin and other not in result:
                result.append(other)
    return result


CORS_ALLOWED_ORIGINS = loopback_twins(CORS_ALLOWED_ORIGINS)
