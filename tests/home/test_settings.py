"""Configuration comes from the environment; production refuses insecure values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def settings_value(module: str, expression: str, **env) -> subprocess.CompletedProcess:
    """Evaluates `expression` against a settings module in a fresh interpreter with `env`.

    Only the settings module is imported (Django reads it on first access), not the apps:
    what is checked is the configuration, and a check costs a twentieth of a full start."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    clean.update({"DATABASE_URL": "", "REDIS_URL": "", **env})
    if not clean["DATABASE_URL"]:
        del clean["DATABASE_URL"]
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = "
        f"'cms.settings.{module}'; "
        # The first attribute read imports the settings module (and so runs its checks).
        f"from django.conf import settings; settings.DEBUG; print(({expression}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = settings_value("production", "1", DJANGO_ALLOWED_HOSTS="cms.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = settings_value("production", "1", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must list" in result.stderr


def test_production_starts_with_a_secret_key_and_hosts():
    result = settings_value(
        "production",
        "settings.ALLOWED_HOSTS, settings.DEBUG",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="cms.example.org, api.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(['cms.example.org', 'api.example.org'], False)"


def test_development_prints_mail_to_the_console_without_an_smtp_host():
    result = settings_value("dev", "settings.EMAIL_BACKEND")
    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend"


@pytest.mark.parametrize("module", ["dev", "production"])
def test_mail_goes_out_over_smtp_when_an_smtp_host_is_set(module):
    result = settings_value(
        module,
        "settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="cms.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "('django.core.mail.backends.smtp.EmailBackend', 'smtp.example.org', 587)"
    )


def test_the_database_defaults_to_the_sqlite_file_in_the_repository():
    result = settings_value("dev", "settings.DATABASES['default']['NAME']")
    assert result.stdout.strip() == str(ROOT / "db.sqlite3")


def test_database_url_and_redis_url_configure_database_and_cache():
    result = settings_value(
        "dev",
        "settings.DATABASES['default']['ENGINE'], settings.CACHES['default']['BACKEND']",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.stdout.strip() == (
        "('django.db.backends.postgresql', 'django_redis.cache.RedisCache')"
    )


def test_without_redis_make_run_caches_in_the_database_its_server_and_scheduler_share():
    result = settings_value("dev", "settings.CACHES['default']['BACKEND']")
    assert result.stdout.strip() == "django.core.cache.backends.db.DatabaseCache"


def test_machine_translation_is_off_unless_a_deepl_key_is_configured():
    off = settings_value("dev", "getattr(settings, 'WAGTAILLOCALIZE_MACHINE_TRANSLATOR', None)")
    on = settings_value(
        "dev", "settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR['CLASS']", DEEPL_AUTH_KEY="key:fx"
    )
    assert off.stdout.strip() == "None"
    assert on.stdout.strip() == "wagtail_localize.machine_translators.deepl.DeepLTranslator"


def test_the_frontend_base_url_comes_from_the_environment():
    result = settings_value(
        "dev", "settings.FRONTEND_BASE_URL", FRONTEND_BASE_URL="https://belarusinfocus.example/"
    )
    assert result.stdout.strip() == "https://belarusinfocus.example"


def test_in_development_the_frontend_may_call_as_localhost_or_as_127_0_0_1():
    result = settings_value("dev", "settings.CORS_ALLOWED_ORIGINS")
    assert result.stdout.strip() == "['http://localhost:3000', 'http://127.0.0.1:3000']"
    listed = settings_value(
        "dev",
        "settings.CORS_ALLOWED_ORIGINS",
        CORS_ALLOWED_ORIGINS="http://127.0.0.1:4321,https://site.example",
    )
    assert listed.stdout.strip() == (
        "['http://127.0.0.1:4321', 'https://site.example', 'http://localhost:4321']"
    )
    production = settings_value(
        "production",
        "settings.CORS_ALLOWED_ORIGINS",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="cms.example.org",
        FRONTEND_BASE_URL="http://localhost:3000",
    )
    assert production.stdout.strip() == "['http://localhost:3000']"
