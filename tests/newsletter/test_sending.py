"""Sending a week's digest over real SMTP: once per subscriber, in their language, retried and
never doubled."""

import datetime
import io
import re
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from digest.factories import ArticlePageFactory, ReportPageFactory
from digest.newsletter import sending
from digest.newsletter.models import Delivery, DigestSend, Subscriber
from digest.newsletter.sending import Pacer, plan_digest_send, send_digest_batch
from tests.newsletter.conftest import WEEK

pytestmark = pytest.mark.django_db


def send_week(week=WEEK):
    call_command("send_digest", "--week", week.isoformat(), stdout=io.StringIO())


def one_click_url(received) -> str:
    """The List-Unsubscribe URL (a long header is folded; readers unfold it)."""
    return str(received.message["List-Unsubscribe"]).strip().strip("<>")


def post_one_click(client, url):
    parts = urlsplit(url)
    return client.post(
        f"{parts.path}?{parts.query}",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )


def recipients(smtp_server) -> Counter:
    return Counter(item.to for item in smtp_server.received)


CONFIRMED = {f"{code}{n}@example.org" for code in ("en", "be", "ru") for n in (1, 2)}


def test_send_digest_delivers_the_week_once_to_every_confirmed_subscriber(
    smtp_server, published_week, subscribers
):
    send_week()

    assert recipients(smtp_server) == Counter(CONFIRMED)
    for send in DigestSend.objects.all():
        assert send.counts()["sent"] == 2
        assert send.finished_at is not None


@pytest.mark.parametrize(
    ("address", "subject", "title", "read_more"),
    [
        ("en1@example.org", "Situation in Belarus: September 11 – September 17, 2023",
         "Minsk courts its neighbours", "Read the analysis"),
        ("be1@example.org", "Сітуацыя ў Беларусі: 11–17 верасня 2023",
         "Мінск шукае сяброўства суседзяў", "Чытаць аналіз"),
        ("ru1@example.org", "Ситуация в Беларуси: 11–17 сентября 2023",
         "Минск ищет дружбы соседей", "Читать анализ"),
    ],
)  # fmt: skip
def test_each_subscriber_gets_the_digest_in_their_language(
    smtp_server, published_week, subscribers, address, subject, title, read_more
):
    send_week()

    [received] = smtp_server.to(address)
    assert received.subject == subject
    assert received.message["Content-Language"] == address[:2]
    for part in (received.html, received.text):
        assert title in part
        assert read_more in part
    assert received.message.get_content_type() == "multipart/alternative"


def test_a_digest_links_each_article_on_the_frontend(smtp_server, published_week, subscribers):
    send_week()

    [received] = smtp_server.to("ru1@example.org")
    links = set(re.findall(r'href="([^"]+)"', received.html))
    article_links = {link for link in links if "/2023-09-11/" in link}
    assert article_links == {
        "https://frontend.test/ru/situaciya-v-belarusi/2023-09-11/minsk-ishchet-druzhby-sosedei/",
        "https://frontend.test/ru/situaciya-v-belarusi/2023-09-11/"
        "vagner-ukhodit-iadernyi-vopros-ostaetsia/",
        "https://frontend.test/ru/situaciya-v-belarusi/2023-09-11/elita-smykaet-riady/",
    }
    assert all(link in received.text for link in article_links)


def test_the_belarusian_digest_marks_russian_text_where_belarusian_is_missing(
    smtp_server, published_week, subscribers
):
    send_week()

    [received] = smtp_server.to("be1@example.org")
    html = received.html
    assert "Вагнер уходит, ядерный вопрос остаётся" in html
    assert html.count("Па-руску") == 1
    assert "(Па-руску)" in received.text
    # Section labels stay Belarusian above the Russian text.
    assert "Пытанні бяспекі" in html
    assert "Wagner leaves" not in html


def test_trends_are_labelled_in_the_language_and_colour_coded(
    smtp_server, published_week, subscribers
):
    send_week()

    html = smtp_server.to("en1@example.org")[0].html
    trends = re.findall(
        r'<p class="trend trend-(\w+)" style="[^"]*color: (#[0-9a-f]{6});">\S+ ([^<]+)</p>', html
    )
    assert sorted(trends) == [
        ("improved", "#1a7f37", "The situation has gotten better"),
        ("unchanged", "#6e7781", "The situation has not changed"),
        ("worsened", "#cf222e", "The situation got worse"),
    ]
    assert "<style" not in html
    assert "Сітуацыя пагоршылася" in smtp_server.to("be1@example.org")[0].html


def test_every_digest_carries_a_personal_one_click_unsubscribe(
    client, smtp_server, published_week, subscribers
):
    send_week()

    received = smtp_server.to("be2@example.org")[0]
    url = one_click_url(received)
    assert received.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"https://cms\.test/api/v2/newsletter/unsubscribe/\?token=\S+", url)
    human_link = re.search(
        r"https://frontend\.test/newsletter/unsubscribe\?token=\S+", received.text
    )
    assert human_link
    assert human_link.group(0) in received.html
    assert len({one_click_url(item) for item in smtp_server.received}) == len(CONFIRMED)

    response = post_one_click(client, url)

    assert response.status_code == 200
    assert Subscriber.objects.get(email="be2@example.org").status == "unsubscribed"
    assert Subscriber.objects.get(email="be1@example.org").status == "confirmed"


def test_an_unsubscribed_reader_gets_no_later_week(
    client, smtp_server, published_week, subscribers
):
    send_week()
    post_one_click(client, one_click_url(smtp_server.to("en1@example.org")[0]))
    next_week = WEEK + datetime.timedelta(weeks=1)
    ArticlePageFactory(parent=ReportPageFactory(week_start=next_week))
    smtp_server.received.clear()

    send_week(next_week)

    assert recipients(smtp_server) == Counter(CONFIRMED - {"en1@example.org"})


def test_starting_the_send_twice_still_delivers_once(smtp_server, published_week, subscribers):
    send_week()
    send_week()

    assert recipients(smtp_server) == Counter(CONFIRMED)
    assert Delivery.objects.count() == len(CONFIRMED)


def test_a_new_confirmed_subscriber_gets_the_week_when_it_is_sent_again(
    smtp_server, published_week, subscribers
):
    send_week()
    Subscriber.objects.create(
        email="late@example.org", email_normalized="late@example.org", locale="ru",
        status=Subscriber.Status.CONFIRMED,
    )  # fmt: skip

    send_week()

    assert recipients(smtp_server) == Counter(CONFIRMED | {"late@example.org"})


def test_a_worker_dying_midway_never_causes_a_second_copy(
    smtp_server, published_week, subscribers, settings, monkeypatch
):
    """The worker dies right after the SMTP server accepted the first message of the first
    batch, before recording it."""
    settings.NEWSLETTER_BATCH_SIZE = 2
    real_hand_over = sending.hand_over
    killed = []

    def dies_after_first_message(connection, message):
        real_hand_over(connection, message)
        if not killed:
            killed.append(message.to[0])
            raise SystemExit("worker killed")

    monkeypatch.setattr(sending, "hand_over", dies_after_first_message)
    send_week()
    monkeypatch.undo()
    send_week()

    [in_doubt] = killed
    assert recipients(smtp_server) == Counter(CONFIRMED)
    assert Delivery.objects.get(subscriber__email=in_doubt).status == Delivery.Status.SENDING
    assert set(
        Delivery.objects.exclude(subscriber__email=in_doubt).values_list("status", flat=True)
    ) == {Delivery.Status.SENT}


def test_the_digest_is_rendered_once_per_language_not_per_subscriber(
    smtp_server, published_week, subscribers, monkeypatch
):
    renders = []
    real_render = sending.render_digest
    monkeypatch.setattr(
        sending,
        "render_digest",
        lambda digest: renders.append(digest.language) or real_render(digest),
    )

    send_week()
    send_week()

    assert sorted(renders) == ["be", "en", "ru"]
    assert len(smtp_server.received) == len(CONFIRMED)


def test_a_temporary_smtp_failure_is_retried_and_nobody_is_missed_or_doubled(
    smtp_server, published_week, subscribers
):
    smtp_server.fail_next = 2

    send_week()

    assert recipients(smtp_server) == Counter(CONFIRMED)
    assert not Delivery.objects.exclude(status=Delivery.Status.SENT).exists()


def test_a_refused_mailbox_fails_alone(smtp_server, published_week, subscribers):
    smtp_server.refuse.add("en1@example.org")

    send_week()

    assert recipients(smtp_server) == Counter(CONFIRMED - {"en1@example.org"})
    failed = Delivery.objects.get(status=Delivery.Status.FAILED)
    assert failed.subscriber.email == "en1@example.org"
    assert "550" in failed.last_error
    assert DigestSend.objects.get(locale="en").counts() | {"queued": 0} == {
        "queued": 0, "sending": 0, "sent": 1, "failed": 1, "skipped": 0,
    }  # fmt: skip


def test_when_smtp_stays_down_deliveries_fail_after_the_last_attempt(
    dead_smtp_server, published_week, subscribers, settings
):
    settings.NEWSLETTER_MAX_ATTEMPTS = 3

    send_week()

    deliveries = Delivery.objects.all()
    assert {d.status for d in deliveries} == {Delivery.Status.FAILED}
    assert {d.attempts for d in deliveries} == {3}
    assert "ConnectionRefusedError" in deliveries[0].last_error


def test_on_the_database_queue_retries_wait_longer_each_time(
    dead_smtp_server, database_queue, published_week, subscribers, settings
):
    settings.NEWSLETTER_RETRY_BACKOFF_SECONDS = 60
    send = DigestSend.objects.create(week_start=WEEK, locale="en")
    plan_digest_send.call(send.pk)
    [batch] = DBTaskResult.objects.filter(task_path__endswith="send_digest_batch")
    batch_args = batch.args_kwargs["args"]
    batch.delete()

    batches = DBTaskResult.objects.filter(task_path__endswith="send_digest_batch")
    send_digest_batch.call(*batch_args)
    first_retry = batches.get()
    send_digest_batch.call(*first_retry.args_kwargs["args"])
    second_retry = batches.exclude(pk=first_retry.pk).get()

    assert first_retry.args_kwargs["args"][2] == 2
    assert second_retry.args_kwargs["args"][2] == 3
    first_wait = first_retry.run_after - first_retry.enqueued_at
    second_wait = second_retry.run_after - second_retry.enqueued_at
    assert datetime.timedelta(seconds=59) < first_wait < datetime.timedelta(seconds=61)
    assert datetime.timedelta(seconds=119) < second_wait < datetime.timedelta(seconds=121)
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.QUEUED}


def test_someone_who_unsubscribes_after_the_send_was_planned_gets_nothing(
    smtp_server, database_queue, published_week, subscribers
):
    send = DigestSend.objects.create(week_start=WEEK, locale="ru")
    plan_digest_send.call(send.pk)
    Subscriber.objects.filter(email="ru1@example.org").update(status="unsubscribed")
    batch = DBTaskResult.objects.get(task_path__endswith="send_digest_batch")

    send_digest_batch.call(*batch.args_kwargs["args"])

    assert recipients(smtp_server) == Counter({"ru2@example.org": 1})
    assert Delivery.objects.get(subscriber__email="ru1@example.org").status == "skipped"


def test_only_a_published_week_can_be_sent(smtp_server, subscribers, published_week):
    published_week.unpublish()

    with pytest.raises(CommandError, match="No published English report"):
        send_week()
    assert smtp_server.received == []


def test_sending_is_paced_to_the_configured_rate():
    clock = {"now": 100.0}
    waits = []

    def sleep(seconds):
        waits.append(round(seconds, 3))
        clock["now"] += seconds

    pacer = Pacer(per_second=4, clock=lambda: clock["now"], sleep=sleep)
    for _ in range(3):
        pacer.wait()

    assert waits == [0.25, 0.25]


def test_without_a_rate_sending_never_waits():
    pacer = Pacer(per_second=0, clock=lambda: 0.0, sleep=lambda seconds: pytest.fail("slept"))
    for _ in range(3):
        pacer.wait()


def test_without_smtp_the_digest_still_goes_through_djangos_mail_backend(
    published_week, subscribers, mailoutbox
):
    """Development prints mail to the console; tests keep it in memory."""
    send_week()

    assert sorted(message.to[0] for message in mailoutbox) == sorted(CONFIRMED)
    raw = mailoutbox[0].message().as_bytes().decode()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw
