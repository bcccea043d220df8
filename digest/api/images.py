"""Images as a frontend needs them: several widths in JPEG and WebP, with credit and focal point."""

from django.conf import settings

from core.openapi import nullable, ref
from digest.api.renditions import responsive
from digest.models import CreditedImage

PHOTO_WIDTHS = (480, 960, 1440)
THUMBNAIL_SIZE = (480, 270)


# The contract of image_representation() (digest.api.openapi's Image and ImageItem).
IMAGE_PROPERTIES = {
    "alt": {"type": "string"},
    "credit": {"type": "string"},
    "source_url": {"type": ["string", "null"]},
    "width": {"type": "integer"},
    "height": {"type": "integer"},
    "focal_point": nullable(ref("FocalPoint")),
    "renditions": {"type": "array", "items": ref("Rendition")},
    "responsive": ref("ResponsiveImage"),
}


def _format_specs(base: str) -> list[tuple[str, str]]:
    return [(base, "jpeg"), (f"{base}|format-webp", "webp")]


PHOTO_SPECS = [spec for width in PHOTO_WIDTHS for spec in _format_specs(f"width-{width}")]
THUMBNAIL_SPECS = _format_specs("fill-{}x{}".format(*THUMBNAIL_SIZE))
ALL_SPECS = [spec for spec, _format in PHOTO_SPECS + THUMBNAIL_SPECS]


def absolute_media_url(url: str) -> str:
    """Rendition URLs are relative to this CMS unless media lives on a CDN or S3."""
    if url.startswith(("http://", "https://")):
        return url
    return f"{settings.WAGTAILAPI_BASE_URL}{url}"


def prefetch_renditions(images) -> None:
    """Attach every rendition the API uses to `images`, in one query for all of them."""
    pending = [image for image in images if not hasattr(image, "prefetched_renditions")]
    if not pending:
        return
    renditions = CreditedImage.get_rendition_model().objects.filter(
        image__in=pending, filter_spec__in=ALL_SPECS
    )
    by_image = {}
    for rendition in renditions:
        by_image.setdefault(rendition.image_id, []).append(rendition)
    for image in pending:
        image.prefetched_renditions = by_image.get(image.id, [])


def _renditions(image: CreditedImage, specs: list[tuple[str, str]]) -> list[dict]:
    renditions = image.get_renditions(*(spec for spec, _format in specs))
    return [
        {
            "url": absolute_media_url(renditions[spec].url),
            "width": renditions[spec].width,
            "height": renditions[spec].height,
            "format": image_format,
        }
        for spec, image_format in specs
    ]


def focal_point(image: CreditedImage) -> dict | None:
    if not image.has_focal_point():
        return None
    return {
        "x": image.focal_point_x,
        "y": image.focal_point_y,
        "width": image.focal_point_width,
        "height": image.focal_point_height,
    }


def image_representation(image: CreditedImage, thumbnail: bool = False) -> dict:
    return {
        "id": image.id,
        "alt": image.default_alt_text,
        "credit": image.credit,
        "source_url": image.source_url or None,
        "width": image.width,
        "height": image.height,
        "focal_point": focal_point(image),
        "renditions": _renditions(image, THUMBNAIL_SPECS if thumbnail else PHOTO_SPECS),
        "responsive": responsive(image),
    }
