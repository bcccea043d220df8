"""Content codings of the API's public answers: brotli or gzip, when the client accepts them.

The response cache (core.api_cache) compresses a public answer once, when it stores it, and
serves each client the stored bytes of the coding it accepts, so a hit never compresses. Each
coding is its own representation (RFC 9110 8.8.3): its ETag is the identity ETag with the
coding appended, so a validator from one coding never validates another, and every public
answer varies on Accept-Encoding.

Only public answers are compressed. Private ones (previews, the newsletter's token endpoints,
signed-in requests) may hold what one reader may see beside what a request reflects, the mix
compression attacks like BREACH read through the length; they are small anyway.
"""

import gzip

import brotli

# The server's preference when the client accepts several equally: brotli is smaller.
CODINGS = ("br", "gzip")
# Below this, a compressed body (and its headers) saves nothing worth the work.
MIN_SIZE = 256
# Quality 5 compresses JSON almost as well as 11 at a fraction of its time: it runs on a miss.
BROTLI_QUALITY = 5
GZIP_LEVEL = 6


def compress(content: bytes) -> dict[str, bytes]:
    """The body in every coding worth it (empty when the body is too small to gain)."""
    if len(content) < MIN_SIZE:
        return {}
    return {
        "br": brotli.compress(content, mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY),
        # mtime=0: the same content always gives the same bytes (and so the same ETag).
        "gzip": gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0),
    }


def chosen(accept_encoding: str, available) -> str | None:
    """The coding to send, of those `available`: the client's most wanted (q-value), the
    server's preference among equals; None for the identity."""
    if not accept_encoding or not available:
        return None
    weights = {}
    for item in accept_encoding.split(","):
        name, _, parameters = item.partition(";")
        weights[name.strip().lower()] = _quality(parameters)
    default = weights.get("*", 0.0)
    best, best_weight = None, 0.0
    for coding in CODINGS:
        weight = weights.get(coding, default)
        if coding in available and weight > best_weight:
            best, best_weight = coding, weight
    return best


def _quality(parameters: str) -> float:
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def etag_in(etag: str, coding: str | None) -> str:
    """The ETag of the representation in `coding`: `"hash"` becomes `"hash-br"`."""
    if coding is None:
        return etag
    return f'{etag[:-1]}-{coding}"'
