"""Wagtail's limit/offset pagination, with bounds a database can represent."""

from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError

from digest.api.params import MAX_OFFSET


class BoundedPagination(WagtailPagination):
    def paginate_queryset(self, queryset, request, view=None):
        # An offset beyond any archive would overflow PostgreSQL's integer: refuse it plainly.
        offset = request.GET.get("offset", "0")
        if offset.isascii() and offset.isdigit() and int(offset) > MAX_OFFSET:
            raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")
        return super().paginate_queryset(queryset, request, view)
