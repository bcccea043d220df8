"""Production settings pass Django's deployment checklist and scale out through the environment."""

import json
import os
import secrets
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.core.checks import Tags, run_checks

from tests.hardening.live import ROOT, app_server, closed_port, manage, production_env
from tests.home.test_settings import settings_value

SECRET_KEY = secrets.token_urlsafe(50)
PRODUCTION = {"DJANGO_SECRET_KEY": SECRET_KEY, "DJANGO_ALLOWED_HOSTS": "cms.example.org"}


def deploy_check(**env) -> subprocess.CompletedProcess:
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "REDIS_", "AWS_", "SECURE_"))
    }
    clean.update(DJANGO_SETTINGS_MODULE="cms.settings.production", **PRODUCTION, **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )


def test_the_deploy_check_finds_no_issues_with_the_documented_environment():
    result = deploy_check()

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_deploy_check_finds_no_issues_behind_a_tls_terminating_proxy():
    result = deploy_check(SECURE_SSL_REDIRECT="false", SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_behind_a_proxy_the_forwarded_protocol_header_is_trusted_and_redirects_are_left_to_it():
    result = settings_value(
        "production",
        "settings.SECURE_SSL_REDIRECT, settings.SECURE_PROXY_SSL_HEADER",
        SECURE_SSL_REDIRECT="false",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(False, ('HTTP_X_FORWARDED_PROTO', 'https'))"


def test_hsts_defaults_to_a_year_with_subdomains_and_each_part_is_configurable():
    expression = (
        "settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "settings.SECURE_HSTS_PRELOAD"
    )
    default = settings_value("production", expression, **PRODUCTION)
    configured = settings_value(
        "production",
        expression,
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        SECURE_HSTS_PRELOAD="false",
        **PRODUCTION,
    )

    assert default.stdout.strip() == "(31536000, True, True)"
    assert configured.stdout.strip() == "(3600, False, False)"


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """`collectstatic` as a deployment runs it: production pages need its manifest."""
    static_root = tmp_path_factory.mktemp("static")
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=production_env(STATIC_ROOT=str(static_root)),
        capture_output=True,
        text=True,
    )
    assert collected.returncode == 0, collected.stderr
    return static_root


def test_a_production_server_redirects_to_https_and_sends_the_security_headers():
    # No database: the headers come from middleware, whatever the response.
    with (
        closed_port() as database,
        app_server(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{database.getsockname()[1]}/cms",
            DJANGO_ALLOWED_HOSTS="cms.example.org",
            SECURE_SSL_REDIRECT="true",
            SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        ) as url,
    ):
        plain = requests.get(
            f"{url}/api/v2/pages/",
            headers={"Host": "cms.example.org"},
            allow_redirects=False,
            timeout=10,
        )
        secure = requests.get(
            f"{url}/api/v2/pages/",
            headers={"Host": "cms.example.org", "X-Forwarded-Proto": "https"},
            timeout=10,
        )

    assert plain.status_code == 301
    assert plain.headers["Location"] == "https://cms.example.org/api/v2/pages/"
    assert secure.status_code == 503
    headers = secure.headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_each_app_server_serves_the_static_files_with_hashed_names_cached_forever(
    tmp_path, static_root
):
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["wagtailadmin/css/core.css"]

    with app_server(
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}", STATIC_ROOT=str(static_root)
    ) as url:
        response = requests.get(
            f"{url}/static/{hashed}", headers={"Accept-Encoding": "gzip"}, timeout=10
        )

    assert hashed != "wagtailadmin/css/core.css"
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response.headers["Content-Encoding"] == "gzip"


def test_setting_a_bucket_moves_media_to_s3_compatible_storage():
    result = settings_value(
        "production",
        "settings.STORAGES['default'], settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']",
        AWS_STORAGE_BUCKET_NAME="situation-desk-media",
        AWS_S3_ENDPOINT_URL="https://s3.eu-central-1.example.net",
        AWS_S3_REGION_NAME="eu-central-1",
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    storage, image_sources = eval(result.stdout)  # noqa: S307 - our own settings' repr
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "situation-desk-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.eu-central-1.example.net"
    assert storage["OPTIONS"]["querystring_auth"] is False
    assert "https://s3.eu-central-1.example.net" in image_sources


def test_media_stay_on_the_local_disk_without_a_bucket():
    result = settings_value("production", "settings.STORAGES['default']['BACKEND']", **PRODUCTION)

    assert result.stdout.strip() == "django.core.files.storage.FileSystemStorage"


def test_search_moves_to_elasticsearch_or_opensearch_when_configured():
    result = settings_value(
        "production",
        "settings.WAGTAILSEARCH_BACKENDS['default']",
        WAGTAILSEARCH_BACKEND="opensearch2",
        WAGTAILSEARCH_URLS="https://search-1.internal:9200,https://search-2.internal:9200",
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    assert eval(result.stdout) == {  # noqa: S307 - our own settings' repr
        "BACKEND": "wagtail.search.backends.opensearch2",
        "URLS": ["https://search-1.internal:9200", "https://search-2.internal:9200"],
        "INDEX": "situation-desk",
        "TIMEOUT": 5,
    }


def test_an_unknown_search_backend_refuses_to_start():
    result = settings_value("production", "1", WAGTAILSEARCH_BACKEND="solr", **PRODUCTION)

    assert result.returncode != 0
    assert "WAGTAILSEARCH_BACKEND must be one of elasticsearch7" in result.stderr


def test_production_without_redis_caches_in_the_database_every_process_shares():
    result = settings_value("production", "settings.CACHES['default']", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert eval(result.stdout) == {  # noqa: S307 - our own settings' repr
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "situation_desk_cache",
    }


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    ],
)
def test_the_deploy_check_refuses_a_cache_that_lives_in_one_process(settings, backend):
    settings.CACHES = {"default": {"BACKEND": backend}}

    errors = run_checks(include_deployment_checks=True, tags=[Tags.caches])

    assert [error.id for error in errors] == ["core.E001"]
    assert "REDIS_URL" in errors[0].hint


@pytest.mark.parametrize(
    "backend",
    ["django.core.cache.backends.db.DatabaseCache", "django_redis.cache.RedisCache"],
)
def test_the_deploy_check_accepts_a_cache_every_process_shares(settings, backend):
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "situation_desk_cache"}}

    assert run_checks(include_deployment_checks=True, tags=[Tags.caches]) == []


def test_once_another_process_unpublishes_a_page_no_app_server_worker_serves_it(tmp_path):
    # The README's one machine without Redis: two gunicorn workers, and publish_scheduled (or
    # any other command) changing content in a process of its own.
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "MEDIA_ROOT": str(tmp_path)}
    manage(env, "migrate", "--noinput")
    article = manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from digest.factories import *; print(ArticlePageFactory().id)",
    ).strip()
    unpublish = f"from wagtail.models import Page; Page.objects.get(id={article}).unpublish()"

    with app_server(workers=2, **env) as url:
        detail = f"{url}/api/v2/pages/{article}/"
        # Several at once, so that both workers render (and keep a copy of) the page.
        with ThreadPoolExecutor(max_workers=6) as pool:
            before = list(
                pool.map(lambda _: requests.get(detail, timeout=10).status_code, range(12))
            )
            manage(env, "shell", "--no-imports", "-c", unpublish)
            after = list(
                pool.map(lambda _: requests.get(detail, timeout=10).status_code, range(12))
            )

    assert set(before) == {200}
    assert set(after) == {404}
