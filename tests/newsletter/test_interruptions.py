"""A worker that dies mid-batch: at most one chunk is left in doubt, it is reported as interrupted
once it is old enough, and it is resent only when someone decides so (admin or command)."""

import datetime
import io
import uuid
from collections import Counter

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django_tasks_db.models import DBTaskResult

from digest.newsletter import sending
from digest.newsletter.models import Delivery, DigestSend, Subscriber
from digest.newsletter.sending import plan_digest_send, resend_interrupted, send_digest_batch
from tests.newsletter.conftest import WEEK

pytestmark = pytest.mark.django_db

READERS = [f"reader{number:02}@example.org" for number in range(1, 26)]
CHUNK = 10


@pytest.fixture
def readers(db, settings):
    """25 confirmed English readers, sent in one batch recorded every 10 messages."""
    settings.NEWSLETTER_RECORD_EVERY = CHUNK
    settings.NEWSLETTER_BATCH_SIZE = 200
    settings.NEWSLETTER_INTERRUPTED_AFTER_MINUTES = 30
    for address in READERS:
        Subscriber.objects.create(
            email=address, email_normalized=address, locale="en", status="confirmed"
        )


@pytest.fixture
def editor(admin_user, client):
    client.force_login(admin_user)
    return admin_user


def send_week(**options):
    out = io.StringIO()
    call_command("send_digest", "--week", WEEK.isoformat(), **options, stdout=out)
    return out.getvalue()


def received(smtp_server) -> Counter:
    return Counter(item.to for item in smtp_server.received)


def statuses() -> Counter:
    return Counter(Delivery.objects.values_list("status", flat=True))


def dying_hand_over(monkeypatch, after: int, accepted: bool):
    """The worker dies while handing over message number `after` (counted from 1): once the
    SMTP server accepted it (`accepted`), or before it went out. Only the first time."""
    real_hand_over = sending.hand_over
    handed = []

    def hand_over(connection, message):
        if len(handed) + 1 == after:
            handed.append(message.to[0])
            if accepted:
                real_hand_over(connection, message)
            raise SystemExit("worker killed")
        real_hand_over(connection, message)
        handed.append(message.to[0])

    monkeypatch.setattr(sending, "hand_over", hand_over)
    return handed


def killed_outright(monkeypatch):
    """SIGKILL, OOM, a lost machine: no Python code runs once the worker is gone."""
    monkeypatch.setattr(sending.Ledger, "stopped", lambda self, deliveries, exc: None)


def age_claims(minutes: float):
    """Pretends the deliveries still in "sending" were claimed `minutes` ago."""
    Delivery.objects.filter(status=Delivery.Status.SENDING).update(
        claimed_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )


def sending_order() -> list[str]:
    """The readers' addresses in the order a batch sends them (by delivery)."""
    return list(Delivery.objects.order_by("pk").values_list("subscriber__email", flat=True))


def kill_mid_batch(monkeypatch):
    """Sends the week; the worker is killed outright right after the 13th message was
    accepted. Returns the readers in sending order."""
    killed_outright(monkeypatch)
    handed = dying_hand_over(monkeypatch, after=13, accepted=True)
    send_week()
    monkeypatch.undo()
    order = sending_order()
    assert handed == order[:13]
    return order


def test_a_worker_killed_mid_batch_leaves_at_most_one_chunk_in_sending(
    smtp_server, published_week, readers, monkeypatch
):
    order = kill_mid_batch(monkeypatch)

    assert received(smtp_server) == Counter(order[:13])
    # The first chunk was recorded when the second was claimed; the second is in doubt (three
    # of its messages were accepted, seven not yet handed over); the rest was never claimed.
    assert statuses() == Counter({"sent": CHUNK, "sending": CHUNK, "queued": 5})
    sending_now = Delivery.objects.filter(status="sending")
    assert {d.subscriber.email for d in sending_now} == set(order[10:20])
    assert all(d.claimed_at is not None for d in sending_now)
    sent = Delivery.objects.filter(status="sent")
    assert {d.subscriber.email for d in sent} == set(order[:10])
    assert all(d.sent_at is not None for d in sent)


def test_a_batch_that_stops_on_an_exception_records_what_it_knows(
    smtp_server, published_week, readers, monkeypatch
):
    """The worker's second Ctrl+C (SystemExit) arrives while message 14 is being handed over:
    what was accepted is recorded, message 14 stays in doubt, and the rest, never handed over,
    goes back to the queue and out in a new batch."""
    dying_hand_over(monkeypatch, after=14, accepted=False)

    send_week()

    order = sending_order()
    in_doubt = Delivery.objects.get(status="sending")
    assert in_doubt.subscriber.email == order[13]
    assert received(smtp_server) == Counter(set(READERS) - {order[13]})
    assert statuses() == Counter({"sent": 24, "sending": 1})


def test_a_message_that_cannot_be_built_fails_alone(
    smtp_server, published_week, readers, monkeypatch
):
    real_message_for = sending.DigestTemplate.message_for

    def message_for(self, subscriber, connection=None):
        if subscriber.email == READERS[4]:
            raise ValueError("bad address")
        return real_message_for(self, subscriber, connection)

    monkeypatch.setattr(sending.DigestTemplate, "message_for", message_for)
    send_week()

    assert received(smtp_server) == Counter(set(READERS) - {READERS[4]})
    failed = Delivery.objects.get(status="failed")
    assert failed.subscriber.email == READERS[4]
    assert "bad address" in failed.last_error
    assert DigestSend.objects.get(locale="en").finished_at is not None


def test_interrupted_deliveries_show_in_the_send_log_only_after_the_threshold(
    client, editor, smtp_server, published_week, readers, monkeypatch
):
    kill_mid_batch(monkeypatch)
    send = DigestSend.objects.get(locale="en")
    index = reverse("newsletter_digestsend:index")
    inspect = reverse("newsletter_digestsend:inspect", args=[send.pk])
    resend = reverse("newsletter_digestsend:resend_interrupted", args=[send.pk])

    age_claims(29)
    before_log = client.get(index).content.decode()
    before_inspect = client.get(inspect).content.decode()
    age_claims(31)
    after_log = client.get(index).content.decode()
    after_inspect = client.get(inspect).content.decode()

    assert "may or may not have been delivered" not in before_log
    assert resend not in before_log
    assert "may or may not have been delivered" not in before_inspect
    assert "Sending: 10" in before_inspect
    assert "may or may not have been delivered" in after_log
    assert "<strong>10</strong>" in after_log
    assert resend in after_log
    assert "10 deliveries have been in &quot;sending&quot; for more than 30 minutes" in (
        after_inspect
    )
    assert "Sending: 0" in after_inspect
    assert resend in after_inspect


def test_resending_asks_for_confirmation_then_requeues_exactly_the_interrupted(
    client, editor, smtp_server, published_week, readers, monkeypatch
):
    order = kill_mid_batch(monkeypatch)
    age_claims(31)
    # One more delivery, claimed a minute ago by a worker that is still at it.
    in_progress = Delivery.objects.get(subscriber__email=order[20])
    fresh_claim = timezone.now() - datetime.timedelta(minutes=1)
    live_claim = uuid.uuid4()
    Delivery.objects.filter(pk=in_progress.pk).update(
        status="sending", claimed_at=fresh_claim, claim=live_claim
    )
    send = DigestSend.objects.get(locale="en")
    url = reverse("newsletter_digestsend:resend_interrupted", args=[send.pk])
    smtp_server.received.clear()

    question = client.get(url)

    page = question.content.decode()
    assert question.status_code == 200
    assert "these 10 subscribers may receive this week" in page
    assert "may or may not have accepted them" in page
    assert all(address in page for address in order[10:20])
    assert order[20] not in page
    assert statuses() == Counter({"sent": 10, "sending": 11, "queued": 4})
    assert smtp_server.received == []

    response = client.post(url, {"as_of": question.context["as_of"]}, follow=True)

    assert response.status_code == 200
    assert "10 interrupted deliveries of 2023-09-11 · English were queued again." in (
        response.content.decode()
    )
    # The interrupted ten and the four never claimed went out; the one in progress did not.
    assert received(smtp_server) == Counter(order[10:20] + order[21:])
    still = Delivery.objects.get(pk=in_progress.pk)
    assert (still.status, still.claimed_at, still.claim) == ("sending", fresh_claim, live_claim)
    assert statuses() == Counter({"sent": 24, "sending": 1})


def test_resent_deliveries_go_out_once_more_and_recorded_ones_never(
    client, editor, smtp_server, published_week, readers, monkeypatch
):
    order = kill_mid_batch(monkeypatch)
    age_claims(31)
    send = DigestSend.objects.get(locale="en")
    url = reverse("newsletter_digestsend:resend_interrupted", args=[send.pk])

    client.post(url)
    client.post(url)
    send_week()

    copies = received(smtp_server)
    # The three accepted before the worker died get a second copy: the risk the editor took.
    assert {address: copies[address] for address in order[10:13]} == dict.fromkeys(order[10:13], 2)
    assert all(copies[address] == 1 for address in order[:10] + order[13:])
    assert statuses() == Counter({"sent": 25})
    send.refresh_from_db()
    assert send.finished_at is not None


def test_only_people_allowed_to_send_can_resend(
    client, django_user_model, smtp_server, published_week, readers, monkeypatch
):
    kill_mid_batch(monkeypatch)
    age_claims(31)
    send = DigestSend.objects.get(locale="en")
    url = reverse("newsletter_digestsend:resend_interrupted", args=[send.pk])
    moderator = django_user_model.objects.create_user("mod", "mod@example.org", "x" * 12)
    moderator.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(moderator)

    refused_question = client.get(url)
    refused_post = client.post(url)
    untouched = statuses()
    group = Group.objects.create(name="Newsletter senders")
    group.permissions.add(Permission.objects.get(codename="send_digest"))
    moderator.groups.add(group)
    allowed = client.get(url)

    assert refused_question.status_code in (302, 403)
    assert refused_post.status_code in (302, 403)
    assert untouched == Counter({"sent": 10, "sending": 10, "queued": 5})
    assert allowed.status_code == 200
    assert "these 10 subscribers" in allowed.content.decode()


def test_without_interrupted_deliveries_the_page_says_so_and_resends_nothing(
    client, editor, smtp_server, published_week, readers, monkeypatch
):
    kill_mid_batch(monkeypatch)
    send = DigestSend.objects.get(locale="en")
    url = reverse("newsletter_digestsend:resend_interrupted", args=[send.pk])

    question = client.get(url).content.decode()
    response = client.post(url, follow=True).content.decode()

    assert "No delivery of this digest is interrupted" in question
    assert "Yes, resend" not in question
    assert "There was nothing to resend" in response
    assert Delivery.objects.filter(status="sending").count() == CHUNK


def test_the_command_resends_interrupted_deliveries_once(
    smtp_server, published_week, readers, monkeypatch
):
    order = kill_mid_batch(monkeypatch)
    smtp_server.received.clear()
    too_early = send_week(resend_interrupted=True)
    # Too early for the chunk in doubt; the five never claimed are safe to send at any time.
    assert statuses() == Counter({"sent": 15, "sending": 10})
    assert received(smtp_server) == Counter(order[20:])
    age_claims(31)
    smtp_server.received.clear()

    first = send_week(resend_interrupted=True)
    second = send_week(resend_interrupted=True)

    assert "2023-09-11 en: 0 interrupted queued again, 5 waiting deliveries enqueued" in too_early
    assert "2023-09-11 en: 10 interrupted queued again, 10 waiting" in first
    assert "10 interrupted deliveries queued again" in first
    assert "may get the week twice" in first
    assert "2023-09-11 en: 0 interrupted queued again, 0 waiting" in second
    assert "0 interrupted deliveries" in second
    assert received(smtp_server) == Counter(order[10:20])
    assert statuses() == Counter({"sent": 25})


def test_the_command_refuses_a_week_never_sent(db):
    with pytest.raises(CommandError, match="never sent"):
        send_week(resend_interrupted=True)


def test_a_delivery_claimed_again_after_the_confirmation_was_shown_is_left_alone(
    published_week, readers, database_queue
):
    send = DigestSend.objects.create(week_start=WEEK, locale="en")
    plan_digest_send.call(send.pk)
    DBTaskResult.objects.all().delete()
    now = timezone.now()
    shown_at = now - datetime.timedelta(minutes=5)
    old, reclaimed = Delivery.objects.order_by("pk")[:2]
    Delivery.objects.filter(pk=old.pk).update(
        status="sending", claimed_at=now - datetime.timedelta(minutes=40)
    )
    # Interrupted now, but not yet when the editor was shown the count.
    Delivery.objects.filter(pk=reclaimed.pk).update(
        status="sending", claimed_at=now - datetime.timedelta(minutes=33)
    )

    resent = resend_interrupted(send, as_of=shown_at, by="editor")

    assert resent == (1, 24)
    old.refresh_from_db()
    reclaimed.refresh_from_db()
    assert (old.status, old.claimed_at, old.claim) == ("queued", None, None)
    assert reclaimed.status == "sending"
    # All queued deliveries of the send are enqueued again (a claim decides who sends each).
    [batch] = DBTaskResult.objects.filter(task_path__endswith="send_digest_batch")
    assert batch.args_kwargs["args"][1] == list(
        Delivery.objects.filter(status="queued").order_by("pk").values_list("pk", flat=True)
    )
    assert old.pk in batch.args_kwargs["args"][1]


def test_a_second_run_of_a_batch_claims_nothing_already_claimed(
    smtp_server, published_week, readers, database_queue
):
    send = DigestSend.objects.create(week_start=WEEK, locale="en")
    plan_digest_send.call(send.pk)
    [batch] = DBTaskResult.objects.filter(task_path__endswith="send_digest_batch")
    args = batch.args_kwargs["args"]
    # Another worker holds the second chunk.
    other = list(Delivery.objects.order_by("pk")[CHUNK : 2 * CHUNK].values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=other).update(status="sending", claimed_at=timezone.now())

    result = send_digest_batch.call(*args)

    assert result["sent"] == 15
    order = sending_order()
    assert received(smtp_server) == Counter(order[:10] + order[20:])
    assert statuses() == Counter({"sent": 15, "sending": 10})


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("ru", 1, "1 прерванная доставка (week) снова поставлена в очередь."),
        ("ru", 3, "3 прерванные доставки (week) снова поставлены в очередь."),
        ("ru", 11, "11 прерванных доставок (week) снова поставлены в очередь."),
        ("be", 21, "21 перапыненая дастаўка (week) зноў пастаўлена ў чаргу."),
        ("be", 5, "5 перапыненых дастаўак (week) зноў пастаўлены ў чаргу."),
    ],
)
def test_the_resend_messages_are_translated(language, count, expected):
    with translation.override(language):
        message = ngettext(
            "%(count)d interrupted delivery of %(send)s was queued again.",
            "%(count)d interrupted deliveries of %(send)s were queued again.",
            count,
        ) % {"count": count, "send": "week"}
        label = gettext("Resend interrupted deliveries")

    assert message == expected
    assert (
        label
        == {
            "ru": "Повторно отправить прерванные доставки",
            "be": "Паўторна адправіць перапыненыя дастаўкі",
        }[language]
    )
