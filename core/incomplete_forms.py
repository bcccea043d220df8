"""A POST missing a field its form always sends is the client's error (400), not the server's.

Wagtail's StreamField and inline-panel forms read their management fields (`body-count`, …)
straight from the POST, so a hand-made or truncated submission raised `MultiValueDictKeyError`
and answered 500. Such a request gets Django's 400 page instead, naming the missing field.
"""

from django.core.exceptions import BadRequest
from django.core.handlers.exception import response_for_exception
from django.utils.datastructures import MultiValueDictKeyError
from django.utils.translation import gettext as _


class IncompleteFormMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method != "POST" or not isinstance(exception, MultiValueDictKeyError):
            return None
        field = exception.args[0] if exception.args else ""
        message = _("The form was sent incomplete (%(field)s is missing): reload it and try again.")
        return response_for_exception(request, BadRequest(message % {"field": field}))
