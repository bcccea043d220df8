"""Test settings: fast hashing, in-memory mail and media, the same DB and cache knobs as CI."""

import os
import tempfile
from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .environment import env_str

SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DEBUG = False
FRONTEND_BASE_URL = "https://frontend.test"
CORS_ALLOWED_ORIGINS = [FRONTEND_BASE_URL]
WAGTAILADMIN_BASE_URL = "http://testserver"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="situation-desk-test-media-")
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="situation-desk-test-private-media-")
if not AWS_STORAGE_BUCKET_NAME:  # noqa: F405
    STORAGES["default"] = {**STORAGES["default"], "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}}  # noqa: F405

# Parallel runs against one PostgreSQL server each pick their own test database name.
if env_str("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME")}  # noqa: F405

if not env_str("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif worker := os.environ.get("PYTEST_XDIST_WORKER"):
    # Parallel workers (gw0, gw1, …) each empty the cache between their tests, so each gets its
    # own Redis database: the one REDIS_URL names, plus one plus the worker's number.
    _redis = urlsplit(env_str("REDIS_URL"))
    _database = int(_redis.path.strip("/") or 0) + 1 + int(worker.removeprefix("gw"))
    CACHES["default"]["LOCATION"] = _redis._replace(path=f"/{_database}").geturl()  # noqa: F405

# Translations and demo text are our own, so machine translation is never used in tests.
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None

# --- Production hardening ---
# Tests sign in a lot (and with client.login, which axes refuses); tests/hardening turns it on.
AXES_ENABLED = False

# --- Newsletter ---
# Tasks run in-process as they are enqueued; tests that need a real queue switch to the database.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
NEWSLETTER_API_BASE_URL = "https://cms.test"

# --- Performance: API response cache ---
# Tests run in one process and empty the cache between tests (and roll their changes back
# without any signal): a generation lease would outlive that; tests/performance turns it on.
API_CACHE_GENERATION_LEASE = 0
