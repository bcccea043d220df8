"""Where a redirect may send a reader: one answer for the API's `redirects/find` and for the
CMS's own redirects (Wagtail's middleware, which would otherwise send a `Location:` with the
path of an unpublished, expired or restricted page)."""

from urllib.parse import urlparse

from django import http
from wagtail.contrib.redirects.middleware import RedirectMiddleware, get_redirect
from wagtail.contrib.redirects.models import Redirect

from core import visibility
from core.paths import frontend_path, frontend_url


def location(redirect: Redirect, visible: visibility.Visibility) -> str | None:
    """The redirect's target URL, or None while its target page is not visible."""
    if redirect.redirect_page_id:
        target = redirect.redirect_page
        if not visible.shows_page(target):
            return None
        return frontend_url(frontend_path(target.url_path, target.locale.language_code))
    return redirect.redirect_link or None


class VisibleRedirectMiddleware(RedirectMiddleware):
    """Wagtail's redirects, but only to what readers may see (else the 404 stands)."""

    def process_response(self, request, response):
        if response.status_code != 404:
            return response
        path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
        redirect = get_redirect(request, path)
        if redirect is None:
            without_query = urlparse(path).path
            if without_query != path:
                redirect = get_redirect(request, without_query)
        if redirect is None:
            return response
        target = location(redirect, visibility.for_request(request))
        if target is None:
            return response
        if redirect.is_permanent:
            return http.HttpResponsePermanentRedirect(target)
        return http.HttpResponseRedirect(target)
