"""What an editor sees when django-axes has locked a sign-in out: Wagtail's own sign-in page,
with a message saying why and for how long, answered with 429 Too Many Requests."""

import math

from axes.helpers import get_client_username, get_cool_off
from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.views.account import LoginView, get_user_login_form


def lockout_message(request) -> str:
    cool_off = get_cool_off(request)
    if cool_off is None:
        return _(
            "Too many failed sign-in attempts. Signing in to this account from your network is "
            "blocked until an administrator unlocks it."
        )
    minutes = max(1, math.ceil(cool_off.total_seconds() / 60))
    return ngettext(
        "Too many failed sign-in attempts. Signing in to this account from your network is "
        "blocked for %(minutes)d minute; please try again later.",
        "Too many failed sign-in attempts. Signing in to this account from your network is "
        "blocked for %(minutes)d minutes; please try again later.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE."""
    view = LoginView()
    view.setup(request)
    form = get_user_login_form()(
        request, initial={"username": get_client_username(request, credentials) or ""}
    )
    messages.error(request, lockout_message(request))
    context = view.get_context_data(form=form)
    return render(request, view.template_name, context, status=429)
