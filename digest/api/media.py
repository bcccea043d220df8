"""Images and documents endpoints: only what lives in public collections."""

from django.conf import settings
from django.http import Http404
from rest_framework.response import Response
from wagtail.api.v2.views import BaseAPIViewSet
from wagtail.documents import get_document_model

from core import visibility
from core.api_errors import JsonErrorsMixin
from core.api_json import CompactJSON
from core.openapi import obj
from core.query import Parameters
from digest.api import params
from digest.api.images import IMAGE_PROPERTIES, image_representation, prefetch_renditions
from digest.api.pagination import BoundedPagination
from digest.models import CreditedImage


class MediaEndpoint(CompactJSON, JsonErrorsMixin, BaseAPIViewSet):
    pagination_class = BoundedPagination

    def get_queryset(self):
        return visibility.for_request(self.request).media(self.model).order_by("id")

    def detail_url(self, pk) -> str:
        return f"{settings.WAGTAILAPI_BASE_URL}/api/v2/{self.endpoint}/{pk}/"

    def represent_all(self, items) -> list[dict]:
        return [self.represent(item) for item in items]

    LISTING = Parameters(params.LIMIT, params.OFFSET)
    DETAIL = Parameters()

    def listing_view(self, request):
        self.LISTING.parse(request)
        items = list(self.paginate_queryset(self.get_queryset()))
        return self.get_paginated_response(self.represent_all(items))

    def detail_view(self, request, pk):
        self.DETAIL.parse(request)
        item = self.get_queryset().filter(pk=pk).first()
        if item is None:
            raise Http404("Not found in any public collection.")
        return Response(self.represent_all([item])[0])

    def find_view(self, request):
        raise Http404("Not supported for this endpoint.")


class ImagesEndpoint(MediaEndpoint):
    model = CreditedImage
    endpoint = "images"
    schemas = {
        "ImageItem": obj(
            {
                "id": {"type": "integer"},
                "meta": obj(
                    {
                        "type": {"const": "digest.CreditedImage"},
                        "detail_url": {"type": "string", "format": "uri"},
                    }
                ),
                "title": {"type": "string"},
                **IMAGE_PROPERTIES,
            }
        ),
    }

    def represent_all(self, images) -> list[dict]:
        prefetch_renditions(images)
        return [
            {
                "id": image.id,
                "meta": {"type": "digest.CreditedImage", "detail_url": self.detail_url(image.id)},
                "title": image.title,
                **image_representation(image),
            }
            for image in images
        ]


class DocumentsEndpoint(MediaEndpoint):
    model = get_document_model()
    endpoint = "documents"
    schemas = {
        "Document": obj(
            {
                "id": {"type": "integer"},
                "meta": obj(
                    {
                        "type": {"type": "string"},
                        "detail_url": {"type": "string", "format": "uri"},
                        "download_url": {"type": "string", "format": "uri"},
                    }
                ),
                "title": {"type": "string"},
                "file_extension": {"type": "string"},
            }
        ),
    }

    def represent(self, document) -> dict:
        return {
            "id": document.id,
            "meta": {
                "type": f"{document._meta.app_label}.{type(document).__name__}",
                "detail_url": self.detail_url(document.id),
                "download_url": f"{settings.WAGTAILAPI_BASE_URL}{document.url}",
            },
            "title": document.title,
            "file_extension": document.file_extension,
        }
