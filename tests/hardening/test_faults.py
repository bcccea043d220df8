"""When a dependency fails, the CMS answers quickly and in JSON, and heals by itself."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import requests
from django.db import OperationalError, connection, connections
from django.test import override_settings
from wagtail.embeds.finders import get_finders
from wagtail.embeds.models import Embed

from digest.factories import ArticlePageFactory
from tests.api.contract import schema_for, validate
from tests.hardening.admin_forms import submit_article_body
from tests.hardening.live import app_server, closed_port, forward, unresponsive_server
from tests.home.test_settings import settings_value

UNAVAILABLE = {
    "message": "The service is temporarily unavailable. Please retry shortly.",
    "status": 503,
}
VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def test_with_the_database_unreachable_the_api_answers_503_json_within_two_seconds():
    with (
        closed_port() as database,
        app_server(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{database.getsockname()[1]}/cms"
        ) as url,
    ):
        started = time.monotonic()
        response = requests.get(f"{url}/api/v2/pages/", timeout=10)
        elapsed = time.monotonic() - started
        alive = requests.get(f"{url}/healthz", timeout=10)
        ready = requests.get(f"{url}/readyz", timeout=10)

    assert response.status_code == 503
    assert elapsed < 2
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Retry-After"] == "5"
    assert response.json() == UNAVAILABLE
    # The contract's answer for it (every operation lists 503).
    validate(response.json(), schema_for("/api/v2/pages/", 503))
    assert alive.status_code == 200
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"] == "error"


@pytest.mark.django_db
def test_the_api_recovers_without_a_restart_once_the_database_is_back():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL; CI runs the suite on PostgreSQL as well")
    database = connection.settings_dict
    with closed_port() as gate:
        port = gate.getsockname()[1]
        url_of_database = f"postgres://{database['USER']}@127.0.0.1:{port}/{database['NAME']}"
        with app_server(DATABASE_URL=url_of_database) as url:
            down = requests.get(f"{url}/api/v2/pages/", timeout=10)
            forward(gate, (database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
            up = requests.get(f"{url}/api/v2/pages/", timeout=10)
            ready = requests.get(f"{url}/readyz", timeout=10)

    assert down.status_code == 503
    assert up.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "migrations": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_the_api_answers_503_json_while_the_database_fails_and_then_recovers(client, monkeypatch):
    ArticlePageFactory(title="Minsk calls for friendship")

    def refuse(self):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(type(connections["default"]), "ensure_connection", refuse)
    down = client.get("/api/v2/pages/")
    monkeypatch.undo()
    up = client.get("/api/v2/pages/")

    assert down.status_code == 503
    assert down["Retry-After"] == "5"
    assert json.loads(down.content) == UNAVAILABLE
    assert up.status_code == 200
    assert "Minsk calls for friendship" in up.content.decode()


def redis_cache_settings(redis_url: str) -> dict:
    """CACHES exactly as the settings build them for REDIS_URL."""
    result = settings_value(
        "test", "__import__('json').dumps(settings.CACHES)", REDIS_URL=redis_url
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.django_db
def test_with_redis_down_pages_are_served_uncached(client):
    ArticlePageFactory(title="Minsk calls for friendship")
    with_cache = client.get("/api/v2/pages/")

    with closed_port() as redis:
        dead_redis = redis_cache_settings(f"redis://127.0.0.1:{redis.getsockname()[1]}/0")
        with override_settings(CACHES=dead_redis):
            started = time.monotonic()
            without_cache = client.get("/api/v2/pages/")
            elapsed = time.monotonic() - started
            ready = client.get("/readyz")

    assert dead_redis["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert without_cache.status_code == 200
    assert json.loads(without_cache.content) == json.loads(with_cache.content)
    assert elapsed < 2
    assert ready.status_code == 200
    assert json.loads(ready.content) == {
        "status": "degraded",
        "checks": {"database": "ok", "migrations": "ok", "cache": "error"},
    }


def finders_for(endpoint: str) -> list:
    """The production embed finder, with YouTube answering at `endpoint` and a short timeout."""
    return [
        {
            "class": "digest.content_safety.AllowListedOEmbedFinder",
            "timeout": 0.5,
            "providers": {
                "YouTube": [
                    {"endpoint": endpoint, "urls": [r"^https://www\.youtube\.com/watch.+$"]}
                ]
            },
        }
    ]


@pytest.fixture
def fresh_finders():
    """Wagtail builds its finders once per process; rebuild them around a settings override."""
    get_finders.cache_clear()
    yield
    get_finders.cache_clear()


@pytest.mark.django_db
def test_an_article_with_an_embed_is_saved_and_published_while_the_provider_hangs(
    admin_client, fresh_finders
):
    article = ArticlePageFactory()

    with (
        unresponsive_server() as port,
        override_settings(WAGTAILEMBEDS_FINDERS=finders_for(f"http://127.0.0.1:{port}/oembed")),
    ):
        started = time.monotonic()
        response = submit_article_body(
            admin_client, article, [("embed", {"embed": VIDEO, "caption": "The address"})]
        )
        elapsed = time.monotonic() - started

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.live
    assert not article.has_unpublished_changes
    assert article.body[0].value["embed"].url == VIDEO
    # Until the provider answers, the frontend gets a plain link to the video.
    assert Embed.objects.get(url=VIDEO).html == f'<a href="{VIDEO}">{VIDEO}</a>'
    assert elapsed < 5


class OEmbedProvider(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps(
            {
                "type": "video",
                "provider_name": "YouTube",
                "title": "The address",
                "width": 200,
                "height": 113,
                "html": '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>',
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        """Quiet: the test asserts on what was stored."""


@pytest.mark.django_db
def test_the_real_embed_replaces_the_link_once_the_provider_answers_again(
    admin_client, fresh_finders
):
    article = ArticlePageFactory()
    with (
        unresponsive_server() as port,
        override_settings(WAGTAILEMBEDS_FINDERS=finders_for(f"http://127.0.0.1:{port}/oembed")),
    ):
        submit_article_body(admin_client, article, [("embed", {"embed": VIDEO, "caption": ""})])
    Embed.objects.filter(url=VIDEO).update(cache_until="2000-01-01T00:00Z")
    get_finders.cache_clear()

    provider = HTTPServer(("127.0.0.1", 0), OEmbedProvider)
    threading.Thread(target=provider.serve_forever, daemon=True).start()
    try:
        endpoint = f"http://127.0.0.1:{provider.server_port}/oembed"
        with override_settings(WAGTAILEMBEDS_FINDERS=finders_for(endpoint)):
            response = submit_article_body(
                admin_client, article, [("embed", {"embed": VIDEO, "caption": ""})]
            )
    finally:
        provider.shutdown()
        provider.server_close()

    assert response.status_code == 302
    embed = Embed.objects.get(url=VIDEO)
    assert embed.html == '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>'
    assert embed.title == "The address"


def test_a_postgresql_connection_attempt_gives_up_after_two_seconds_by_default():
    result = settings_value(
        "production",
        "settings.DATABASES['default']['OPTIONS']['connect_timeout']",
        DATABASE_URL="postgres://postgres@db.internal:5432/cms",
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_ALLOWED_HOSTS="cms.example.org",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "2"
