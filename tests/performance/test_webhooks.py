"""Frontends and CDNs hear of every change: signed webhooks with the changed paths in all
languages, retried with backoff, logged in the admin; CDN purges where configured."""

import datetime
import hashlib
import hmac
import json
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from core.models import WebhookDelivery, WebhookEndpoint
from core.webhooks import EVENT_HEADER, SIGNATURE_HEADER, deliver_webhook
from digest.desk.publishing import publish_week
from digest.factories import ArticlePageFactory, CreditedImageFactory, topic
from tests.api.contract import document, validate
from tests.hardening.live import closed_port

EN_ARTICLE = "/situation-in-belarus/2023-09-11/minsk-calls-for-friendship/"
# Translated slugs follow the translated titles ("[be] Minsk calls for friendship").
BE_ARTICLE = "/be/situacyja-u-bielarusi/2023-09-11/be-minsk-calls-for-friendship/"
RU_ARTICLE = "/ru/situaciya-v-belarusi/2023-09-11/ru-minsk-calls-for-friendship/"
WEEK = {
    "/situation-in-belarus/2023-09-11/",
    "/be/situacyja-u-bielarusi/2023-09-11/",
    "/ru/situaciya-v-belarusi/2023-09-11/",
}
LISTINGS = {"/", "/be/", "/ru/", "/situation-in-belarus/"}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SECRET = "a-webhook-secret-of-at-least-32-characters"


@pytest.fixture
def endpoint(receiver):
    return WebhookEndpoint.objects.create(name="Frontend", url=f"{receiver.url}/revalidate")


def verified(received, secret) -> dict:
    """The JSON of a received webhook, once its signature has been checked as a receiver would,
    and its headers and body are what the contract's `webhooks` promise."""
    expected = "sha256=" + hmac.new(secret.encode(), received.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(received.headers[SIGNATURE_HEADER], expected)
    promised = document()["webhooks"]["contentChanged"]["post"]
    for header in promised["parameters"]:
        assert header["in"] == "header"
        value = received.headers[header["name"]]
        validate(value, header["schema"])
    payload = json.loads(received.body)
    validate(payload, promised["requestBody"]["content"]["application/json"]["schema"])
    assert received.headers[EVENT_HEADER] == payload["event"]
    return payload


def test_a_publication_is_announced_with_its_paths_in_every_language(
    trilingual_week, endpoint, receiver, committed
):
    week = trilingual_week
    with committed():
        week.west.title = "Minsk calls for friendship, corrected"
        week.west.save_revision().publish()

    [received] = receiver.all()
    assert received.method == "POST"
    assert received.path == "/revalidate"
    assert received.headers["Content-Type"] == "application/json"
    payload = verified(received, endpoint.secret)
    assert payload["event"] == "page_published"
    assert {EN_ARTICLE, BE_ARTICLE, RU_ARTICLE} | WEEK <= set(payload["paths"])
    assert set(payload["paths"]) >= LISTINGS
    assert "/situation-in-belarus/2023-09-11/troops-on-the-border/" not in payload["paths"]
    assert f"https://frontend.test{EN_ARTICLE}" in payload["urls"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert (delivery.attempts, delivery.response_status) == (1, 200)


def test_publishing_a_week_sends_one_webhook_with_every_page(
    week, endpoint, receiver, committed, admin_user
):
    with committed():  # the week as the desk leaves it: a new article as a draft
        draft = ArticlePageFactory.build(
            title="Troops leave the border", topic=topic("security-issues"), photo=None, live=False
        )
        week.report.add_child(instance=draft)
        draft.save_revision()
    receiver.all()

    with committed():
        publish_week(week.report, "en", user=admin_user)

    [received] = receiver.all()
    paths = set(verified(received, endpoint.secret)["paths"])
    assert "/situation-in-belarus/2023-09-11/troops-leave-the-border/" in paths
    assert "/situation-in-belarus/2023-09-11/" in paths


def test_a_view_restriction_announces_the_hidden_subtree(
    trilingual_week, endpoint, receiver, committed
):
    with committed():
        PageViewRestriction.objects.create(
            page=trilingual_week.report, restriction_type=PageViewRestriction.LOGIN
        )

    payload = verified(receiver.all()[0], endpoint.secret)
    assert payload["event"] == "view_restriction_added"
    assert {EN_ARTICLE, BE_ARTICLE, RU_ARTICLE} | WEEK <= set(payload["paths"])


def test_a_move_announces_the_old_and_the_new_paths(trilingual_week, endpoint, receiver, committed):
    from digest.factories import ReportPageFactory

    with committed():
        next_week = ReportPageFactory(week_start=datetime.date(2023, 9, 18))
        next_week.save_revision().publish()
    receiver.all()

    with committed():
        trilingual_week.west.move(next_week, pos="last-child")

    payload = verified(receiver.all()[0], endpoint.secret)
    assert payload["event"] == "page_moved"
    assert {EN_ARTICLE, "/situation-in-belarus/2023-09-18/minsk-calls-for-friendship/"} <= set(
        payload["paths"]
    )


def test_a_renamed_topic_announces_its_articles_in_every_language(
    trilingual_week, endpoint, receiver, committed
):
    with committed():
        renamed = topic("belarus-west-relations")
        renamed.name = "Relations with the West"
        renamed.save()

    payload = verified(receiver.all()[0], endpoint.secret)
    assert payload["event"] == "topic_changed"
    assert {EN_ARTICLE, BE_ARTICLE, RU_ARTICLE} <= set(payload["paths"])


def test_a_corrected_photo_credit_announces_the_articles_showing_it(
    week, endpoint, receiver, committed
):
    with committed():
        image = week.west.photo
        image.credit = "Photo: president.gov.by"
        image.save()

    payload = verified(receiver.all()[0], endpoint.secret)
    assert payload["event"] == "image_changed"
    assert EN_ARTICLE in payload["paths"]


def test_a_deleted_article_is_announced(week, endpoint, receiver, committed):
    with committed():
        week.west.delete()

    payload = verified(receiver.all()[0], endpoint.secret)
    # Wagtail unpublishes a live page as it deletes it.
    assert set(payload["events"]) == {"page_deleted", "page_unpublished"}
    assert EN_ARTICLE in payload["paths"]


def test_a_failed_delivery_is_retried_until_it_succeeds(week, endpoint, receiver, committed):
    receiver.statuses.extend([503, 500])

    with committed():
        week.west.save_revision().publish()

    attempts = receiver.all()
    assert len(attempts) == 3
    assert len({attempt.body for attempt in attempts}) == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert delivery.attempts == 3


@override_settings(WEBHOOK_MAX_ATTEMPTS=3)
def test_an_unreachable_receiver_is_given_up_after_the_last_attempt(week, committed):
    with closed_port() as dead:
        WebhookEndpoint.objects.create(
            name="Gone", url=f"http://127.0.0.1:{dead.getsockname()[1]}/hook"
        )
        with committed():
            week.west.save_revision().publish()

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.attempts == 3
    assert "ConnectionRefusedError" in delivery.error or "URLError" in delivery.error


def test_a_receiver_that_refuses_the_delivery_is_not_asked_again(
    week, endpoint, receiver, committed
):
    receiver.statuses.append(400)

    with committed():
        week.west.save_revision().publish()

    assert len(receiver.all()) == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 1, 400)


@override_settings(TASKS=DATABASE_TASKS, WEBHOOK_RETRY_BACKOFF_SECONDS=30)
def test_retries_wait_longer_after_each_failure(week, endpoint, receiver, committed):
    receiver.statuses.extend([500, 500])
    with committed():
        week.west.save_revision().publish()
    delivery = WebhookDelivery.objects.get()

    waits = []
    for _attempt in range(2):
        started = timezone.now()
        deliver_webhook.call(delivery.pk)
        queued = DBTaskResult.objects.filter(task_path=deliver_webhook.module_path).latest(
            "enqueued_at"
        )
        waits.append((queued.run_after - started).total_seconds())

    assert [round(wait / 10) * 10 for wait in waits] == [30, 60]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("retrying", 2)


def test_urls_from_the_environment_get_signed_webhooks_too(week, receiver, committed, settings):
    settings.WEBHOOK_URLS = [f"{receiver.url}/from-env"]
    settings.WEBHOOK_SECRET = SECRET

    with committed():
        week.west.save_revision().publish()

    [received] = receiver.all()
    assert received.path == "/from-env"
    assert verified(received, SECRET)["event"] == "page_published"


def test_inactive_endpoints_hear_nothing(week, endpoint, receiver, committed):
    endpoint.is_active = False
    endpoint.save()

    with committed():
        week.west.save_revision().publish()

    assert receiver.all() == []
    assert not WebhookDelivery.objects.exists()


def test_the_cdn_is_purged_of_the_changed_pages_and_api_urls(week, receiver, committed, settings):
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": receiver.url,
        }
    }

    with committed():
        week.west.save_revision().publish()

    purged = {(request.method, request.headers["Host"], request.path) for request in receiver.all()}
    api_host = urlsplit(settings.WAGTAILAPI_BASE_URL).netloc
    assert ("PURGE", "frontend.test", EN_ARTICLE) in purged
    assert ("PURGE", "frontend.test", "/situation-in-belarus/2023-09-11/") in purged
    assert ("PURGE", api_host, f"/api/v2/pages/{week.west.id}/") in purged
    assert ("PURGE", api_host, "/api/v2/feeds/en/rss/") in purged


def test_the_cdn_is_purged_of_an_images_rendition_urls_when_it_leaves_the_public(
    week, receiver, committed, settings, client
):
    """Rendition URLs are cached for a year (immutable): when a photo's collection becomes
    private, or the photo moves into a private one, the CDN is told to drop every URL of it
    the API handed out — not only the API's pages."""
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": receiver.url,
        }
    }
    photo = week.west.photo
    handed_out = client.get(f"/api/v2/images/{photo.id}/").json()["responsive"]["srcset"]["webp"]
    webp_path = urlsplit(handed_out.split(",")[0].split()[0]).path

    with committed():
        CollectionViewRestriction.objects.create(
            collection=photo.collection, restriction_type=CollectionViewRestriction.LOGIN
        )
    assert webp_path in {request.path for request in receiver.all()}

    with committed():
        private = Collection.get_first_root_node().add_child(name="Embargoed")
        CollectionViewRestriction.objects.create(
            collection=private, restriction_type=CollectionViewRestriction.LOGIN
        )
    with committed():
        other = CreditedImageFactory()
    receiver.all()
    template = client.get(f"/api/v2/images/{other.id}/").json()["responsive"]["url_template"]
    with committed():
        other.collection = private
        other.save()
    purged = {request.path for request in receiver.all()}
    assert (
        urlsplit(template.replace("{size}", "640-1x1").replace("{format}", "jpeg")).path in purged
    )


# ---- the admin --------------------------------------------------------------------------------


def test_an_administrator_adds_an_endpoint_in_the_settings(admin_client):
    response = admin_client.post(
        reverse("webhook_endpoints:add"),
        {
            "name": "Next.js",
            "url": "https://frontend.test/api/revalidate",
            "secret": "s" * 40,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.name, endpoint.secret) == ("Next.js", "s" * 40)
    assert (
        reverse("webhook_endpoints:index")
        in admin_client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_the_delivery_log_can_be_read_but_not_written(
    week, endpoint, receiver, admin_client, committed
):
    receiver.statuses.append(400)
    with committed():
        week.west.save_revision().publish()
    delivery = WebhookDelivery.objects.get()

    index = admin_client.get(reverse("webhook_deliveries:index"))
    inspect = admin_client.get(reverse("webhook_deliveries:inspect", args=[delivery.pk]))

    assert index.status_code == 200
    assert "page_published" in index.content.decode()
    assert inspect.status_code == 200
    assert EN_ARTICLE in inspect.content.decode()
    assert "HTTP 400" in inspect.content.decode()
    edit = admin_client.get(reverse("webhook_deliveries:edit", args=[delivery.pk]))
    add = admin_client.get(reverse("webhook_deliveries:add"))
    assert edit.status_code == add.status_code == 302
    assert not WebhookDelivery.objects.exclude(pk=delivery.pk).exists()
