"""Request bodies: DRF's JSON parser, with nesting deep enough to exhaust Python's recursion
(a few kilobytes of `[[[[…`) refused as the bad request it is instead of a 500."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON parse error - the body is nested too deeply") from exc
