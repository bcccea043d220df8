"""Readers of the API's query parameters, and the parameters many endpoints share.

Each endpoint declares its parameters once (core.query.Parameters) with these readers; a reader
turns the raw value into a Python value or refuses it with a clear 400.
"""

import datetime
import functools
import re

from wagtail.api.v2.utils import BadRequestError, parse_fields_parameter

from core.languages import LANGUAGES
from core.query import Param
from core.query import raw as get
from digest.models import ArticlePage, Topic
from digest.trends import Trend
from digest.weeks import monday_of


def locale(request, name: str = "locale", required: bool = False) -> str | None:
    value = get(request, name)
    if value is None:
        if required:
            raise BadRequestError(f"locale is required: one of {', '.join(LANGUAGES)}")
        return None
    # An empty value is no language either: refused like any other (the schema's enum has none).
    if value not in LANGUAGES:
        raise BadRequestError(f"unknown locale '{value}': use one of {', '.join(LANGUAGES)}")
    return value


def boolean(request, name: str) -> bool:
    return bool(optional_boolean(request, name))


def optional_boolean(request, name: str) -> bool | None:
    """True or false when given, None when absent (the caller's default applies)."""
    value = get(request, name)
    if value is None:
        return None
    lowered = value.lower()
    if lowered in {"true", "1", "yes"}:
        return True
    if lowered in {"false", "0", "no", ""}:
        return False
    raise BadRequestError(f"{name} must be true or false")


def date(request, name: str) -> datetime.date | None:
    value = get(request, name)
    if value is None or value == "":
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise BadRequestError(f"{name} must be a date in YYYY-MM-DD format") from exc


def week_of(request, name: str = "week") -> datetime.date | None:
    """The Monday of the week containing the date given."""
    day = date(request, name)
    return monday_of(day) if day else None


def trend(request, name: str = "trend") -> str | None:
    value = get(request, name)
    if value is None:
        return None
    if value not in Trend.values:
        raise BadRequestError(f"unknown trend '{value}': use one of {', '.join(Trend.values)}")
    return value


def positive_int(request, name: str) -> int | None:
    value = get(request, name)
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError as exc:
        raise BadRequestError(f"{name} must be a positive integer") from exc
    if number < 1 or number > 2**31:
        raise BadRequestError(f"{name} must be a positive integer")
    return number


def fields(request, available, defaults, listing_excludes=frozenset()) -> set[str]:
    """Listing fields: the type's defaults plus `fields=a,b` (or `fields=*` for all of them).

    Fields can be added, not removed, so every response has the shape the contract promises.
    `listing_excludes` are fields only shown on a single page (detail, find, preview).
    """
    raw = get(request, "fields")
    chosen = set(defaults)
    if not raw:
        return chosen
    try:
        config = parse_fields_parameter(raw)
    except ValueError as exc:
        raise BadRequestError(f"fields error: {exc}") from exc
    names = [name for name, _negated, _sub in config]
    if any(negated or sub for _name, negated, sub in config) or "_" in names:
        raise BadRequestError(
            "fields can only add to the defaults: use fields=* or a comma-separated list of names"
        )
    if names[:1] == ["*"]:
        chosen = set(available) - set(listing_excludes)
        names = names[1:]
    single_page_only = sorted(set(names) & set(listing_excludes))
    if single_page_only:
        raise BadRequestError(
            f"only available on a single page (detail or find): {', '.join(single_page_only)}"
        )
    unknown = sorted(set(names) - set(available))
    if unknown:
        raise BadRequestError(f"unknown fields: {', '.join(unknown)}")
    return chosen | set(names)


def required_text(message: str):
    """A reader of a text that must be given, refusing its absence with `message`."""

    def read(request, name: str) -> str:
        value = get(request, name)
        if not value:
            raise BadRequestError(message)
        return value

    return read


# ---- parameters many endpoints share ------------------------------------------------------------

LOCALE_SCHEMA = {"type": "string", "enum": list(LANGUAGES)}
LIMIT = Param(
    "limit", {"type": "integer", "minimum": 0, "maximum": 100}, "Items per page (default 20)."
)
# Beyond any archive, and within what every database's integers hold.
MAX_OFFSET = 1_000_000
OFFSET = Param("offset", {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET}, "Items to skip.")
LOCALE = Param("locale", LOCALE_SCHEMA, "Only items in this language.", read=locale)
REQUIRED_LOCALE = Param(
    "locale",
    LOCALE_SCHEMA,
    "The language.",
    read=functools.partial(locale, required=True),
    required=True,
)
FALLBACK = Param(
    "fallback",
    {"type": "boolean"},
    "With `locale`: borrow missing pages (the BE/RU edition: Russian where Belarusian is "
    "missing). Without `locale` (every language) there is nothing to borrow: it changes nothing.",
    read=optional_boolean,
)
TREND = Param("trend", {"enum": list(Trend.values)}, "Only articles with this trend.", read=trend)
DATE_FROM = Param(
    "date_from",
    {"type": "string", "format": "date"},
    "Weeks starting on or after this date.",
    read=date,
)
DATE_TO = Param(
    "date_to",
    {"type": "string", "format": "date"},
    "Weeks starting on or before this date.",
    read=date,
)


TOPIC_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def known_topic(visible, slug: str | None) -> Topic | None:
    """The topic a `topic` filter names: one a visible article uses (the topics endpoint's
    rule), else a 400 — at every endpoint alike, and nothing is learnt of hidden pages' topics."""
    if not slug:
        return None
    topic = None
    if TOPIC_SLUG.fullmatch(slug):
        topic = visible.used_snippets(Topic, ArticlePage, "topic").filter(slug=slug).first()
    if topic is None:
        raise BadRequestError(f"unknown topic {slug!r}: use a topic's slug (GET /api/v2/topics/)")
    return topic


# ---- what a single page carries besides its own fields ------------------------------------------

# A week's articles are summaries; `include` adds these article fields to each of them, so a
# week page with its articles' bodies is one request (the home page's latest week too).
WEEK_ARTICLE_INCLUDES = ("body", "authors", "photo")
_INCLUDES = [f"articles.{name}" for name in WEEK_ARTICLE_INCLUDES]
_INCLUDE_ITEM = r"articles\.(" + "|".join(WEEK_ARTICLE_INCLUDES) + ")"


def week_article_includes(request, name: str) -> frozenset[str]:
    value = get(request, name)
    if not value:
        return frozenset()
    asked = [item.strip() for item in value.split(",")]
    unknown = [item for item in asked if item not in _INCLUDES]
    if unknown:
        raise BadRequestError(
            f"unknown include {', '.join(unknown)}: use a comma-separated list of "
            + ", ".join(_INCLUDES)
        )
    return frozenset(item.removeprefix("articles.") for item in asked)


INCLUDE = Param(
    "include",
    {"type": "string", "pattern": f"^{_INCLUDE_ITEM}(,{_INCLUDE_ITEM})*$", "examples": _INCLUDES},
    "A week's `articles` (also the home page's latest week) with these article fields too, "
    "e.g. `include=articles.body` for the whole week in one request. Other pages ignore it.",
    read=week_article_includes,
)
RICH_TEXT_TREE = Param(
    "rich_text_tree",
    {"type": "boolean"},
    "Also give each body paragraph as a typed tree (`tree`: RichTextNode), its links to our "
    "pages as `page_link` nodes (id, locale, path) a frontend resolves on its own domain.",
    read=boolean,
)
