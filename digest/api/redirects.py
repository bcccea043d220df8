"""`/api/v2/redirects/find/?html_path=`: where an old frontend path should now send readers."""

from django.http import Http404
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.api.v2.utils import BadRequestError
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from core import redirects, visibility
from core.openapi import obj
from core.query import Param, Parameters
from digest.api import params


def old_path(request, name: str) -> str:
    value = params.get(request, name)
    if not value or not value.startswith("/"):
        raise BadRequestError(f"{name} must be a path starting with '/'")
    return value


class RedirectFindView(APIView):
    PARAMETERS = Parameters(
        Param("html_path", {"type": "string"}, "An old frontend path.", old_path, True)
    )
    schemas = {
        "RedirectTarget": obj(
            {
                "old_path": {"type": "string"},
                "is_permanent": {"type": "boolean"},
                "location": {"type": "string"},
            }
        ),
    }

    def get(self, request):
        html_path = self.PARAMETERS.parse(request)["html_path"]
        try:
            old_path = Redirect.normalise_path(html_path)
        except ValueError as exc:  # e.g. "//[::1/": an unclosed IPv6 host
            raise BadRequestError("html_path must be a path starting with '/'") from exc
        site = Site.find_for_request(request)
        redirect = (
            Redirect.get_for_site(site)
            .filter(old_path=old_path)
            .select_related("redirect_page", "redirect_page__locale")
            .order_by("site_id")
            .first()
        )
        if redirect is None:
            raise Http404("No redirect for this path.")
        location = redirects.location(redirect, visibility.for_request(request))
        if location is None:
            raise Http404("No redirect for this path.")
        return Response(
            {
                "old_path": redirect.old_path,
                "is_permanent": redirect.is_permanent,
                "location": location,
            }
        )
