"""Where a page lives on the public frontend: its path and full URL.

English paths are unprefixed; other locales are prefixed with their language code, as
Django's i18n_patterns(prefix_default_language=False) does for the routes in cms/urls.py.
Computed from `url_path` and Wagtail's cached site root paths, so no query per page.
"""

import threading

from django.conf import settings
from django.core.signals import request_started
from wagtail.models import Site

# Wagtail keeps the site root paths in the cache; a listing asks for dozens of paths, so each
# thread keeps its copy for the duration of one request (and forgets it when sites change).
_memo = threading.local()


def site_root_paths():
    roots = getattr(_memo, "roots", None)
    if roots is None:
        roots = _memo.roots = Site.get_site_root_paths()
    return roots


def forget_site_roots(**kwargs) -> None:
    _memo.roots = None


request_started.connect(forget_site_roots, dispatch_uid="home.paths.forget_site_roots")


def language_prefix(language_code: str) -> str:
    return "" if language_code == settings.LANGUAGE_CODE else f"/{language_code}"


def locate(url_path: str, language_code: str) -> tuple[int, str] | None:
    """(site id, frontend path) of a page, or None when it is outside every site."""
    for root in site_root_paths():
        if root.language_code == language_code and url_path.startswith(root.root_path):
            relative = url_path[len(root.root_path) :]
            return root.site_id, f"{language_prefix(language_code)}/{relative}"
    return None


def frontend_path(url_path: str, language_code: str) -> str | None:
    located = locate(url_path, language_code)
    return located[1] if located else None


def frontend_url(path: str | None) -> str | None:
    return f"{settings.FRONTEND_BASE_URL}{path}" if path is not None else None


def split_language(path: str) -> tuple[str, str]:
    """('be', '/situacyja-u-bielarusi/') for '/be/situacyja-u-bielarusi/'; English is unprefixed."""
    parts = path.split("/", 2)
    languages = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
    if len(parts) > 1 and parts[1] in languages and parts[1] != settings.LANGUAGE_CODE:
        return parts[1], "/" + (parts[2] if len(parts) > 2 else "")
    return settings.LANGUAGE_CODE, path
