"""Production: everything comes from the environment, and insecure values refuse to start."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, MIDDLEWARE, SECRET_KEY, STORAGES
from .environment import env_bool, env_int, env_list, env_str

DEBUG = False

if not SECRET_KEY or SECRET_KEY.startswith(("dev-", "test-")) or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 32 characters in production."
    )
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must list this site's host names (comma-separated) in production."
    )

# --- Production hardening: HTTPS, HSTS, cookies, headers, static files ---
# Plain HTTP is redirected to HTTPS here unless SECURE_SSL_REDIRECT=false, for a TLS-terminating
# proxy that redirects by itself. Behind any proxy, SECURE_PROXY_SSL_HEADER names the header the
# proxy sets to "https" (e.g. X-Forwarded-Proto); the proxy must overwrite it on every request.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
if env_str("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + env_str("SECURE_PROXY_SSL_HEADER").strip().upper().replace("-", "_"),
        "https",
    )
if not SECURE_SSL_REDIRECT:
    # The operator has said the proxy redirects to HTTPS; Django's reminder would be noise.
    SILENCED_SYSTEM_CHECKS = ["security.W008"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Needed when the admin is reached under another origin than the Host the proxy passes on.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Static files are served by the app itself (WhiteNoise: hashed names, compressed, cached
# forever), so every app server behind the CDN is self-contained.
_AFTER_SECURITY = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE = [
    *MIDDLEWARE[:_AFTER_SECURITY],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[_AFTER_SECURITY:],
]
STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"
