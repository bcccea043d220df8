"""Content safety: which URLs and embeds editors may use, and what HTML may reach the API.

Three layers, each on its own: blocks refuse unsafe links and unknown embed providers when an
article is saved (a clear message for the editor), the embed finder only ever talks to the
allow-listed providers, and the API passes every piece of HTML through nh3 on the way out (so
content that bypassed the admin — imports, translations, old revisions — is still safe).
"""

import contextlib
import json
import logging
import re
from datetime import timedelta
from html.parser import HTMLParser

import nh3
import requests
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.embeds import oembed_providers
from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.finders.base import EmbedFinder
from wagtail.embeds.finders.facebook import FACEBOOK_PROVIDERS
from wagtail.embeds.finders.instagram import INSTAGRAM_PROVIDER

from core.browser_urls import parse_as_browser

logger = logging.getLogger(__name__)

SAFE_URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Matches the rich-text features editors have (digest.blocks.PARAGRAPH_FEATURES, home blurbs).
RICH_TEXT_TAGS = frozenset(
    {"p", "h2", "h3", "b", "strong", "i", "em", "a", "ul", "ol", "li", "sup", "sub", "br"}
)

# --- URLs -----------------------------------------------------------------------------------

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# Browsers ignore these inside a URL, so "java\tscript:" still runs as "javascript:".
_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f]+")


def unsafe_url_scheme(url: str) -> str | None:
    """The URL's scheme when it is not http, https or mailto; None for safe and relative URLs."""
    match = _SCHEME.match(_IGNORED_BY_BROWSERS.sub("", url).lower())
    if match and match.group(1) not in SAFE_URL_SCHEMES:
        return match.group(1)
    return None


def validate_safe_url(url: str) -> None:
    """Validator for any URL or link field/block: refuses javascript:, data:, vbscript: …"""
    scheme = unsafe_url_scheme(url)
    if scheme:
        raise ValidationError(
            _(
                "The link “%(url)s” uses “%(scheme)s:”, which is not allowed. "
                "Links must be http://, https:// or mailto: addresses."
            ),
            code="unsafe_url",
            params={"url": Truncator(url).chars(80), "scheme": scheme},
        )


class _UrlCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls = []

    def handle_starttag(self, tag, attrs):
        self.urls.extend(value for name, value in attrs if name in {"href", "src"} and value)


class EditedHtml(str):
    """Rich text as the editor's widget converted it, with the links the conversion dropped
    (digest.rich_text_editor)."""

    refused: tuple[str, ...] = ()


def unsafe_links(contentstate: str | None) -> tuple[str, ...]:
    """The unsafe links in the editor's Draftail content (its JSON "contentstate")."""
    try:
        entities = json.loads(contentstate or "{}").get("entityMap", {}).values()
    except (ValueError, AttributeError):
        return ()
    urls = (
        entity.get("data", {}).get("url") or ""
        for entity in entities
        if isinstance(entity, dict) and entity.get("type") == "LINK"
    )
    return tuple(url for url in urls if unsafe_url_scheme(url))


def validate_rich_text_links(html: str) -> None:
    """Refuses rich text (Wagtail's stored HTML) with a link or source using an unsafe scheme,
    and the editor's text whose unsafe links the editor's conversion dropped."""
    collector = _UrlCollector()
    collector.feed(html)
    collector.close()
    errors = []
    for url in [*getattr(html, "refused", ()), *collector.urls]:
        try:
            validate_safe_url(url)
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)


# --- Embeds ---------------------------------------------------------------------------------

# Providers editors may embed from, by the name shown in messages. Facebook and Instagram use
# Meta's authenticated Graph API endpoints (FACEBOOK_APP_ID / FACEBOOK_APP_SECRET).
EMBED_PROVIDERS = {
    "YouTube": [oembed_providers.youtube],
    "Vimeo": [oembed_providers.vimeo],
    "X (Twitter)": [oembed_providers.twitter],
    "Facebook": FACEBOOK_PROVIDERS,
    "Instagram": [INSTAGRAM_PROVIDER],
    "SoundCloud": [oembed_providers.soundcloud],
}
_META_PROVIDERS = {"Facebook", "Instagram"}

# Hosts whose iframes may appear in embed HTML served by the API.
EMBED_FRAME_HOSTS = frozenset(
    {
        "www.youtube.com",
        "youtube.com",
        "www.youtube-nocookie.com",
        "player.vimeo.com",
        "platform.twitter.com",
        "www.facebook.com",
        "www.instagram.com",
        "w.soundcloud.com",
    }
)


def _compiled(providers):
    return [re.compile(pattern) for provider in providers for pattern in provider["urls"]]


_EMBED_URL_PATTERNS = {name: _compiled(providers) for name, providers in EMBED_PROVIDERS.items()}


def embed_provider_name(url: str) -> str | None:
    """The allow-listed provider of an embed URL; None for others, and for URLs that hide where
    they lead (a browser would read them as another host than the provider's pattern sees)."""
    if parse_as_browser(url) is None:
        return None
    for name, patterns in _EMBED_URL_PATTERNS.items():
        if any(pattern.match(url) for pattern in patterns):
            return name
    return None


def validate_embed_url(url: str) -> None:
    if embed_provider_name(url) is None:
        raise ValidationError(
            _(
                "Embeds are only allowed from %(providers)s. "
                "Link to other sites from the text instead."
            ),
            code="embed_provider_not_allowed",
            params={"providers": ", ".join(EMBED_PROVIDERS)},
        )


class AllowListedOEmbedFinder(EmbedFinder):
    """Wagtail embed finder for the allow-listed providers, tolerant of slow providers.

    Written instead of configuring Wagtail's OEmbedFinder because that one waits 10 s and turns an
    unreachable provider into "not found", which fails validation: an editor could not save or
    publish an article while YouTube is down. Here an unreachable provider yields a plain link,
    kept only for `retry_after` seconds so the real embed is fetched on a later save.
    """

    def __init__(
        self,
        providers=None,
        timeout=3,
        retry_after=300,
        facebook_app_id="",
        facebook_app_secret="",
    ):
        meta_token = (
            f"{facebook_app_id}|{facebook_app_secret}"
            if facebook_app_id and facebook_app_secret
            else ""
        )
        self.providers = []
        for name, configs in (providers or EMBED_PROVIDERS).items():
            params = {}
            if name in _META_PROVIDERS:
                # Meta answers nothing without an app token: embed those posts as links.
                params = {"access_token": meta_token, "omitscript": "true"} if meta_token else None
            for config in configs:
                endpoint = config["endpoint"].replace("{format}", "json")
                self.providers.append((name, endpoint, params, _compiled([config])))
        self.timeout = timeout
        self.retry_after = timedelta(seconds=retry_after)

    def _provider(self, url):
        for name, endpoint, params, patterns in self.providers:
            if any(pattern.match(url) for pattern in patterns):
                return name, endpoint, params
        return None

    def accept(self, url):
        return self._provider(url) is not None

    def find_embed(self, url, max_width=None, max_height=None):
        provider = self._provider(url)
        if provider is None:
            raise EmbedNotFoundException
        name, endpoint, params = provider
        if params is None:
            return self._link(url, name)
        query = {**params, "url": url, "format": "json"}
        if max_width:
            query["maxwidth"] = max_width
        if max_height:
            query["maxheight"] = max_height
        try:
            response = requests.get(
                endpoint, params=query, headers={"User-Agent": "Mozilla/5.0"}, timeout=self.timeout
            )
        except requests.RequestException as error:
            logger.warning("oEmbed provider %s unreachable for %s: %s", name, url, error)
            return self._link(url, name)
        if response.status_code >= 500 or response.status_code == 429:
            logger.warning("oEmbed provider %s answered %s for %s", name, response.status_code, url)
            return self._link(url, name)
        if not response.ok:
            raise EmbedNotFoundException(f"{name} answered {response.status_code}")
        try:
            oembed = response.json()
        except ValueError as error:
            raise EmbedNotFoundException(f"{name} sent no JSON") from error
        if not isinstance(oembed, dict) or "type" not in oembed:
            raise EmbedNotFoundException(f"{name} sent no oEmbed type")
        return self._embed(oembed, name)

    def _link(self, url, provider_name):
        return {
            "title": "",
            "author_name": "",
            "provider_name": provider_name,
            "type": "link",
            "thumbnail_url": "",
            "width": None,
            "height": None,
            "html": format_html('<a href="{0}">{0}</a>', url),
            "cache_until": timezone.now() + self.retry_after,
        }

    def _embed(self, oembed, provider_name):
        if oembed["type"] == "photo":
            html = format_html('<img src="{}" alt="">', oembed.get("url", ""))
        else:
            html = oembed.get("html") or ""
        result = {
            "title": oembed.get("title") or "",
            "author_name": oembed.get("author_name") or "",
            "provider_name": oembed.get("provider_name") or provider_name,
            "type": oembed["type"],
            "thumbnail_url": oembed.get("thumbnail_url") or "",
            "width": oembed.get("width"),
            "height": oembed.get("height"),
            "html": html,
        }
        with contextlib.suppress(KeyError, TypeError, ValueError):
            result["cache_until"] = timezone.now() + timedelta(seconds=int(oembed["cache_age"]))
        return result


# --- HTML for the API -----------------------------------------------------------------------

_RICH_TEXT_CLEANER = nh3.Cleaner(
    tags=set(RICH_TEXT_TAGS),
    attributes={"a": {"href"}},
    url_schemes=set(SAFE_URL_SCHEMES),
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    """Rich text for the API: only our rich-text tags, only http/https/mailto links."""
    return _RICH_TEXT_CLEANER.clean(html)


def _embed_attribute(tag, attribute, value):
    if tag == "iframe" and attribute == "src":
        # Read as the browser will read it ("//host/…" is https, like the page), and written
        # back as read, so what the browser loads is what was checked.
        url = parse_as_browser(value, base="https://embed.invalid/")
        if url is None or url.protocol != "https:" or url.hostname not in EMBED_FRAME_HOSTS:
            return None
        return url.href
    return value


# Provider markup without their scripts: iframes from the allow-listed hosts, and the
# blockquote/div placeholders (with their class and data-* attributes) that a frontend upgrades
# by loading the provider's own widget script.
_EMBED_CLEANER = nh3.Cleaner(
    tags=set(RICH_TEXT_TAGS | {"iframe", "blockquote", "div", "span", "img"}),
    attributes={
        "a": {"href"},
        "iframe": {
            "src",
            "width",
            "height",
            "title",
            "allow",
            "allowfullscreen",
            "frameborder",
            "referrerpolicy",
            "loading",
        },
        "img": {"src", "alt", "width", "height"},
        "blockquote": {"class", "cite", "lang"},
        "div": {"class"},
        "span": {"class"},
        "p": {"lang", "dir"},
    },
    attribute_filter=_embed_attribute,
    generic_attribute_prefixes={"data-"},
    url_schemes={"https"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize_embed_html(html: str) -> str:
    """Provider embed HTML for the API: no scripts, no handlers, iframes only from providers."""
    return _EMBED_CLEANER.clean(html)
