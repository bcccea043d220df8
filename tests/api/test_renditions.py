"""Renditions by URL: a frontend asks for a width, a format and maybe a crop from the allowed set,
by a URL the API signed for that image; nothing else is rendered, and a private image answers
exactly as a missing one does."""

import io
import json

import pytest
from django.conf import settings
from django.test import override_settings
from PIL import Image as PillowImage
from wagtail.images.utils import generate_signature
from wagtail.models import Collection, CollectionViewRestriction

from digest.api.renditions import url_template
from digest.factories import CreditedImageFactory
from digest.models import CreditedImage
from tests.api.contract import assert_matches_contract
from tests.home.test_settings import settings_value

PILLOW_FORMATS = {"jpeg": "JPEG", "webp": "WEBP", "avif": "AVIF", "original": "JPEG"}
MIME_TYPES = {"jpeg": "image/jpeg", "webp": "image/webp", "avif": "image/avif"}
CMS = "https://cms.example"


@pytest.fixture
def photo(db):
    """A public JPEG wider than every offered width."""
    return CreditedImageFactory(file__width=2400, file__height=1200, file__color="teal")


@pytest.fixture
def private_photo(db):
    embargoed = Collection.get_first_root_node().add_child(name="Embargoed")
    CollectionViewRestriction.objects.create(
        collection=embargoed, restriction_type=CollectionViewRestriction.LOGIN
    )
    return CreditedImageFactory(
        collection=embargoed, file__width=2400, file__height=1600, file__filename="secret.jpg"
    )


def rendition_url(image, size, image_format) -> str:
    """The path of a rendition as the API's template gives it (relative to the CMS)."""
    template = url_template(image).removeprefix(settings.WAGTAILAPI_BASE_URL)
    return template.format(size=size, format=image_format)


def get(client, url, **headers):
    response = client.get(url, headers=headers)
    assert_matches_contract(response)
    return response


def decoded(response) -> PillowImage.Image:
    image = PillowImage.open(io.BytesIO(b"".join(response.streaming_content)))
    image.load()
    return image


def error(response) -> str:
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["status"] == response.status_code
    return body["message"]


@pytest.mark.parametrize("image_format", settings.IMAGE_RENDITION_FORMATS)
@pytest.mark.parametrize("width", settings.IMAGE_RENDITION_WIDTHS)
def test_each_offered_width_and_format_serves_an_image_of_that_width_and_format(
    client, photo, width, image_format
):
    response = get(client, rendition_url(photo, width, image_format))

    assert response.status_code == 200
    served = decoded(response)
    assert served.format == PILLOW_FORMATS[image_format]
    assert served.size == (width, width // 2)
    assert response["Content-Type"] == MIME_TYPES.get(image_format, "image/jpeg")


def test_avif_is_offered_where_pillow_can_write_it():
    from PIL import features

    assert ("avif" in settings.IMAGE_RENDITION_FORMATS) == features.check("avif")


@pytest.mark.parametrize(("crop", "height"), [("16x9", 360), ("4x3", 480), ("1x1", 640)])
def test_a_crop_cuts_the_offered_aspect_ratio(client, photo, crop, height):
    response = get(client, rendition_url(photo, f"640-{crop}", "webp"))

    assert response.status_code == 200
    assert decoded(response).size == (640, height)


def test_a_rendition_is_cached_for_a_year_as_immutable_and_validates_with_its_etag(client, photo):
    url = rendition_url(photo, 640, "webp")
    first = get(client, url)
    assert first["Cache-Control"] == "public, max-age=31536000, immutable"
    assert first["X-Content-Type-Options"] == "nosniff"
    # One copy for every reader: not one per Accept-Language (the locale middleware's Vary).
    assert first["Vary"] == "Origin"
    assert not first.has_header("Content-Language")

    again = get(client, url, if_none_match=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]


def test_a_second_request_reuses_the_stored_rendition(client, photo, django_assert_max_num_queries):
    slowest = "avif" if "avif" in settings.IMAGE_RENDITION_FORMATS else "webp"
    url = rendition_url(photo, 960, slowest)
    first = get(client, url)
    assert first.status_code == 200
    stored = list(photo.renditions.values_list("id", "file"))
    assert len(stored) == 1

    # The image itself; the rendition comes from Wagtail's rendition cache, nothing is rendered.
    with django_assert_max_num_queries(1):
        second = get(client, url)

    assert second.status_code == 200
    assert b"".join(second.streaming_content) == b"".join(get(client, url).streaming_content)
    assert list(photo.renditions.values_list("id", "file")) == stored


def test_a_rendition_of_an_image_narrower_than_the_width_keeps_the_image_width(client, db):
    narrow = CreditedImageFactory(file__width=1000, file__height=500)

    response = get(client, rendition_url(narrow, 1920, "jpeg"))

    assert response.status_code == 200
    assert decoded(response).size == (1000, 500)


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("500.webp", "Width 500 is not offered; choose one of 320, 640, 960, 1280, 1920."),
        ("640.gif", "Format 'gif' is not offered"),
        ("640-3x1.webp", "Crop 3x1 is not offered; choose one of 16x9, 4x3, 1x1."),
        ("width-640|format-webp", "is not a rendition: ask for {width}.{format}"),
        ("640", "is not a rendition"),
        ("0640.webp", "is not a rendition"),
        ("640-16x09.webp", "is not a rendition"),
    ],
)
def test_a_size_or_format_outside_the_allowed_set_is_a_400_that_says_what_is_allowed(
    client, photo, name, says
):
    template = url_template(photo).removeprefix(settings.WAGTAILAPI_BASE_URL)
    # A name without a dot is no `{size}.{format}` of the contract, but still a JSON 400.
    response = client.get(template.replace("{size}.{format}", name))
    if "." in name:
        assert_matches_contract(response)

    assert response.status_code == 400
    assert says in error(response)
    assert photo.renditions.count() == 0


def test_a_forged_or_tampered_signature_is_a_403_and_renders_nothing(client, photo, db):
    other = CreditedImageFactory()
    good = rendition_url(photo, 640, "webp")
    signature = good.split("/")[-2]
    tampered = ("B" if signature[0] != "B" else "C") + signature[1:]
    # Wagtail's own signed serve URLs use another key: they are no key to these.
    wagtails = generate_signature(photo.id, "width-640|format-webp")
    forged = [
        good.replace(signature, tampered),
        good.replace(signature, wagtails),
        good.replace(signature, "nonsense"),
        # Another image's signature on this image.
        good.replace(signature, rendition_url(other, 640, "webp").split("/")[-2]),
    ]

    for url in forged:
        response = get(client, url)
        assert response.status_code == 403, url
        assert "not signed for this image" in error(response)
    assert photo.renditions.count() == 0


def test_a_new_focal_point_makes_new_urls_and_retires_the_old_ones(client, photo):
    old = rendition_url(photo, 640, "webp")
    CreditedImage.objects.filter(pk=photo.pk).update(
        focal_point_x=100, focal_point_y=100, focal_point_width=50, focal_point_height=50
    )
    photo.refresh_from_db()

    new = rendition_url(photo, 640, "webp")

    assert new != old
    assert get(client, new).status_code == 200
    assert get(client, old).status_code == 403


def test_an_image_in_a_private_collection_answers_as_a_missing_one(client, private_photo):
    signed = rendition_url(private_photo, 640, "webp")
    missing = signed.replace(f"/images/{private_photo.id}/", "/images/999999/")

    hidden, absent = get(client, signed), get(client, missing)

    assert hidden.status_code == absent.status_code == 404
    assert hidden.content == absent.content
    assert dict(hidden.headers) == dict(absent.headers)
    assert b"secret" not in hidden.content
    assert private_photo.renditions.count() == 0


@override_settings(WAGTAILAPI_BASE_URL=CMS)
def test_the_api_gives_each_image_a_signed_url_template_and_srcsets(client, photo):
    response = get(client, f"/api/v2/images/{photo.id}/")

    responsive = response.json()["responsive"]
    template = responsive["url_template"]
    assert template == f"{CMS}{rendition_url(photo, '{size}', '{format}')}"
    assert template.startswith(f"{CMS}/api/v2/images/{photo.id}/")
    assert responsive["widths"] == settings.IMAGE_RENDITION_WIDTHS
    assert responsive["formats"] == settings.IMAGE_RENDITION_FORMATS
    assert responsive["crops"] == settings.IMAGE_RENDITION_CROPS
    assert set(responsive["srcset"]) == set(settings.IMAGE_RENDITION_FORMATS) - {"original"}
    webp = [candidate.split(" ") for candidate in responsive["srcset"]["webp"].split(", ")]
    assert webp == [
        [template.format(size=width, format="webp"), f"{width}w"]
        for width in settings.IMAGE_RENDITION_WIDTHS
    ]
    # Every srcset URL is one the view serves.
    url, _descriptor = webp[1]
    served = get(client, url.removeprefix(CMS))
    assert served.status_code == 200
    assert decoded(served).width == 640


def test_a_srcset_stops_at_the_image_width_and_describes_what_is_served(client, db):
    narrow = CreditedImageFactory(file__width=1000, file__height=500)

    responsive = get(client, f"/api/v2/images/{narrow.id}/").json()["responsive"]

    assert responsive["widths"] == [320, 640, 960, 1280]
    candidates = responsive["srcset"]["jpeg"].split(", ")
    descriptors = [candidate.split(" ")[1] for candidate in candidates]
    assert descriptors == ["320w", "640w", "960w", "1000w"]


def test_renditions_are_read_only(client, photo):
    response = client.post(rendition_url(photo, 640, "webp"))

    assert response.status_code == 405
    assert error(response)


def test_the_allowed_set_comes_from_the_environment():
    result = settings_value(
        "dev",
        "settings.IMAGE_RENDITION_WIDTHS, settings.IMAGE_RENDITION_FORMATS, "
        "settings.IMAGE_RENDITION_CROPS",
        IMAGE_RENDITION_WIDTHS="400,800",
        IMAGE_RENDITION_FORMATS="webp",
        IMAGE_RENDITION_CROPS="3x2",
    )

    assert result.returncode == 0, result.stderr
    assert eval(result.stdout) == ([400, 800], ["webp"], ["3x2"])  # noqa: S307 - our settings


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("IMAGE_RENDITION_FORMATS", "webp,gif", "['gif'] unknown or not supported by this Pillow"),
        ("IMAGE_RENDITION_WIDTHS", "640,wide", "must be comma-separated integers"),
        ("IMAGE_RENDITION_WIDTHS", "640,99999", "widths from 1 to 4000 pixels"),
        ("IMAGE_RENDITION_CROPS", "16:9", "aspect ratios such as 16x9"),
    ],
)
def test_an_allowed_set_that_cannot_be_served_refuses_to_start(variable, value, says):
    result = settings_value("dev", "1", **{variable: value})

    assert result.returncode != 0
    assert says in result.stderr
