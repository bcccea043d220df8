"""The API's response cache, conditional requests and Cache-Control: one middleware for every
GET under /api/v2/.

- **Anonymous GETs** are answered from the cache (Django's cache: Redis in production) when the
  same request was rendered before and nothing has changed since; otherwise the view renders and
  a 200 is stored. The API shows the same to every anonymous reader (core.visibility), so the
  key is the host, the path and the normalized query string — nothing about the reader.
- **Private requests** — previews, the newsletter's token endpoints, and any request carrying a
  session cookie or an Authorization header — are never stored or served from the cache, and
  are marked `private, no-store`.
- **Conditional requests**: every 200 carries a strong `ETag` (a hash of the body); an
  `If-None-Match` that matches a cached entry is answered 304 before any view runs. Public
  responses also carry `Last-Modified`: when this answer's body last changed. A change
  re-renders every answer, but one that comes out byte for byte the same keeps its old
  Last-Modified (and ETag); one that differs is stamped with the change — the last change
  anywhere, the only time the cache knows, never earlier than the change that altered it.
- **Compression**: a public answer is compressed once, when stored (brotli and gzip,
  core.api_encoding), and each reader gets the stored bytes of the coding it accepts, with that
  coding's own ETag; public answers vary on Origin and Accept-Encoding.
- **Expiry**: a page stops being visible at its `expire_at`, whether or not anything changed
  (core.visibility). An entry is stored with the next moment a live page expires and is not
  served past it; Cache-Control never lets a CDN keep an answer beyond it either.
- **Freshness** comes from generations, not key lists: each entry remembers the generations it
  was rendered under, and core.revalidation bumps them when content changes, so every affected
  response is re-rendered on its next request. Each process keeps copies of the entries it
  served and leases the generations it read (Leases), so a hit needs no SQL and, mostly, no
  I/O at all. Processes see each other's changes only through a shared cache — Redis
  (REDIS_URL) or, without it, the database's cache table; a per-process cache fails
  `check --deploy` (core.checks).

The middleware comes right after the health probes, so a hit skips all other middleware: an
entry is stored with the headers the rest added on its way out (CORS, security), and therefore
the key also holds the request's Origin (CORS headers differ per Origin: `Vary: Origin`) and
scheme; a request that SecurityMiddleware would redirect to HTTPS is passed on to it. A broken
cache costs speed, never an answer: django-redis ignores connection errors
(IGNORE_EXCEPTIONS), and anything else the cache raises is logged and served uncached.
"""

import contextlib
import functools
import hashlib
import logging
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.http import http_date

from core import api_encoding, visibility

logger = logging.getLogger(__name__)

API_PREFIX = "/api/v2/"
CONTENT = "content"
SEARCH = "search"
PRIVATE = "private, no-store"
# Responses that are errors (or redirects) are not worth sharing: a CDN must not keep serving
# a 404 for a page that has just been published.
NOT_STORED = "no-store"
# Headers of a rendered response that describe the reader's request (the session, the
# Accept-Language) rather than the resource: public responses drop them and vary on the Origin.
READER_HEADERS = ("Vary", "Content-Language")
PUBLIC_VARY = "Origin, Accept-Encoding"
VALIDATORS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)
NOT_MODIFIED_HEADERS = {"cache-control", "etag", "vary", "expires", "content-location"}
_MICROSECONDS = 1_000_000


# ---- generations ----------------------------------------------------------------------------


def _generation_key(scope: str) -> str:
    return f"api-cache:generation:{scope}"


def _cache():
    return caches[settings.API_CACHE_ALIAS]


def now_us() -> int:
    """The clock, in microseconds: generations and Last-Modified both read it."""
    return time.time_ns() // 1000


def bump(*scopes: str, settle: bool = False) -> None:
    """Make every cached response of these scopes stale (CONTENT: all of them).

    A generation is a time in microseconds that only grows: it says when content last changed
    (for Last-Modified), and starting over from the clock after the cache lost it can never
    bring an old entry's generation back. This process sees the new generations at once; with
    `settle`, the call returns only when every other process does too (see Leases).
    """
    cache = _cache()
    for scope in scopes:
        key = _generation_key(scope)
        now = now_us()
        try:
            current = cache.get(key)
            if current is None:
                if not cache.add(key, now, timeout=None):
                    cache.incr(key, max(1, now - (cache.get(key) or now)))
            elif cache.incr(key, max(1, now - current)) is None:
                logger.error("API cache: could not bump the %s generation", scope)
        except ValueError:  # the key expired or was evicted between get() and incr()
            cache.set(key, now, timeout=None)
        except Exception:  # a broken cache must not break the edit that triggered the bump
            logger.exception("API cache: could not bump the %s generation", scope)
        leases.drop(scope)
    if settle and not leases.settling_later:
        leases.sleep(leases.seconds())


@contextlib.contextmanager
def settled_once():
    """Bumps inside wait out the lease once, at the end, instead of after each change: for a
    command that publishes hundreds of pages in a row (the demo load), where the waits would
    add up to many seconds and nobody reads in between."""
    leases.settling_later += 1
    try:
        yield
    finally:
        leases.settling_later -= 1
        if not leases.settling_later:
            leases.sleep(leases.seconds())


class Leases:
    """How long this process may trust the generations it last read from the shared cache.

    Reading them from Redis for every request would cost a network round trip per hit — most of
    what a hit costs. Instead a process trusts what it read for API_CACHE_GENERATION_LEASE
    seconds, counted from before the read, and the bump that makes a change public (after the
    commit, `bump(settle=True)`) waits as long before it returns. So every request that starts
    after a change has been made public reads the new generations, in every process on every
    server, and a busy process reads them a few times a second instead of on every request. A
    process's own memory (the local-memory cache) is read directly and needs no lease.
    """

    clock = staticmethod(time.monotonic)
    sleep = staticmethod(time.sleep)

    def __init__(self):
        self.trusted: dict[str, tuple[int, float]] = {}
        self.settling_later = 0  # inside settled_once()

    def seconds(self) -> float:
        if isinstance(_cache(), LocMemCache):
            return 0.0
        return settings.API_CACHE_GENERATION_LEASE

    def get(self, scope: str, now: float) -> int | None:
        generation, until = self.trusted.get(scope, (None, 0.0))
        return generation if until > now else None

    def grant(self, scope: str, generation: int, read_at: float) -> None:
        if lease := self.seconds():
            self.trusted[scope] = (generation, read_at + lease)

    def drop(self, scope: str) -> None:
        self.trusted.pop(scope, None)


leases = Leases()


def current_generations(scopes: tuple[str, ...]) -> tuple[int, ...] | None:
    """The generations of `scopes`, or None when the cache cannot tell."""
    read_at = leases.clock()
    known = {scope: leases.get(scope, read_at) for scope in scopes}
    missing = [scope for scope, generation in known.items() if generation is None]
    if missing:
        keys = {_generation_key(scope): scope for scope in missing}
        found = _cache().get_many(list(keys))
        if len(found) < len(keys):
            # First request after a flush or an eviction: start the generations from the clock.
            now = now_us()
            for key in keys.keys() - found.keys():
                _cache().add(key, now, timeout=None)
            found = _cache().get_many(list(keys))
        if len(found) < len(keys):
            return None  # the cache is unreachable
        for key, generation in found.items():
            known[keys[key]] = generation
            leases.grant(keys[key], generation, read_at)
    return tuple(known[scope] for scope in scopes)


def scopes_for(path: str) -> tuple[str, ...]:
    if path.startswith(tuple(settings.API_CACHE_SEARCH_PREFIXES)):
        return (CONTENT, SEARCH)
    return (CONTENT,)


def repeated_on_304(header: str) -> bool:
    """The headers a 304 repeats (RFC 9110 15.4.5), and CORS: browsers check it on a 304."""
    name = header.lower()
    return name in NOT_MODIFIED_HEADERS or name.startswith("access-control-")


# ---- entries --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    generations: tuple[int, ...]
    etag: str
    content: bytes
    headers: tuple[tuple[str, str], ...]
    # When a live page expires next (microseconds): the entry may show it, so it ends there.
    valid_until: int | None = None
    # The content in each coding worth compressing it to, compressed once (core.api_encoding).
    encoded: dict[str, bytes] = field(default_factory=dict)
    # When this body was first rendered under a change (microseconds): its Last-Modified.
    changed: int | None = None

    def response(self, coding: str | None) -> HttpResponse:
        response = HttpResponse(self.content)
        for name, value in self.headers:
            response.headers[name] = value
        return encode(response, coding, self.encoded, self.etag)

    def not_modified(self, answer, coding: str | None):
        for name, value in self.headers:
            if repeated_on_304(name):
                answer.headers[name] = value
        answer.headers["ETag"] = api_encoding.etag_in(self.etag, coding)
        return answer


def coding_for(request, encoded: dict[str, bytes]) -> str | None:
    return api_encoding.chosen(request.META.get("HTTP_ACCEPT_ENCODING", ""), encoded)


def encode(response, coding: str | None, encoded: dict[str, bytes], etag: str):
    """The response as the representation in `coding` (None: as it is)."""
    if coding is not None:
        response.content = encoded[coding]
        response.headers["Content-Encoding"] = coding
        response.headers["Content-Length"] = str(len(response.content))
    response.headers["ETag"] = api_encoding.etag_in(etag, coding)
    return response


class LocalCopies:
    """This process's copies of the entries it served, up to API_CACHE_LOCAL_MAX_BYTES.

    With a copy at hand, a hit needs nothing from the shared cache but the generations, which
    the leases keep at hand too. A copy is used only while its generations are the current
    ones, exactly like the shared entry, so it is never staler. When full, it starts over:
    simpler than LRU bookkeeping, and every entry is one shared fetch away.
    """

    def __init__(self):
        self.entries: dict[str, Entry] = {}
        self.size = 0

    def get(self, key: str) -> Entry | None:
        return self.entries.get(key)

    def put(self, key: str, entry: Entry) -> None:
        limit = settings.API_CACHE_LOCAL_MAX_BYTES
        if len(entry.content) > limit:
            return
        if self.size + len(entry.content) > limit:
            self.entries, self.size = {}, 0
        replaced = self.entries.pop(key, None)
        self.size += len(entry.content) - (len(replaced.content) if replaced else 0)
        self.entries[key] = entry


local_copies = LocalCopies()


def request_key(request, host: str) -> str:
    """Scheme, host, path and query string with parameters in a stable order, and the Origin.

    Values of a repeated parameter keep their order (the last one wins in the views). Browsers'
    requests (Accept: text/html) are kept apart, because Wagtail's endpoints answer them with
    the browsable API instead of JSON.
    """
    meta = request.META
    # Sorted as written, without decoding: cheaper, and two spellings of one value only cost
    # a second entry.
    parameters = (part for part in meta.get("QUERY_STRING", "").split("&") if part)
    query = "&".join(sorted(parameters, key=lambda part: part.partition("=")[0]))
    browser = "text/html" in meta.get("HTTP_ACCEPT", "")
    origin = meta.get("HTTP_ORIGIN", "")
    raw = f"{int(browser)}|{request.scheme}|{host}|{request.path_info}|{query}|{origin}"
    return "api-cache:response:2:" + hashlib.blake2b(raw.encode(), digest_size=20).hexdigest()


def _is_fresh(entry, generations) -> bool:
    return (
        isinstance(entry, Entry)
        and entry.generations == generations
        and (entry.valid_until is None or now_us() < entry.valid_until)
    )


_expiries: dict[tuple[int, ...], int | None] = {}


def valid_until(generations: tuple[int, ...]) -> int | None:
    """The next expiry of a live page, for answers rendered under `generations`: one query per
    generation and process (publishing a page with an expiry bumps the generation)."""
    now = now_us()
    if generations in _expiries:
        until = _expiries[generations]
        if until is None or now < until:
            return until
    if len(_expiries) > 16:
        _expiries.clear()
    expiry = visibility.next_expiry()
    until = int(expiry.timestamp() * _MICROSECONDS) if expiry else None
    _expiries[generations] = until
    return until


def lookup(key: str, scopes: tuple[str, ...]):
    """The current generations of `scopes` (None if unknown), the entry if still fresh, and
    otherwise the stale one it replaces (None if none), whose body may come out the same.

    A process keeps copies of what it served: a hit usually needs no I/O at all; the entry is
    fetched from the shared cache only when this process has no fresh copy (e.g. another
    process rendered it).
    """
    try:
        generations = current_generations(scopes)
        if generations is None:
            return None, None, None
        copy = local_copies.get(key)
        if _is_fresh(copy, generations):
            return generations, copy, None
        entry = _cache().get(key)
    except Exception:  # serve uncached rather than fail
        logger.exception("API cache: lookup failed")
        return None, None, None
    if _is_fresh(entry, generations):
        local_copies.put(key, entry)
        return generations, entry, None
    return generations, None, entry if isinstance(entry, Entry) else copy


def changed_at(generations: tuple[int, ...], etag: str, previous: Entry | None) -> int:
    """When a freshly rendered body changed: its stale entry's time if it came out the same."""
    if previous is not None and previous.etag == etag and previous.changed is not None:
        return previous.changed
    return max(generations)


def store(key: str, entry: Entry) -> None:
    local_copies.put(key, entry)
    try:
        _cache().set(key, entry, timeout=settings.API_CACHE_TIMEOUT)
    except Exception:  # serve uncached rather than fail
        logger.exception("API cache: store failed")


# ---- headers --------------------------------------------------------------------------------


def etag_for(content: bytes) -> str:
    return quote_etag(hashlib.blake2b(content, digest_size=16).hexdigest())


def public_cache_control(until: int | None = None) -> str:
    """Shared caches keep an answer for S_MAXAGE seconds, never past `until` (an expiry)."""
    s_maxage, stale = settings.API_CACHE_S_MAXAGE, settings.API_CACHE_STALE_WHILE_REVALIDATE
    if until is not None:
        left = max(0, (until - now_us()) // _MICROSECONDS)
        s_maxage, stale = min(s_maxage, left), min(stale, max(0, left - s_maxage))
    return (
        f"public, max-age={min(settings.API_CACHE_MAX_AGE, s_maxage)}, "
        f"s-maxage={s_maxage}, "
        f"stale-while-revalidate={stale}"
    )


@functools.lru_cache(maxsize=8)
def _http_date(seconds: int) -> str:
    return http_date(seconds)


def last_modified(changed: int) -> int | None:
    """A change (microseconds), rounded up to the next whole second, once that second is past.

    HTTP dates count whole seconds. Rounding up and waiting for the second to pass means a
    client can only hold a Last-Modified later than every change it has seen, so a second
    change within the same second can never be answered 304. Until then there is no
    Last-Modified (the ETag still validates).
    """
    seconds = changed // _MICROSECONDS + 1
    return seconds if seconds * _MICROSECONDS <= now_us() else None


def conditional_answer(request, etag: str, modified: int | None):
    """A 304 (or 412) when the request's validators say so, else None."""
    if not any(name in request.META for name in VALIDATORS):
        return None
    answer = get_conditional_response(request, etag=etag, last_modified=modified)
    if answer is not None and modified is not None:
        answer.headers["Last-Modified"] = _http_date(modified)
    return answer


def from_entry(request, entry: Entry, modified: int | None):
    """A hit, answered without rendering: a 304 when the reader's copy is current."""
    coding = coding_for(request, entry.encoded)
    answer = conditional_answer(request, api_encoding.etag_in(entry.etag, coding), modified)
    if answer is not None:
        return entry.not_modified(answer, coding)
    response = entry.response(coding)
    if entry.valid_until is not None:
        response.headers["Cache-Control"] = public_cache_control(entry.valid_until)
    if modified is not None:
        response.headers["Last-Modified"] = _http_date(modified)
    return response


def finish(request, response, etag: str, modified: int | None = None):
    """Validators on a rendered 200, and a 304 when the reader's copy is current."""
    response.headers["ETag"] = etag
    if modified is not None:
        response.headers["Last-Modified"] = _http_date(modified)
    answer = conditional_answer(request, etag, modified)
    if answer is None:
        return response
    for name, value in response.items():
        if repeated_on_304(name):
            answer.headers[name] = value
    return answer


def is_storable(response) -> bool:
    """A complete 200 that the view did not mark private and that sets no cookie."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if response.get("Content-Type", "").startswith("text/html"):
        return False  # the browsable API: a page for developers, not the API
    directives = response.get("Cache-Control", "")
    return not any(word in directives for word in ("private", "no-store", "no-cache"))


def is_immutable(response) -> bool:
    """A view's own answer for every reader, whose URL changes when it would (an image
    rendition, digest.api.renditions): a file, not worth this cache, already cacheable."""
    return response.status_code in (200, 304) and "immutable" in response.get("Cache-Control", "")


def shared_as_it_is(response):
    """Without the headers that describe the reader's request: a CDN keeps one copy per Origin
    (CORS), not one per Accept-Language."""
    for header in READER_HEADERS:
        del response.headers[header]
    response.headers["Vary"] = "Origin"
    return response


# ---- the middleware -------------------------------------------------------------------------


def has_credentials(request) -> bool:
    meta = request.META
    if "HTTP_AUTHORIZATION" in meta:
        return True
    # Parsing cookies costs more than the rest of a hit: only when the name is there at all.
    name = settings.SESSION_COOKIE_NAME
    return name in meta.get("HTTP_COOKIE", "") and name in request.COOKIES


class ApiCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not path.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            # Writes (the newsletter's) answer one reader: never stored by anyone.
            response = self.get_response(request)
            response.headers.setdefault("Cache-Control", PRIVATE)
            return response
        if path.startswith(tuple(settings.API_CACHE_PRIVATE_PREFIXES)) or has_credentials(request):
            return self.private(request)
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return self.get_response(request)  # SecurityMiddleware redirects it to HTTPS
        try:
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)  # refused further in, as for any other URL

        key = request_key(request, host)
        generations, entry, previous = lookup(key, scopes_for(path))
        if entry is not None:
            return from_entry(request, entry, last_modified(entry.changed or max(generations)))

        response = self.get_response(request)
        if is_immutable(response):
            return shared_as_it_is(response)
        if not is_storable(response):
            response.headers.setdefault(
                "Cache-Control", PRIVATE if response.status_code == 200 else NOT_STORED
            )
            return validated(request, response)
        for header in READER_HEADERS:
            del response.headers[header]
        until = valid_until(generations) if generations is not None else None
        response.headers["Vary"] = PUBLIC_VARY
        response.headers["Cache-Control"] = public_cache_control(until)
        etag = etag_for(response.content)
        response.headers["ETag"] = etag
        encoded = api_encoding.compress(response.content)
        changed = changed_at(generations, etag, previous) if generations is not None else None
        if generations is not None and request.method == "GET":
            headers = tuple(response.items())
            entry = Entry(generations, etag, response.content, headers, until, encoded, changed)
            store(key, entry)
        coding = coding_for(request, encoded)
        encode(response, coding, encoded, etag)
        modified = last_modified(changed) if changed is not None else None
        return finish(request, response, response.headers["ETag"], modified)

    def private(self, request):
        response = self.get_response(request)
        response.headers["Cache-Control"] = PRIVATE
        return validated(request, response)


def validated(request, response):
    """An ETag (and a 304 when it matches) on any complete 200 that is not cached."""
    if response.status_code != 200 or response.streaming:
        return response
    return finish(request, response, etag_for(response.content))
