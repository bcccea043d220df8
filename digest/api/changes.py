"""`/api/v2/changes/?since=<cursor>`: what readers could see change since a cursor, for
frontends that build static files incrementally (recorded by core.changes).

Without `since` the answer is the current position and no entries: a first build asks for it
*before* it builds everything from the pages API, then follows the feed from that cursor (the
entries in between, if any, are replayed: rebuilding a page twice is harmless).
"""

import re
from http import HTTPStatus
from urllib.parse import urlencode

from django.conf import settings
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.api.v2.utils import BadRequestError

from core import changes, revalidation, visibility
from core.api_errors import error_response
from core.languages import LANGUAGES
from core.openapi import LOCALE, obj, ref
from core.query import Param, Parameters
from digest.api import params

CURSOR = re.compile(r"[0-9]{1,18}")
CURSOR_SCHEMA = {"type": "string", "pattern": "^[0-9]{1,18}$"}
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
FULL_REBUILD = "full_rebuild"
PATH = {"type": ["string", "null"], "description": "Frontend path; null: no version there."}


def cursor(request, name: str) -> int | None:
    value = params.get(request, name)
    if value is None:
        return None
    if not CURSOR.fullmatch(value):
        raise BadRequestError(
            f"{name} must be a cursor from an earlier answer's meta.cursor (digits), "
            "or 0 for the oldest change kept"
        )
    return int(value)


def limit(request, name: str) -> int:
    value = params.get(request, name)
    if value is None:
        return DEFAULT_LIMIT
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise BadRequestError(f"{name} must be an integer from 1 to {MAX_LIMIT}")
    return int(value)


class ChangesView(APIView):
    PARAMETERS = Parameters(
        Param(
            "since",
            CURSOR_SCHEMA,
            "The `meta.cursor` of your last answer: the changes after it. Without it: the "
            "current position and no entries (a first build asks for it before it builds "
            "everything). `0`: every change kept.",
            read=cursor,
        ),
        Param(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            f"Entries per answer (default {DEFAULT_LIMIT}); `meta.has_more` says whether "
            "more follow `meta.cursor`.",
            read=limit,
        ),
    )
    schemas = {
        "PageChange": obj(
            {
                "cursor": CURSOR_SCHEMA,
                "page_id": {"type": "integer"},
                "page_type": {"type": "string", "examples": ["digest.ArticlePage"]},
                "locale": {**LOCALE, "description": "The changed page's language."},
                "action": {
                    "enum": list(changes.Action.values),
                    "description": "What readers saw: `created` (now visible), `updated` (its "
                    "content, paths or what it shows changed), `unpublished` (unpublished, "
                    "restricted, expired: gone for readers) or `deleted`.",
                },
                "paths": obj(
                    dict.fromkeys(LANGUAGES, PATH),
                    description="Where each edition's readers find this page's translation "
                    "group after the change (BE/RU: the borrowed version at its /be/… path): "
                    "rebuild these, and the pages listing them (each path's prefixes).",
                ),
                "removed_paths": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Paths readers could see before and cannot now: delete them.",
                },
                "occurred_at": {"type": "string", "format": "date-time"},
            },
            description="One page's change as readers saw it: ids, paths, an action — never "
            "content.",
        ),
        "ChangesMeta": obj(
            {
                "since": {**CURSOR_SCHEMA, "type": ["string", "null"]},
                "cursor": {
                    **CURSOR_SCHEMA,
                    "description": "Ask `since=` this next: the last entry's cursor, or the "
                    "position when there were none.",
                },
                "has_more": {"type": "boolean"},
                "next": {"type": "string", "format": "uri"},
            }
        ),
        "Changes": obj(
            {
                "meta": ref("ChangesMeta"),
                "items": {"type": "array", "items": ref("PageChange")},
            }
        ),
    }

    def get(self, request):
        values = self.PARAMETERS.parse(request)
        since, count = values["since"], values["limit"]
        # Expiry is a matter of time, not of a change: noticed here, as soon as it is due.
        revalidation.report_expiries()
        window = changes.window()
        if since is None:
            return self.answer(None, window.latest, [], False, count)
        if since < window.oldest:
            return gone(
                f"Changes up to cursor {window.oldest} are no longer kept "
                f"({settings.CHANGE_FEED_RETENTION_DAYS} days)"
            )
        if since > window.latest:
            return gone("This cursor is ahead of the feed (another or a restored database)")
        site_id = visibility.for_request(request).site_id
        entries, has_more = changes.since(site_id, since, count)
        position = entries[-1].id if entries else since
        if not has_more:
            # Past the other sites' entries too, so the next poll starts at the feed's end.
            position = max(position, window.latest)
        return self.answer(since, position, entries, has_more, count)

    def answer(self, since, position, entries, has_more, count):
        query = {"since": position, **({"limit": count} if count != DEFAULT_LIMIT else {})}
        return Response(
            {
                "meta": {
                    "since": None if since is None else str(since),
                    "cursor": str(position),
                    "has_more": has_more,
                    "next": f"{settings.WAGTAILAPI_BASE_URL}/api/v2/changes/?{urlencode(query)}",
                },
                "items": [represent(entry) for entry in entries],
            }
        )


def represent(entry) -> dict:
    return {
        "cursor": str(entry.id),
        "page_id": entry.page_id,
        "page_type": entry.page_type,
        "locale": entry.locale,
        "action": entry.action,
        "paths": entry.paths,
        "removed_paths": entry.removed_paths,
        "occurred_at": entry.occurred_at.isoformat(),
    }


def gone(message: str):
    return error_response(
        HTTPStatus.GONE, f"{message}: rebuild in full, then follow the feed", code=FULL_REBUILD
    )
