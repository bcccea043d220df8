"""Leaving and changing language with the token from a digest, without logging in."""

import pytest

from digest.newsletter.models import ConsentRecord, Subscriber
from digest.newsletter.tokens import manage_token

pytestmark = pytest.mark.django_db

UNSUBSCRIBE = "/api/v2/newsletter/unsubscribe/"
PREFERENCES = "/api/v2/newsletter/preferences/"


@pytest.fixture
def subscriber():
    return Subscriber.objects.create(
        email="reader@example.org",
        email_normalized="reader@example.org",
        locale="be",
        status=Subscriber.Status.CONFIRMED,
    )


def one_click(client, token):
    """What a mail client does with List-Unsubscribe-Post (RFC 8058)."""
    return client.post(
        f"{UNSUBSCRIBE}?token={token}",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )


def test_one_click_unsubscribes_and_records_the_withdrawal(client, subscriber):
    response = one_click(client, manage_token(subscriber))

    assert response.status_code == 200
    assert response.json() == {"status": "unsubscribed"}
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None
    assert subscriber.consent_records.get().action == ConsentRecord.Action.WITHDRAWN


def test_one_click_also_works_as_multipart(client, subscriber):
    response = client.post(
        f"{UNSUBSCRIBE}?token={manage_token(subscriber)}", {"List-Unsubscribe": "One-Click"}
    )

    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_unsubscribing_twice_is_harmless(client, subscriber):
    token = manage_token(subscriber)
    one_click(client, token)

    response = one_click(client, token)

    assert response.status_code == 200
    assert subscriber.consent_records.count() == 1


def test_the_frontend_can_unsubscribe_with_a_json_token(client, subscriber):
    response = client.post(
        UNSUBSCRIBE, {"token": manage_token(subscriber)}, content_type="application/json"
    )

    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_opening_the_unsubscribe_url_does_not_unsubscribe(client, subscriber):
    """Link scanners GET every URL in a mail; only a POST may unsubscribe."""
    response = client.get(f"{UNSUBSCRIBE}?token={manage_token(subscriber)}")

    assert response.status_code == 405
    assert response.json()["status"] == 405
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


@pytest.mark.parametrize("token", ["forged", "eyJzIjo5OTl9:abc"])
def test_a_forged_token_unsubscribes_nobody(client, subscriber, token):
    response = one_click(client, token)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_a_request_without_any_token_is_refused(client):
    response = client.post(UNSUBSCRIBE, {}, content_type="application/json")

    assert response.status_code == 400
    assert "token" in response.json()["errors"]


def test_a_subscriber_can_see_and_change_their_language(client, subscriber):
    token = manage_token(subscriber)

    shown = client.get(PREFERENCES, {"token": token})
    changed = client.post(
        PREFERENCES, {"token": token, "locale": "ru"}, content_type="application/json"
    )

    assert shown.json() == {"email": "reader@example.org", "locale": "be", "status": "confirmed"}
    assert changed.status_code == 200
    assert changed.json()["locale"] == "ru"
    subscriber.refresh_from_db()
    assert subscriber.locale == "ru"


def test_an_unknown_language_is_refused(client, subscriber):
    response = client.post(
        PREFERENCES,
        {"token": manage_token(subscriber), "locale": "pl"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "locale" in response.json()["errors"]
    subscriber.refresh_from_db()
    assert subscriber.locale == "be"
