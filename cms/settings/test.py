"""Test settings: fast hashing, in-memory mail and media, the same DB and cache knobs as CI."""

import tempfile

from .base import *  # noqa: F403
from .environment import env_str

SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DEBUG = False
FRONTEND_BASE_URL = "https://frontend.test"
WAGTAILADMIN_BASE_URL = "http://testserver"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="situation-desk-test-media-")

# Parallel runs against one PostgreSQL server each pick their own test database name.
if env_str("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME")}  # noqa: F405

if not env_str("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Translations and demo text are our own, so machine translation is never used in tests.
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None
