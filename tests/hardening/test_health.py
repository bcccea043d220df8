"""Load balancers ask /healthz whether the process lives and /readyz whether it can serve."""

import json

import pytest
import requests
from django.core.cache import caches
from django.db import OperationalError, connections
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse

from tests.hardening.live import app_server, closed_port


def test_healthz_says_ok_without_touching_the_database_cache_or_session(client, monkeypatch):
    """Unmarked, so pytest-django refuses any database access; the cache refuses too."""

    def no_cache(*args, **kwargs):
        raise AssertionError("/healthz used the cache")

    for operation in ("get", "set", "add", "delete", "get_many", "set_many", "touch"):
        monkeypatch.setattr(caches["default"], operation, no_cache)
    response = client.get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


def test_healthz_answers_a_probe_that_sends_an_ip_address_as_host(client):
    response = client.get("/healthz", headers={"host": "10.0.0.7:8000"})

    assert response.status_code == 200


def test_the_probes_are_routed_at_their_documented_urls():
    assert reverse("healthz") == "/healthz"
    assert reverse("readyz") == "/readyz"


def test_a_production_server_answers_probes_over_plain_http_and_redirects_everything_else():
    with (
        closed_port() as database,
        app_server(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{database.getsockname()[1]}/cms",
            SECURE_SSL_REDIRECT="true",
        ) as url,
    ):
        probe = requests.get(f"{url}/healthz", allow_redirects=False, timeout=10)
        admin = requests.get(f"{url}/admin/", allow_redirects=False, timeout=10)

    assert probe.status_code == 200
    assert probe.json() == {"status": "ok"}
    assert admin.status_code == 301
    assert admin.headers["Location"].startswith("https://")


@pytest.mark.django_db
def test_readyz_reports_every_check_when_the_instance_can_serve(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "cache": "ok"},
    }
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_is_unavailable_while_the_database_is_unreachable(client, monkeypatch):
    def refuse(self):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(type(connections["default"]), "ensure_connection", refuse)
    response = client.get("/readyz")

    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "checks": {"database": "error", "migrations": "error", "cache": "ok"},
    }


@pytest.mark.django_db
def test_readyz_is_unavailable_until_every_migration_is_applied(client):
    MigrationRecorder.Migration.objects.filter(app="axes").order_by("-id").first().delete()

    response = client.get("/readyz")

    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["migrations"] == "pending"
