"""The admin resists password guessing, weak passwords and hostile image uploads."""

import datetime
import io
import struct
import zlib

import pytest
from axes.models import AccessAttempt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from digest.models import CreditedImage

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
CLIENT_ADDRESS = "203.0.113.5"
LOCKED_MESSAGE = (
    "Too many failed sign-in attempts. Signing in to this account from your network is "
    "blocked for 15 minutes; please try again later."
)


@pytest.fixture
def axes(settings):
    """django-axes as in production (the test settings switch it off for everyone else)."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = 0.25
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)


def sign_in(client, username, password, address=CLIENT_ADDRESS, **headers):
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        headers=headers,
    )


def signed_in(client) -> bool:
    return client.get(reverse("wagtailadmin_home")).status_code == 200


def fail(client, times, username="editor", address=CLIENT_ADDRESS, **headers):
    return [sign_in(client, username, "guess", address, **headers) for _ in range(times)]


def test_after_five_wrong_passwords_the_sign_in_page_says_the_account_is_locked(
    client, axes, editor
):
    *first_four, fifth = fail(client, 5)

    assert [response.status_code for response in first_four] == [200] * 4
    assert LOCKED_MESSAGE not in first_four[-1].content.decode()
    assert fifth.status_code == 429
    page = fifth.content.decode()
    assert LOCKED_MESSAGE in page
    assert 'class="login-form"' in page
    assert 'value="editor"' in page


def test_while_locked_out_even_the_right_password_is_refused(client, axes, editor):
    fail(client, 5)

    response = sign_in(client, "editor", PASSWORD)

    assert response.status_code == 429
    assert LOCKED_MESSAGE in response.content.decode()
    assert not signed_in(client)


def test_the_lockout_holds_one_username_at_one_address_only(
    client, axes, editor, django_user_model
):
    django_user_model.objects.create_superuser("chief", "chief@example.org", PASSWORD)
    fail(client, 5)

    assert sign_in(client, "chief", PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "editor", PASSWORD, address="198.51.100.20").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, axes, editor):
    fail(client, 5)
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )

    assert sign_in(client, "editor", PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_successful_sign_in_forgives_earlier_mistakes(client, axes, editor):
    fail(client, 4)
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    client.logout()

    fail(client, 4)

    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_behind_a_proxy_forged_forwarded_addresses_do_not_escape_the_lockout(
    client, axes, editor, settings
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for attempt in range(5):
        # The client writes the left part; our proxy appends the address it really came from.
        sign_in(
            client,
            "editor",
            "guess",
            address="10.0.0.2",
            x_forwarded_for=f"192.0.2.{attempt}, {CLIENT_ADDRESS}",
        )

    response = sign_in(
        client, "editor", PASSWORD, address="10.0.0.2", x_forwarded_for=CLIENT_ADDRESS
    )

    assert response.status_code == 429


# --- Passwords ---


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Minsk2023!", "This password is too short. It must contain at least 12 characters."),
        ("202309112023", "This password is entirely numeric."),
        ("qwerty123456", "This password is too common."),
        ("anna.kowalska.1", "The password is too similar to the username."),
    ],
)
def test_a_weak_password_is_refused_when_an_account_is_created(
    admin_client, django_user_model, password, reason
):
    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "anna.kowalska",
            "email": "anna@example.org",
            "first_name": "Anna",
            "last_name": "Kowalska",
            "password1": password,
            "password2": password,
        },
    )

    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not django_user_model.objects.filter(username="anna.kowalska").exists()


def test_a_long_passphrase_is_accepted(admin_client, django_user_model):
    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "anna.kowalska",
            "email": "anna@example.org",
            "first_name": "Anna",
            "last_name": "Kowalska",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302
    assert django_user_model.objects.get(username="anna.kowalska").check_password(PASSWORD)


# --- Image uploads ---


def png_declaring(width: int, height: int) -> bytes:
    """A few hundred bytes claiming a huge canvas: what a decompression bomb looks like."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    first_row = zlib.compress(b"\x00" * (1 + width // 8))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", first_row)
        + chunk(b"IEND", b"")
    )


def photo(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def upload(client, name: str, content: bytes):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Checkpoint",
            "file": SimpleUploadedFile(name, content, content_type="image/png"),
            "credit": "Photo: kremlin.ru",
        },
    )


@pytest.mark.parametrize(
    ("width", "height", "counted"),
    [
        (10_000, 10_000, "100000000"),
        # So large that Pillow itself refuses to count it.
        (20_000, 20_000, "unknown number"),
    ],
)
def test_a_decompression_bomb_is_refused_with_a_clear_message(admin_client, width, height, counted):
    bomb = png_declaring(width, height)
    assert len(bomb) < 1024

    response = upload(admin_client, "bomb.png", bomb)

    assert response.status_code == 200
    assert (
        f"This file has too many pixels ({counted}). Maximum pixels 50000000."
        in response.content.decode()
    )
    assert not CreditedImage.objects.exists()


def test_an_oversized_image_file_is_refused_with_a_clear_message(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100

    response = upload(admin_client, "photo.png", photo())

    assert response.status_code == 200
    assert "This file is too big" in response.content.decode()
    assert "Maximum filesize 100\xa0bytes." in response.content.decode()
    assert not CreditedImage.objects.exists()


def test_an_ordinary_photo_is_accepted(admin_client):
    response = upload(admin_client, "photo.png", photo())

    assert response.status_code == 302
    assert CreditedImage.objects.get().credit == "Photo: kremlin.ru"


def test_an_svg_with_a_script_is_refused(admin_client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

    response = upload(admin_client, "logo.svg", svg)

    assert response.status_code == 200
    assert "Not a supported image format." in response.content.decode()
    assert not CreditedImage.objects.exists()
