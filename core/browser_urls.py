"""URLs read the way browsers read them (the WHATWG URL Standard, through ada-url).

Python's `urllib.parse` follows the older RFCs, so a URL can mean one host to our checks and
another to the browser that loads it: `https://evil.example\\@www.youtube.com/` is YouTube to
`urlsplit` and evil.example to every browser (which reads the backslash as a slash). Checks on
where a URL leads parse it here, and what they let through is the browser's own reading.
"""

import re

from ada_url import URL

# Nothing an honest URL needs, and what makes parsers disagree: backslashes (a slash to
# browsers, not to urllib), credentials before the host, and control characters (which browsers
# drop from the middle of a URL).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def parse_as_browser(value: str, *, base: str | None = None) -> URL | None:
    """The URL a browser would load for `value` (relative to `base`), or None when it would load
    none, or when `value` hides where it leads (a backslash, credentials, control characters)."""
    if "\\" in value or _CONTROL.search(value):
        return None
    try:
        url = URL(value, base=base)
    except ValueError:
        return None
    if url.username or url.password:
        return None
    return url
