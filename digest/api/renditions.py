"""Renditions by URL: a frontend picks a width, a format and maybe a crop from an allowed set.

Each image in the API carries a signed URL template, `…/api/v2/images/{id}/{signature}/
{size}.{format}` (size: `640`, or `640-16x9` for a crop), and a ready `srcset` per format. The
view answers only

- a size and format from the allowed set (settings: IMAGE_RENDITION_WIDTHS, _FORMATS, _CROPS),
  else 400 — so nobody can make the CMS render, and store, sizes of their own choosing;
- an image readers may see (core.visibility: a public collection), else 404 — the very answer
  a missing image gets, so a private image's existence does not show;
- a signature the CMS made for that image as it is now, else 403.

The signature is Wagtail's (wagtail.images.utils.generate_signature: an HMAC of the image id and
a "filter spec") over the image's file hash and focal point rather than one spec, with a key of
its own. One signature thus covers the whole allowed set, which is what lets a frontend build
any srcset from one template; and a new file or focal point makes new URLs, which is what lets a
rendition be cached for a year as immutable. Renditions are Wagtail's: made on first request,
stored in its rendition table and storage, and reused from then on.
"""

import hashlib
import re
from dataclasses import dataclass
from http import HTTPStatus

from django.conf import settings
from django.urls import reverse
from django.utils.cache import get_conditional_response, quote_etag
from wagtail.contrib.frontend_cache.utils import get_backends
from wagtail.images.models import SourceImageIOError
from wagtail.images.utils import generate_signature, verify_signature
from wagtail.images.views.serve import ServeView

from core import visibility
from core.api_errors import error_response
from core.openapi import PATH_ID, obj, operation
from digest.models import CreditedImage

# Formats a frontend may ask for → the Wagtail filter that makes them and their MIME type.
# `original` keeps the upload's format (so no `<source type>` can be given for it).
FORMATS = {
    "original": ("", None),
    "jpeg": ("|format-jpeg", "image/jpeg"),
    "webp": ("|format-webp", "image/webp"),
    "avif": ("|format-avif", "image/avif"),
}
URL_NAME = "image_rendition"
# One spelling per rendition (no `0640`, no `16x09`), so a CDN keeps one copy of each.
NAME = re.compile(
    r"(?P<width>[1-9][0-9]*)(?:-(?P<crop>[1-9][0-9]*x[1-9][0-9]*))?\.(?P<format>[a-z0-9]+)"
)
# A year: the URL changes whenever what it shows could (see the module's docstring).
CACHE_CONTROL = "public, max-age=31536000, immutable"


class InvalidRendition(ValueError):
    """A size or format outside the allowed set; the message says what is allowed."""


def widths() -> list[int]:
    return sorted(settings.IMAGE_RENDITION_WIDTHS)


def formats() -> list[str]:
    return list(settings.IMAGE_RENDITION_FORMATS)


def crops() -> list[str]:
    return list(settings.IMAGE_RENDITION_CROPS)


@dataclass(frozen=True)
class RenditionSpec:
    width: int
    crop: str | None
    format: str

    @classmethod
    def parse(cls, name: str) -> "RenditionSpec":
        match = NAME.fullmatch(name)
        if match is None:
            raise InvalidRendition(
                f"{name!r} is not a rendition: ask for {{width}}.{{format}} or "
                "{width}-{crop}.{format}, e.g. 640.webp or 640-16x9.jpeg."
            )
        width, crop, image_format = int(match["width"]), match["crop"], match["format"]
        if width not in widths():
            raise InvalidRendition(
                f"Width {width} is not offered; choose one of {', '.join(map(str, widths()))}."
            )
        if crop is not None and crop not in crops():
            raise InvalidRendition(
                f"Crop {crop} is not offered; choose one of {', '.join(crops())}."
            )
        if image_format not in formats():
            raise InvalidRendition(
                f"Format {image_format!r} is not offered; choose one of {', '.join(formats())}."
            )
        return cls(width, crop, image_format)

    @property
    def filter_spec(self) -> str:
        """Wagtail's filter: `width-640`, or `fill-640x360` for a crop (centred on the focal
        point), then the format. Wagtail never enlarges: a narrower image keeps its width."""
        if self.crop is None:
            size = f"width-{self.width}"
        else:
            across, down = (int(part) for part in self.crop.split("x"))
            size = f"fill-{self.width}x{round(self.width * down / across)}"
        return size + FORMATS[self.format][0]


# ---- signing ----------------------------------------------------------------------------------


def _key() -> str:
    # Not SECRET_KEY itself: a signature made here must never be one Wagtail's own serve view
    # (or anything else signing with SECRET_KEY) would accept, nor the reverse.
    return f"{settings.SECRET_KEY}:digest.api.renditions"


def _version(image: CreditedImage) -> str:
    """What the renditions show: the file and the focal point (crops centre on it)."""
    focal = (
        image.focal_point_x,
        image.focal_point_y,
        image.focal_point_width,
        image.focal_point_height,
    )
    return f"{image.file_hash or image.file.name}:{':'.join(map(str, focal))}"


def signature(image: CreditedImage) -> str:
    return generate_signature(image.id, _version(image), key=_key())


def is_signed(image: CreditedImage, candidate: str) -> bool:
    return verify_signature(candidate.encode(), image.id, _version(image), key=_key())


# ---- what the API shows -----------------------------------------------------------------------


def _signed_path(image: CreditedImage) -> str:
    """`/api/v2/images/<id>/<signature>/`: what every rendition URL of the image starts with."""
    return reverse(
        URL_NAME, kwargs={"image_id": image.id, "signature": signature(image), "name": "-"}
    ).removesuffix("-")


def url_template(image: CreditedImage) -> str:
    return f"{settings.WAGTAILAPI_BASE_URL}{_signed_path(image)}{{size}}.{{format}}"


def all_paths(image: CreditedImage) -> list[str]:
    """Every URL path of the allowed set for `image` as it is now: what a CDN may hold of it,
    to purge when the image changes or leaves the public collections."""
    sizes = [str(width) for width in widths()]
    sizes += [f"{size}-{crop}" for size in sizes for crop in crops()]
    base = _signed_path(image)
    return [f"{base}{size}.{image_format}" for size in sizes for image_format in formats()]


def cdn_paths(image: CreditedImage | None) -> list[str]:
    """all_paths() to purge, when a CDN is configured to purge them from (else none)."""
    return all_paths(image) if image is not None and get_backends() else []


def filled(template: str, size: int | str, image_format: str) -> str:
    return template.replace("{size}", str(size)).replace("{format}", image_format)


def srcset_widths(image: CreditedImage) -> list[tuple[int, int]]:
    """(width asked for, width served) for a srcset: every offered width below the image's, and
    the first at or above it, which serves the image at its own width (never enlarged)."""
    pairs = []
    for width in widths():
        pairs.append((width, min(width, image.width)))
        if width >= image.width:
            break
    return pairs


def responsive(image: CreditedImage) -> dict:
    template = url_template(image)
    pairs = srcset_widths(image)
    return {
        "url_template": template,
        "widths": [asked for asked, _served in pairs],
        "formats": formats(),
        "crops": crops(),
        "srcset": {
            image_format: ", ".join(
                filled(template, asked, image_format) + f" {served}w" for asked, served in pairs
            )
            for image_format in formats()
            if FORMATS[image_format][1] is not None
        },
    }


# ---- the view ---------------------------------------------------------------------------------


class RenditionView(ServeView):
    """Wagtail's serve view (its file response, CSP and nosniff headers), restricted to the
    allowed set, to images readers may see, and to this module's signatures."""

    model = CreditedImage

    def get(self, request, image_id: int, signature: str, name: str):
        try:
            spec = RenditionSpec.parse(name)
        except InvalidRendition as error:
            return error_response(HTTPStatus.BAD_REQUEST, str(error))
        image = visibility.for_request(request).media(self.model).filter(pk=image_id).first()
        if image is None:
            return error_response(HTTPStatus.NOT_FOUND, "Not found in any public collection.")
        if not is_signed(image, signature):
            return error_response(
                HTTPStatus.FORBIDDEN,
                "This rendition URL is not signed for this image (or the image has changed "
                "since): take the URL from the image's `responsive` field in the API.",
            )
        etag = quote_etag(
            hashlib.blake2b(f"{signature}/{name}".encode(), digest_size=16).hexdigest()
        )
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None and not_modified.status_code == HTTPStatus.NOT_MODIFIED:
            return self.cacheable(not_modified, etag)
        if not_modified is not None:
            return not_modified  # 412: a failed If-Match, no copy to keep
        try:
            rendition = image.get_rendition(spec.filter_spec)
        except SourceImageIOError:
            return error_response(HTTPStatus.NOT_FOUND, "The image's file is missing.")
        return self.cacheable(self.serve(rendition), etag)

    @staticmethod
    def cacheable(response, etag: str):
        response["ETag"] = etag
        response["Cache-Control"] = CACHE_CONTROL
        return response


# ---- the contract (digest.api.openapi) --------------------------------------------------------
# Written from the vocabulary, not from the settings, so the contract is the same for every
# deployment; the `responsive` field of each image says which widths, formats and crops this one
# offers.

SIZE = {
    "type": "string",
    "pattern": r"^[0-9]+(-[0-9]+x[0-9]+)?$",
    "description": "A width from `responsive.widths`, e.g. `640`; with a crop from "
    "`responsive.crops`, `640-16x9` (cut to that aspect ratio around the focal point).",
}
FORMAT = {
    "enum": list(FORMATS),
    "description": "One of `responsive.formats`; `original` keeps the upload's format.",
}
SCHEMAS = {
    "ResponsiveImage": obj(
        {
            "url_template": {
                "type": "string",
                "description": "A rendition's URL with `{size}` and `{format}` to fill in "
                "(RFC 6570 level 1); signed for this image as it is now. Cacheable for a year: "
                "a new file or focal point gives the image new URLs.",
                "examples": ["https://cms.example/api/v2/images/7/tU1…=/{size}.{format}"],
            },
            "widths": {
                "type": "array",
                "items": {"type": "integer"},
                "description": "The widths worth asking for: every offered width below the "
                "image's own, and the first at or above it (served at the image's width; "
                "images are never enlarged).",
            },
            "formats": {"type": "array", "items": FORMAT},
            "crops": {
                "type": "array",
                "items": {"type": "string", "pattern": r"^[0-9]+x[0-9]+$"},
                "description": "Aspect ratios a size may add, e.g. `16x9`.",
            },
            "srcset": {
                "type": "object",
                "properties": {
                    name: {"type": "string"} for name, (_, mime) in FORMATS.items() if mime
                },
                "additionalProperties": False,
                "description": "For `<picture><source type=…>`: a ready `srcset` (URL and "
                "`w` descriptor of the width served) per offered format with a MIME type.",
            },
        }
    ),
}


def openapi_paths() -> dict:
    text = {"type": "string"}
    parameters = [
        PATH_ID,
        {"name": "signature", "in": "path", "required": True, "schema": text},
        {"name": "size", "in": "path", "required": True, "schema": SIZE},
        {"name": "format", "in": "path", "required": True, "schema": FORMAT},
    ]
    result = operation(
        "A rendition of an image: a URL from its `responsive` field",
        parameters,
        {"type": "string", "contentMediaType": "image/*"},
        400,
        403,
        404,
        content_type="image/*",
        operationId="getImageRendition",
    )
    ok = result["get"]["responses"]["200"]
    ok["headers"] = {
        **{name: spec for name, spec in ok["headers"].items() if name != "Last-Modified"},
        "Cache-Control": {
            "description": f"`{CACHE_CONTROL}`: the URL changes whenever the image does.",
            "required": True,
            "schema": text,
        },
    }
    ok["content"] = {
        mime or "image/*": {"schema": {"type": "string", "contentMediaType": mime or "image/*"}}
        for mime in dict.fromkeys(mime for _, mime in FORMATS.values())
    }
    return {"/api/v2/images/{id}/{signature}/{size}.{format}": result}
