"""Settings shared by every environment; deployment-specific values come from the environment."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from PIL import features as pillow_features

from .environment import env_bool, env_int, env_int_list, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

# Where the public (decoupled) frontend lives. Every public URL the CMS emits starts with it.
FRONTEND_BASE_URL = env_str("FRONTEND_BASE_URL", "http://localhost:3000").rstrip("/")

INSTALLED_APPS = [
    # The composition root (settings, URLs, the API router, the OpenAPI document) and the
    # infrastructure every app builds on; then the content apps (tests/test_layers.py).
    "cms",
    "core",
    "home",
    "digest",
    "digest.newsletter",
    "search",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.table_block",
    "wagtail_headless_preview",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "rest_framework",
    "corsheaders",
    "django_tasks",
    "django_tasks_db",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Production hardening: admin login lockout, Content-Security-Policy.
    "axes",
    "csp",
]

MIDDLEWARE = [
    # Load-balancer probes are answered before anything else runs (see cms/health.py).
    "core.health.HealthProbeMiddleware",
    # Performance: cached API responses are answered here, before everything below; they were
    # stored with the CORS and security headers the rest added (see cms/api_cache.py).
    "core.api_cache.ApiCacheMiddleware",
    "core.api_errors.ApiErrorMiddleware",
    # Documents: drop the "Content-Encoding: None" Wagtail's file responses carry.
    "core.file_responses.NoBogusContentEncodingMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.redirects.VisibleRedirectMiddleware",
    # A POST missing a field its form always sends answers 400, not 500 (core/incomplete_forms.py).
    "core.incomplete_forms.IncompleteFormMiddleware",
    # Last, so it sees the login response and turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# Database: DATABASE_URL, or the embedded SQLite file in the repository root.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable database must turn into a quick 503, not a request hanging for minutes
    # (libpq's minimum is 2 seconds).
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 2
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, otherwise a table in the database; both are shared by
# every process.
DATABASE_CACHE_TABLE = "situation_desk_cache"
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "situation-desk"),
            "OPTIONS": {
                # A Redis outage must degrade to "uncached", never to an error page.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    # Without Redis, the database: every process of this installation (gunicorn's workers, the
    # task worker, `publish_scheduled`) must see the same cache, or a change one of them makes
    # (an unpublished page, a view restriction) would stay unseen by the others' copies, and
    # every rate limit would count per process. core/migrations/0002 creates the table, and
    # `check --deploy` refuses a per-process cache (core/checks.py).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": DATABASE_CACHE_TABLE,
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: English is the source; Belarusian and Russian are translations.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("be", "Беларуская"),
    ("ru", "Русский"),
]
WAGTAIL_I18N_ENABLED = True
# An approved article of a week that is not live waits for "Publish the week" (digest.workflow).
WAGTAIL_FINISH_WORKFLOW_ACTION = "digest.workflow.finish_workflow"
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# The language editions (core.languages): where a page is missing in a language, its readers get
# it in the next language of its chain, marked. The BE/RU edition is Belarusian, else Russian,
# else English, and is what a Belarusian request gets unless it asks for `fallback=false`;
# CONTENT_LANGUAGE_FALLBACK lists the languages whose requests fall back by default.
CONTENT_LANGUAGE_CHAINS = {"en": ("en",), "be": ("be", "ru", "en"), "ru": ("ru", "en")}
CONTENT_LANGUAGE_FALLBACK = env_list("CONTENT_LANGUAGE_FALLBACK", ["be"])
# locale_overrides/ corrects Django's, Wagtail's and wagtail-localize's own Belarusian and Russian
# (wrong or missing strings on the translators' screens). It comes first because the first
# catalogue that has a msgid wins, and it is a separate, hand-maintained catalogue because
# makemessages would drop its msgids from locale/ (they are not in our source). `make messages`
# compiles both (compilemessages compiles every LOCALE_PATHS folder).
LOCALE_PATHS = [BASE_DIR / "locale_overrides", BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Warsaw")
USE_I18N = True
USE_TZ = True

# "Translate this page" makes drafts: a live English copy would appear in the BE/RU edition
# before anyone translated it. Translators (or "Publish the week") publish them.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False

# Machine translation in wagtail-localize: DeepL when a key is configured, otherwise off.
DEEPL_AUTH_KEY = env_str("DEEPL_AUTH_KEY")
if DEEPL_AUTH_KEY:
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
        "OPTIONS": {"AUTH_KEY": DEEPL_AUTH_KEY},
    }

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "static")))
STATIC_URL = "/static/"
# Media on the local disk, in two folders: MEDIA_ROOT holds only what may be served as files
# (the image renditions the API links to, at MEDIA_URL); PRIVATE_MEDIA_ROOT holds the original
# uploads and the documents, which nothing serves as files: documents go out through Wagtail's
# serve view after their collection's privacy check. A web server told to serve MEDIA_ROOT can
# then never hand out a private document. (On S3 the bucket's policy draws the same line.)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = env_str("MEDIA_URL", "/media/")
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "media-private")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
    },
    "renditions": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILIMAGES_RENDITION_STORAGE = "renditions"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Django 6's default today: a URL typed without a scheme means https.
FORMS_URLFIELD_ASSUME_HTTPS = True

# E-mail: Django's standard EMAIL_* names. With EMAIL_HOST set, mail leaves over SMTP.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Situation Desk <digest@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

# Wagtail
WAGTAIL_SITE_NAME = "Situation Desk"
# Preview opens the frontend, which fetches the draft from the API with the token.
WAGTAIL_HEADLESS_PREVIEW = {
    "CLIENT_URLS": {"default": env_str("FRONTEND_PREVIEW_URL", f"{FRONTEND_BASE_URL}/preview")},
    "SERVE_BASE_URL": FRONTEND_BASE_URL,
    "REDIRECT_ON_PREVIEW": True,
    "ENFORCE_TRAILING_SLASH": False,
}
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILIMAGES_IMAGE_MODEL = "digest.CreditedImage"
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
# Debian's hunspell-be (without .aff/.dic): Belarusian words on SQLite (search.analysis).
SEARCH_HUNSPELL_BE = env_str("SEARCH_HUNSPELL_BE", "/usr/share/hunspell/be_BY")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILAPI_BASE_URL = env_str("WAGTAILAPI_BASE_URL", WAGTAILADMIN_BASE_URL)

# --- Headless API ---
# Browsers may call the API from the frontend's origins (FRONTEND_BASE_URL unless listed).
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", [FRONTEND_BASE_URL])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS", "POST"]
CORS_ALLOW_HEADERS = ["accept", "content-type", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Cache-Control", "Retry-After"]
CORS_PREFLIGHT_MAX_AGE = 86400
WAGTAILAPI_LIMIT_MAX = 100

REST_FRAMEWORK = {
    "EXCEPTION_HANDLER": "core.api_errors.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    # How many reverse proxies in front of the CMS append to X-Forwarded-For; 0 trusts
    # REMOTE_ADDR only (core.client_ip: rate limits, the admin lockout, consent records).
    "NUM_PROXIES": env_int("NEWSLETTER_TRUSTED_PROXY_COUNT", 0),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django_tasks": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# --- Newsletter ---
# Background work (newsletter mail, Wagtail's search and reference-index updates) is queued in
# the database and run by `manage.py db_worker`, which `make run` starts next to the server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The worker and the server now write to one SQLite file at the same time. Taking the write
    # lock when a transaction begins (not on its first write) and waiting for it, instead of
    # failing at once, avoids "database is locked" errors between them.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
NEWSLETTER_FROM_EMAIL = env_str("NEWSLETTER_FROM_EMAIL", DEFAULT_FROM_EMAIL)
# Frontend pages that receive the tokens from the e-mails (FRONTEND_BASE_URL + path + ?token=…).
NEWSLETTER_CONFIRM_PATH = env_str("NEWSLETTER_CONFIRM_PATH", "/newsletter/confirm")
NEWSLETTER_UNSUBSCRIBE_PATH = env_str("NEWSLETTER_UNSUBSCRIBE_PATH", "/newsletter/unsubscribe")
# The public address of this API, for the one-click List-Unsubscribe URL mail clients POST to.
NEWSLETTER_API_BASE_URL = env_str("NEWSLETTER_API_BASE_URL", WAGTAILAPI_BASE_URL).rstrip("/")
NEWSLETTER_CONFIRM_MAX_AGE_DAYS = env_int("NEWSLETTER_CONFIRM_MAX_AGE_DAYS", 3)
# Bump when the wording of the subscription form's consent text changes; stored with each consent.
NEWSLETTER_CONSENT_TEXT_VERSION = env_str("NEWSLETTER_CONSENT_TEXT_VERSION", "2023-09-01")
NEWSLETTER_RATE_PER_IP = env_str("NEWSLETTER_RATE_PER_IP", "20/hour")
NEWSLETTER_RATE_PER_ADDRESS = env_str("NEWSLETTER_RATE_PER_ADDRESS", "3/hour")
NEWSLETTER_BATCH_SIZE = env_int("NEWSLETTER_BATCH_SIZE", 200)
# Messages per second per worker; 0 sends as fast as the SMTP server accepts.
NEWSLETTER_SEND_RATE = env_int("NEWSLETTER_SEND_RATE", 0)
NEWSLETTER_MAX_ATTEMPTS = env_int("NEWSLETTER_MAX_ATTEMPTS", 5)
# A batch records deliveries as sent this many at a time, so a worker killed mid-batch leaves
# at most this many "sending" (maybe delivered, never resent by itself); after
# NEWSLETTER_INTERRUPTED_AFTER_MINUTES the send log offers to resend them (README, Newsletter).
NEWSLETTER_RECORD_EVERY = env_int("NEWSLETTER_RECORD_EVERY", 10)
NEWSLETTER_INTERRUPTED_AFTER_MINUTES = env_int("NEWSLETTER_INTERRUPTED_AFTER_MINUTES", 30)
# Retries after an SMTP failure wait this long, doubled on every further attempt.
NEWSLETTER_RETRY_BACKOFF_SECONDS = env_int("NEWSLETTER_RETRY_BACKOFF_SECONDS", 60)

# --- Production hardening: admin sign-in, uploads, embeds, media storage, search, CSP ---
# Brute force on the admin sign-in (django-axes): after AXES_FAILURE_LIMIT failures one username
# is locked out from one address. By username alone an attacker could lock editors out from
# everywhere; by address alone, rotating addresses would get around it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours, as django-axes counts
AXES_RESET_ON_SUCCESS = True
# No start-up banner: every management command (publish_scheduled once a minute) printed it.
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "cms.login_protection.lockout_response"
# The client behind reverse proxies, found the same way as for the newsletter's throttle.
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"

# Image uploads: a decompression bomb (a small file declaring a huge canvas) is refused from its
# header, before Pillow decodes it.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env_int("WAGTAILIMAGES_MAX_IMAGE_PIXELS", 50_000_000)

# Renditions by URL (digest.api.renditions): each image in the API carries a signed URL template
# and srcsets; a frontend may ask for these widths, formats and crops (aspect ratios) and nothing
# else, which bounds the renditions, and so the work and disk, one image can cost.
# `original` keeps the upload's format (Wagtail's own conversions); AVIF needs a Pillow built
# with it, and is offered by default only then.
IMAGE_RENDITION_WIDTHS = env_int_list("IMAGE_RENDITION_WIDTHS", [320, 640, 960, 1280, 1920])
IMAGE_RENDITION_FORMATS = env_list(
    "IMAGE_RENDITION_FORMATS",
    ["original", "jpeg", "webp"] + (["avif"] if pillow_features.check("avif") else []),
)
IMAGE_RENDITION_CROPS = env_list("IMAGE_RENDITION_CROPS", ["16x9", "4x3", "1x1"])
_unsupported = [
    name
    for name in IMAGE_RENDITION_FORMATS
    if name not in ("original", "jpeg", "webp", "avif")
    or (name in ("webp", "avif") and not pillow_features.check(name))
]
if _unsupported:
    raise ImproperlyConfigured(
        f"IMAGE_RENDITION_FORMATS: {_unsupported} unknown or not supported by this Pillow "
        "(choose from original, jpeg, webp, avif)."
    )
if not all(0 < width <= 4000 for width in IMAGE_RENDITION_WIDTHS):
    raise ImproperlyConfigured("IMAGE_RENDITION_WIDTHS must be widths from 1 to 4000 pixels.")
if not all(re.fullmatch(r"[1-9][0-9]?x[1-9][0-9]?", crop) for crop in IMAGE_RENDITION_CROPS):
    raise ImproperlyConfigured("IMAGE_RENDITION_CROPS must be aspect ratios such as 16x9, 1x1.")

# Embeds only from the providers in digest.content_safety.EMBED_PROVIDERS, fetched with a short
# timeout; an unreachable provider never stops an article from being saved or published.
WAGTAILEMBEDS_FINDERS = [
    {
        "class": "digest.content_safety.AllowListedOEmbedFinder",
        "timeout": env_int("EMBED_FETCH_TIMEOUT", 3),
        "facebook_app_id": env_str("FACEBOOK_APP_ID"),
        "facebook_app_secret": env_str("FACEBOOK_APP_SECRET"),
    }
]
# Editors' browsers talk to no third party: no Gravatar (it would receive editors' e-mail
# hashes) and no release check against wagtail.org.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Media on S3-compatible object storage (django-storages) once a bucket is set, so that several
# app servers share one media library. boto3 reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL")
AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME")
AWS_S3_CUSTOM_DOMAIN = env_str("AWS_S3_CUSTOM_DOMAIN")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": AWS_S3_ENDPOINT_URL or None,
            "region_name": AWS_S3_REGION_NAME or None,
            "custom_domain": AWS_S3_CUSTOM_DOMAIN or None,
            "location": env_str("AWS_LOCATION"),
            # Published images are public and cached by the CDN, so their URLs must not expire.
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
        },
    }
    STORAGES["renditions"] = STORAGES["default"]
# Documents are streamed through the CMS after its privacy check, never redirected to the bucket
# (Wagtail's default for remote storage), so the bucket can stay private.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Draftail, telling editors about an unsafe link instead of dropping it without a word.
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "digest.rich_text_editor.LinkCheckingDraftail"}
}


def _origin(url: str) -> list[str]:
    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


if AWS_S3_CUSTOM_DOMAIN:
    MEDIA_ORIGINS = [f"https://{AWS_S3_CUSTOM_DOMAIN}"]
elif AWS_S3_ENDPOINT_URL:
    MEDIA_ORIGINS = _origin(AWS_S3_ENDPOINT_URL)
elif AWS_STORAGE_BUCKET_NAME:
    MEDIA_ORIGINS = [f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"] + (
        [f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{AWS_S3_REGION_NAME}.amazonaws.com"]
        if AWS_S3_REGION_NAME
        else []
    )
else:
    MEDIA_ORIGINS = _origin(MEDIA_URL)

# Search: Wagtail's database backend, or Elasticsearch / OpenSearch (install its client, e.g.
# "elasticsearch>=8,<9") for a larger archive served by several app servers.
WAGTAILSEARCH_BACKEND = env_str("WAGTAILSEARCH_BACKEND")
if WAGTAILSEARCH_BACKEND:
    if WAGTAILSEARCH_BACKEND not in {
        "elasticsearch7",
        "elasticsearch8",
        "elasticsearch9",
        "opensearch2",
        "opensearch3",
    }:
        raise ImproperlyConfigured(
            "WAGTAILSEARCH_BACKEND must be one of elasticsearch7, elasticsearch8, "
            f"elasticsearch9, opensearch2, opensearch3; got {WAGTAILSEARCH_BACKEND!r}."
        )
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": f"wagtail.search.backends.{WAGTAILSEARCH_BACKEND}",
            "URLS": env_list("WAGTAILSEARCH_URLS", ["http://localhost:9200"]),
            "INDEX": env_str("WAGTAILSEARCH_INDEX", "situation-desk"),
            "TIMEOUT": env_int("WAGTAILSEARCH_TIMEOUT", 5),
        }
    }

# Content-Security-Policy (django-csp) on every HTML page the CMS serves, i.e. the Wagtail admin.
CONTENT_SECURITY_POLICY = {
    # JSON needs no policy (and the health probes never reach this middleware).
    "EXCLUDE_URL_PREFIXES": ["/api/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # Wagtail's admin still ships inline <script> blocks (inline panels, date pickers,
        # wagtail-localize's editor) and inline styles, so both need 'unsafe-inline'.
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *MEDIA_ORIGINS],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        # The preview panel frames our preview view, which redirects to the frontend's page.
        "frame-src": ["'self'", *_origin(WAGTAIL_HEADLESS_PREVIEW["CLIENT_URLS"]["default"])],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# --- Performance: API response cache, CDN purge and revalidation webhooks ---
# Anonymous GETs under /api/v2/ are cached (cms/api_cache.py) and made stale the moment content
# changes (core/revalidation.py). The cache is shared by every process (Redis, or the database
# table above): with a per-process cache each would only hear of its own editors' changes.
API_CACHE_ALIAS = "default"
# Entries are invalidated by content changes; the timeout only bounds what a lost invalidation
# (e.g. Redis unreachable at that moment) could leave behind.
API_CACHE_TIMEOUT = env_int("API_CACHE_TIMEOUT", 60 * 60)
# Each process also keeps copies of the entries it served (used only while their generations
# are current), so a hit does not fetch the response from Redis.
API_CACHE_LOCAL_MAX_BYTES = env_int("API_CACHE_LOCAL_MAX_BYTES", 32 * 1024 * 1024)
# A process trusts the generations it read from Redis this long, and publishing a change waits
# as long, so that no process can serve the old version once the publish has returned.
API_CACHE_GENERATION_LEASE = env_int("API_CACHE_GENERATION_LEASE_MS", 100) / 1000
# Cache-Control of anonymous API responses. Browsers revalidate every time by default (a cheap
# 304); CDNs keep a copy for s-maxage seconds and are purged on changes where configured.
API_CACHE_MAX_AGE = env_int("API_CACHE_MAX_AGE", 0)
API_CACHE_S_MAXAGE = env_int("API_CACHE_S_MAXAGE", 60)
API_CACHE_STALE_WHILE_REVALIDATE = env_int("API_CACHE_STALE_WHILE_REVALIDATE", 60)
# Never cached, always `private, no-store`: drafts and the newsletter's per-subscriber answers.
API_CACHE_PRIVATE_PREFIXES = ["/api/v2/page_preview/", "/api/v2/newsletter/"]
# Search results also go stale when the search index catches up after a change.
API_CACHE_SEARCH_PREFIXES = ["/api/v2/search/"]

# CDN purge through wagtail.contrib.frontend_cache: an HTTP cache that accepts PURGE (Varnish,
# nginx) and/or Cloudflare. Purged: the changed pages' frontend URLs in every language and the
# API URLs that show them.
WAGTAILFRONTENDCACHE = {}
if env_str("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env_str("FRONTEND_CACHE_PURGE_URL"),
    }
if env_str("CLOUDFLARE_BEARER_TOKEN"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": env_str("CLOUDFLARE_BEARER_TOKEN"),
        "ZONEID": env_str("CLOUDFLARE_ZONE_ID"),
    }
# The purged URLs already name every language's path (EN unprefixed, /be/…, /ru/…); Wagtail's
# own per-language rewriting assumes every language is prefixed and would purge wrong URLs.
WAGTAILFRONTENDCACHE_LANGUAGES = []

# Outbound webhooks: every content change is POSTed as signed JSON with the changed frontend
# paths in all languages, to the endpoints in the admin (Settings → Webhook endpoints) and to
# WEBHOOK_URLS (comma-separated), signed with WEBHOOK_SECRET.
WEBHOOK_URLS = env_list("WEBHOOK_URLS")
WEBHOOK_SECRET = env_str("WEBHOOK_SECRET")
if WEBHOOK_URLS and len(WEBHOOK_SECRET) < 32:
    raise ImproperlyConfigured("WEBHOOK_URLS needs a WEBHOOK_SECRET of at least 32 characters.")
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 5)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6)
# A failed delivery is retried after this long, doubled on every further attempt.
WEBHOOK_RETRY_BACKOFF_SECONDS = env_int("WEBHOOK_RETRY_BACKOFF_SECONDS", 30)

# The change feed (GET /api/v2/changes/, core.changes): entries are kept this many days; a
# cursor older than that is answered 410 and its client rebuilds in full.
CHANGE_FEED_RETENTION_DAYS = env_int("CHANGE_FEED_RETENTION_DAYS", 90)
