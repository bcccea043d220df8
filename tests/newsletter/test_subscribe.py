"""Subscribing with double opt-in: POST /api/v2/newsletter/subscribe/ and confirm/."""

import datetime
import re
import types
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from digest.newsletter.models import ConsentRecord, Subscriber
from digest.newsletter.sending import send_confirmation
from tests.api.contract import component, validate

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/api/v2/newsletter/subscribe/"
CONFIRM = "/api/v2/newsletter/confirm/"


def subscribe(client, email="reader@example.org", locale="en", meta=None, **fields):
    """`fields` go into the JSON body, `meta` into the request's environ (REMOTE_ADDR, …)."""
    return client.post(
        SUBSCRIBE,
        {"email": email, "locale": locale, **fields},
        content_type="application/json",
        **(meta or {}),
    )


def token_from(received) -> str:
    link = re.search(r"https://frontend\.test/newsletter/confirm\?token=\S+", received.text)
    return parse_qs(urlsplit(link.group(0)).query)["token"][0]


def confirm(client, token, **headers):
    return client.post(CONFIRM, {"token": token}, content_type="application/json", **headers)


def test_a_new_subscriber_gets_one_confirmation_mail_in_their_language(client, smtp_server):
    response = subscribe(client, "czytacz@example.org", "be")

    assert response.status_code == 202
    [received] = smtp_server.received
    assert received.to == "czytacz@example.org"
    assert received.subject == "Пацвердзіце падпіску на «Сітуацыю ў Беларусі»"
    assert received.message["Content-Language"] == "be"
    assert "Пацвердзіць падпіску" in received.html
    assert "Пацвердзіць падпіску" in received.text
    assert 'href="https://frontend.test/newsletter/confirm?token=' in received.html
    assert token_from(received)
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_the_answer_is_the_same_whatever_the_address_already_is(client, smtp_server):
    bodies = {}
    for status in Subscriber.Status.values:
        address = f"{status}@example.org"
        if status != Subscriber.Status.PENDING:
            Subscriber.objects.create(
                email=address, email_normalized=address, locale="en", status=status
            )
        response = subscribe(client, address)
        bodies[status] = (response.status_code, response.json())
    response = subscribe(client, "new@example.org")
    bodies["new"] = (response.status_code, response.json())

    assert len(set(map(repr, bodies.values()))) == 1
    assert bodies["new"][0] == 202


def test_a_confirmed_subscriber_is_not_mailed_again_by_a_new_request(client, smtp_server):
    Subscriber.objects.create(
        email="a@example.org", email_normalized="a@example.org", locale="en", status="confirmed"
    )

    subscribe(client, "a@example.org", "ru")

    assert smtp_server.received == []
    assert Subscriber.objects.get().locale == "en"


def test_confirming_with_the_mailed_link_confirms_and_records_consent(
    client, smtp_server, settings
):
    settings.NEWSLETTER_CONSENT_TEXT_VERSION = "form-v7"
    subscribe(client, "reader@example.org", "ru", meta={"REMOTE_ADDR": "203.0.113.9"})

    response = confirm(client, token_from(smtp_server.received[0]), REMOTE_ADDR="198.51.100.4")

    assert response.status_code == 200
    assert response.json() == {"status": "confirmed", "locale": "ru"}
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None
    requested, confirmed = subscriber.consent_records.all()
    assert (requested.action, requested.ip_address) == ("requested", "203.0.113.9")
    assert (confirmed.action, confirmed.ip_address) == ("confirmed", "198.51.100.4")
    assert confirmed.consent_text_version == "form-v7"
    assert confirmed.locale == "ru"
    assert confirmed.created_at is not None


def test_a_confirmation_link_works_only_once(client, smtp_server):
    subscribe(client)
    token = token_from(smtp_server.received[0])
    confirm(client, token)

    response = confirm(client, token)

    assert response.status_code == 400
    assert response.json()["code"] == "used"
    assert response.json()["message"]


def test_an_expired_confirmation_link_is_refused(client, smtp_server, settings, monkeypatch):
    settings.NEWSLETTER_CONFIRM_MAX_AGE_DAYS = 3
    four_days_ago = datetime.datetime.now().timestamp() - 4 * 24 * 3600
    monkeypatch.setattr(signing, "time", types.SimpleNamespace(time=lambda: four_days_ago))
    subscribe(client)
    monkeypatch.undo()

    response = confirm(client, token_from(smtp_server.received[0]))

    assert response.status_code == 400
    assert response.json() == {
        "message": "This confirmation link has expired. Please subscribe again.",
        "status": 400,
        "code": "expired",
    }
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


@pytest.mark.parametrize("token", ["", "garbage", "eyJzIjoxfQ:1qZ:forged", 12345])
def test_a_forged_or_missing_token_confirms_nobody(client, token):
    Subscriber.objects.create(
        email="a@example.org", email_normalized="a@example.org", locale="en", confirm_nonce="n"
    )

    response = confirm(client, token)

    assert response.status_code == 400
    assert response.json()["status"] == 400
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_subscribing_again_after_unsubscribing_needs_a_new_confirmation(client, smtp_server):
    Subscriber.objects.create(
        email="back@example.org", email_normalized="back@example.org", locale="en",
        status=Subscriber.Status.UNSUBSCRIBED,
    )  # fmt: skip

    subscribe(client, "back@example.org", "be")

    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.locale == "be"
    confirm(client, token_from(smtp_server.received[0]))
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_addresses_are_unique_however_they_are_spelled(client, smtp_server):
    subscribe(client, "Reader@Example.ORG")
    subscribe(client, "reader@example.org")
    subscribe(client, "user@bücher.example")
    subscribe(client, "USER@xn--bcher-kva.example")

    assert sorted(Subscriber.objects.values_list("email_normalized", flat=True)) == [
        "reader@example.org",
        "user@xn--bcher-kva.example",
    ]


def test_an_internationalized_domain_is_accepted_and_mailed_in_its_ascii_form(client, smtp_server):
    response = subscribe(client, "leser@bücher.example")

    assert response.status_code == 202
    assert Subscriber.objects.get().email == "leser@bücher.example"
    assert smtp_server.received[0].to == "leser@xn--bcher-kva.example"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"locale": "en"}, "email"),
        ({"email": "not-an-address", "locale": "en"}, "email"),
        ({"email": "a@example.org\r\nBcc: victim@example.org", "locale": "en"}, "email"),
        ({"email": "a@example.org\n", "locale": "en"}, "email"),
        ({"email": "a" * 250 + "@example.org", "locale": "en"}, "email"),
        ({"email": ["a@example.org"], "locale": "en"}, "email"),
        ({"email": "a@example.org", "locale": "de"}, "locale"),
        ({"email": "a@example.org"}, "locale"),
    ],
)
def test_bad_input_is_refused_with_a_json_message(client, body, field):
    response = client.post(SUBSCRIBE, body, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert field in response.json()["errors"]
    assert response.json()["message"]
    # As the contract types it: each field's messages, a list of strings.
    validate(response.json(), component("Error"))
    assert all(isinstance(message, str) for message in response.json()["errors"][field])
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("payload", ['{"email": "a@example.org", "locale": ', "[1, 2]", "null"])
def test_malformed_json_is_refused_with_400(client, payload):
    response = client.post(SUBSCRIBE, payload, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["status"] == 400
    assert not Subscriber.objects.exists()


def test_a_form_post_is_refused_with_415(client):
    response = client.post(SUBSCRIBE, {"email": "a@example.org", "locale": "en"})

    assert response.status_code == 415
    assert response.json()["status"] == 415
    assert not Subscriber.objects.exists()


def test_unknown_fields_cannot_set_anything(client, smtp_server):
    subscribe(client, status="confirmed", id=999, email_normalized="x@example.org")

    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.email_normalized == "reader@example.org"
    assert subscriber.pk != 999


def test_a_filled_honeypot_is_answered_like_anyone_else_but_nothing_happens(client, smtp_server):
    response = subscribe(client, website="http://spam.example")

    assert response.status_code == 202
    assert response.json() == subscribe(client, "other@example.org").json()
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["other@example.org"]
    assert [item.to for item in smtp_server.received] == ["other@example.org"]


def test_too_many_requests_from_one_ip_get_429_with_retry_after(client, settings, smtp_server):
    settings.NEWSLETTER_RATE_PER_IP = "2/hour"
    for number in range(2):
        assert subscribe(client, f"r{number}@example.org").status_code == 202

    response = subscribe(client, "r3@example.org")

    assert response.status_code == 429
    assert response.json()["status"] == 429
    assert int(response["Retry-After"]) > 0
    assert not Subscriber.objects.filter(email="r3@example.org").exists()


def test_a_spoofed_x_forwarded_for_does_not_get_around_the_ip_limit(client, settings):
    settings.NEWSLETTER_RATE_PER_IP = "2/hour"
    statuses = [
        subscribe(
            client, f"r{number}@example.org", meta={"HTTP_X_FORWARDED_FOR": f"10.0.0.{number}"}
        ).status_code
        for number in range(3)
    ]

    assert statuses == [202, 202, 429]


def test_behind_trusted_proxies_the_client_is_the_address_the_proxy_saw(client, settings):
    settings.NEWSLETTER_RATE_PER_IP = "1/hour"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    first = subscribe(client, "a@example.org", meta={"HTTP_X_FORWARDED_FOR": "203.0.113.1"})
    other = subscribe(client, "b@example.org", meta={"HTTP_X_FORWARDED_FOR": "203.0.113.2"})
    # The client forged the left-hand entry; the proxy appended the real one.
    spoofed = subscribe(
        client, "c@example.org", meta={"HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.1"}
    )

    assert [first.status_code, other.status_code, spoofed.status_code] == [202, 202, 429]
    assert ConsentRecord.objects.get(subscriber__email="a@example.org").ip_address == (
        "203.0.113.1"
    )


def test_one_address_is_limited_whichever_ip_asks(client, settings, smtp_server):
    settings.NEWSLETTER_RATE_PER_ADDRESS = "2/hour"
    statuses = [
        subscribe(client, "Target@example.org", meta={"REMOTE_ADDR": f"192.0.2.{n}"}).status_code
        for n in range(3)
    ]

    assert statuses == [202, 202, 429]
    assert len(smtp_server.received) == 2


def test_a_dead_smtp_server_does_not_fail_subscribing(client, dead_smtp_server):
    response = subscribe(client)

    assert response.status_code == 202
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_a_hanging_smtp_server_is_never_waited_for_by_the_request(
    client, hanging_smtp_server, database_queue
):
    response = subscribe(client)

    assert response.status_code == 202
    # The request only queued the mail: it never opened a connection to the SMTP server.
    assert hanging_smtp_server.connections == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "digest.newsletter.subscriptions.record_subscription_request"


@pytest.mark.parametrize(
    "status", [None, *Subscriber.Status.values], ids=["new", *Subscriber.Status.values]
)
def test_a_subscribe_request_does_the_same_work_whether_or_not_the_address_is_subscribed(
    client, database_queue, status
):
    # What the request does (its SQL, its one queued task) cannot depend on the address: the
    # time it takes would tell whether the address is subscribed.
    if status:
        Subscriber.objects.create(
            email="reader@example.org",
            email_normalized="reader@example.org",
            locale="en",
            status=status,
        )

    with CaptureQueriesContext(connection) as known:
        response = subscribe(client)
    with CaptureQueriesContext(connection) as unknown:
        subscribe(client, email="someone.else@example.org")

    assert response.status_code == 202
    assert len(known) == len(unknown)
    assert not [query for query in known if '"newsletter_' in query["sql"]]
    queued = {task.task_path for task in DBTaskResult.objects.all()}
    assert queued == {"digest.newsletter.subscriptions.record_subscription_request"}
    assert Subscriber.objects.count() == (1 if status else 0)
    assert not ConsentRecord.objects.exists()


def test_a_confirmation_mail_that_times_out_is_retried_later_with_backoff(
    hanging_smtp_server, database_queue, settings
):
    settings.NEWSLETTER_RETRY_BACKOFF_SECONDS = 60
    subscriber = Subscriber.objects.create(
        email="a@example.org", email_normalized="a@example.org", locale="en", confirm_nonce="n"
    )

    outcome = send_confirmation.call(subscriber.pk)

    assert outcome == "retrying"
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["args"] == [subscriber.pk, 2]
    assert retry.run_after > retry.enqueued_at + datetime.timedelta(seconds=59)


def test_a_temporary_smtp_failure_of_the_confirmation_is_retried(client, smtp_server):
    smtp_server.fail_next = 1

    subscribe(client)

    assert [item.to for item in smtp_server.received] == ["reader@example.org"]
