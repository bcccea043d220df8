"""Text as it may be stored and served: no control characters.

Editors paste from Word (Shift+Enter is a vertical tab), translators from PO files and other
tools; a control character in a title is invisible in the admin but makes XML (feeds, sitemaps,
XLSX) unwritable and confuses every frontend. So one rule, applied when anything is saved
(core.signal_handlers) and again to whatever a feed writes:

- line breaks (CR LF, CR, VT, FF, NEL, U+2028, U+2029) become LF in multi-line text, a space
  in single-line text (a CharField: a title, a slug, a name), where tabs become spaces too;
- every other control character (C0 but TAB and LF, DEL, C1), the noncharacters U+FFFE and
  U+FFFF and lone surrogates are removed.
"""

import re

LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
REMOVED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")
SINGLE_LINE_SPACES = re.compile("[\t\n]")


def clean(value: str, *, single_line: bool = False) -> str:
    """`value` without control characters (see the module's rule)."""
    if value.isprintable() and not single_line:
        return value  # the common case, at C speed
    value = REMOVED.sub("", LINE_BREAKS.sub("\n", value))
    return SINGLE_LINE_SPACES.sub(" ", value) if single_line else value


def clean_data(value, *, single_line: bool = False):
    """Every string inside JSON-like data (dicts, lists), cleaned; anything else as it is."""
    if isinstance(value, str):
        return clean(value, single_line=single_line)
    if isinstance(value, list):
        return [clean_data(item, single_line=single_line) for item in value]
    if isinstance(value, dict):
        return {key: clean_data(item, single_line=single_line) for key, item in value.items()}
    return value
