"""The newsletter in the Wagtail admin: sending a week, the send log, subscribers, dashboard."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from digest.newsletter.models import DigestSend, Subscriber
from tests.newsletter.conftest import WEEK

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(admin_user, client):
    admin_user.email = "editor@example.org"
    admin_user.save()
    client.force_login(admin_user)
    return admin_user


def test_a_published_week_offers_send_digest_in_its_header(client, editor, published_week):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[published_week.pk]))

    assert reverse("newsletter_admin:send", args=[published_week.pk]) in response.content.decode()


def test_an_unpublished_week_does_not_offer_it(client, editor, published_week):
    published_week.unpublish()

    response = client.get(reverse("wagtailadmin_pages:edit", args=[published_week.pk]))

    assert reverse("newsletter_admin:send", args=[published_week.pk]) not in (
        response.content.decode()
    )


def test_the_send_page_previews_every_language(client, editor, published_week, subscribers):
    page = client.get(reverse("newsletter_admin:send", args=[published_week.pk]))
    previews = {
        code: client.get(reverse("newsletter_admin:preview", args=[published_week.pk, code]))
        for code in ("en", "be", "ru")
    }

    assert page.status_code == 200
    for code in previews:
        assert reverse("newsletter_admin:preview", args=[published_week.pk, code]) in (
            page.content.decode()
        )
    assert "Minsk courts its neighbours" in previews["en"].content.decode()
    assert "Мінск шукае сяброўства суседзяў" in previews["be"].content.decode()
    assert "Минск ищет дружбы соседей" in previews["ru"].content.decode()
    assert previews["ru"]["X-Frame-Options"] == "SAMEORIGIN"


def test_an_editor_can_send_a_test_copy_to_themselves(
    client, editor, published_week, subscribers, smtp_server
):
    response = client.post(
        reverse("newsletter_admin:send", args=[published_week.pk]), {"locale": "be"}
    )

    assert response.status_code == 302
    [received] = smtp_server.received
    assert received.to == "editor@example.org"
    assert received.subject.startswith("[TEST] Сітуацыя ў Беларусі")
    assert not DigestSend.objects.exists()


def test_sending_asks_for_confirmation_then_sends_and_shows_progress(
    client, editor, published_week, subscribers, smtp_server
):
    confirm_url = reverse("newsletter_admin:confirm", args=[published_week.pk])
    question = client.get(confirm_url)
    response = client.post(confirm_url, follow=True)

    assert "to 6 confirmed subscribers" in question.content.decode()
    assert smtp_server.received
    assert len(smtp_server.received) == 6
    log = response.content.decode()
    assert response.status_code == 200
    assert "2 / 2 (100 %)" in log
    assert set(DigestSend.objects.values_list("locale", flat=True)) == {"en", "be", "ru"}
    assert DigestSend.objects.get(locale="be").started_by == editor


def test_the_send_log_can_be_inspected_but_not_edited(client, editor, published_week):
    send = DigestSend.objects.create(week_start=WEEK, locale="en")

    inspect = client.get(reverse("newsletter_digestsend:inspect", args=[send.pk]))
    edit = client.get(reverse("newsletter_digestsend:edit", args=[send.pk]))

    assert inspect.status_code == 200
    assert edit.status_code in (302, 403)


def test_only_people_allowed_to_send_can_reach_the_send_page(
    client, django_user_model, published_week
):
    moderator = django_user_model.objects.create_user("mod", "mod@example.org", "x" * 12)
    moderator.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(moderator)
    url = reverse("newsletter_admin:send", args=[published_week.pk])

    refused = client.get(url)
    group = Group.objects.create(name="Newsletter senders")
    group.permissions.add(Permission.objects.get(codename="send_digest"))
    moderator.groups.add(group)
    allowed = client.get(url)

    assert refused.status_code in (302, 403)
    assert allowed.status_code == 200


def test_subscribers_can_be_filtered_searched_and_exported(client, editor, subscribers):
    index = reverse("newsletter_subscriber:index")

    by_locale = client.get(index, {"locale": "be", "status": "confirmed"}).content.decode()
    searched = client.get(index, {"q": "ru2@"}).content.decode()
    exported = client.get(index, {"export": "csv"})

    assert "be1@example.org" in by_locale
    assert "en1@example.org" not in by_locale
    assert "ru2@example.org" in searched
    assert "ru1@example.org" not in searched
    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert {row["E-mail address"] for row in rows} == {
        subscriber.email for subscriber in subscribers.values()
    }


def test_nobody_adds_subscribers_in_the_admin(client, editor):
    index = client.get(reverse("newsletter_subscriber:index")).content.decode()
    add = client.get(reverse("newsletter_subscriber:add"))

    assert reverse("newsletter_subscriber:add") not in index
    assert add.status_code in (302, 403)
    assert not Subscriber.objects.exists()


def test_the_dashboard_counts_confirmed_subscribers_per_language(client, editor, subscribers):
    Subscriber.objects.create(
        email="ru3@example.org", email_normalized="ru3@example.org", locale="ru",
        status=Subscriber.Status.CONFIRMED,
    )  # fmt: skip

    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "7 confirmed subscribers" in dashboard
    assert "English 2 · Belarusian (BE/RU) 2 · Russian 3" in dashboard
