"""Admin exports (CSV, XLSX) that spreadsheet programs open as data, never as formulas.

Exported values come from readers too (a subscriber's address from the public form), and
`=cmd|'/Ccalc'!A0@example.org` is a valid address. A CSV cell that starts like a formula is
written with a leading apostrophe (OWASP's advice: spreadsheets show it as text); XLSX cells are
always text already (Wagtail's export), but characters XML cannot hold would make the file a
500, so they are written as U+FFFD. Every admin view set that offers an export uses one of the
views below (tests/hardening/test_exports.py enumerates them).
"""

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def neutral_cell(value, export_format: str):
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    if export_format == SpreadsheetExportMixin.FORMAT_CSV and value.startswith(FORMULA_START):
        value = "'" + value
    return value


class SafeSpreadsheetExportMixin:
    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return neutral_cell(value, export_format)


class SafeExportIndexView(SafeSpreadsheetExportMixin, IndexView):
    """A model view set's listing whose CSV/XLSX export neutralises hostile cells."""


class SafeSnippetExportIndexView(SafeSpreadsheetExportMixin, SnippetIndexView):
    """A snippet view set's listing whose CSV/XLSX export neutralises hostile cells."""
