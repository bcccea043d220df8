"""Local development: debug on, any host, mail to the console unless EMAIL_HOST is set."""

from .base import *  # noqa: F403
from .base import EMAIL_HOST
from .environment import env_list, env_str

DEBUG = True
# A fixed key is fine here: this settings module never serves the public.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])

if not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
