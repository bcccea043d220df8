"""Query parameters, declared once per endpoint.

An endpoint lists its `Parameters`: each `Param` has a name, a JSON Schema, a description and a
reader that turns the raw value into a Python value or refuses it with a 400. The same
declaration parses the request (`parse()`: unknown parameters refused, each one read) and writes
the endpoint's parameters in the OpenAPI document (`openapi()`), so the contract and the parser
cannot disagree. A declarative list was chosen over DRF serializers or Pydantic models: Wagtail's
API v2 endpoints are not serializer-driven, the values need the API's own messages, and a list of
small dataclasses is all the contract needs.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from wagtail.api.v2.utils import BadRequestError

MAX_PARAMETER_LENGTH = 2048
# DRF's format override (`?format=json`), accepted everywhere and not part of the contract.
ALWAYS_ACCEPTED = frozenset({"format"})


def raw(request, name: str) -> str | None:
    """The value as given (None when absent), refused when too long or holding NUL."""
    value = request.GET.get(name)
    if value is None:
        return None
    if len(value) > MAX_PARAMETER_LENGTH:
        raise BadRequestError(f"{name} is too long")
    if "\x00" in value:
        # PostgreSQL refuses NUL in text; no meaningful value contains one.
        raise BadRequestError(f"{name} must not contain NUL characters")
    return value


@dataclass(frozen=True)
class Param:
    name: str
    schema: dict
    description: str
    read: Callable[[Any, str], Any] = raw
    required: bool = False

    def openapi(self) -> dict:
        return {
            "name": self.name,
            "in": "query",
            "required": self.required,
            "schema": self.schema,
            "description": self.description,
        }

    def value(self, request):
        if "enum" in self.schema:
            # One rule for every listed choice, the empty value included: what the contract
            # does not list is refused, whatever the reader would make of it.
            given = raw(request, self.name)
            choices = self.schema["enum"]
            if given is not None and given not in choices:
                listed = ", ".join(str(choice) for choice in choices)
                raise BadRequestError(f"unknown {self.name} '{given}': use one of {listed}")
        value = self.read(request, self.name)
        if self.required and value in (None, ""):
            raise BadRequestError(f"{self.name} is required")
        return value

    def but(self, **changes) -> "Param":
        """The same parameter with another description, schema or reader."""
        return replace(self, **changes)


class Parameters:
    """An endpoint's query parameters, in the order the contract lists them."""

    def __init__(self, *params: Param):
        self.params = params
        self.names = frozenset(param.name for param in params)

    def check_known(self, request) -> None:
        unknown = set(request.GET.keys()) - self.names - ALWAYS_ACCEPTED
        if unknown:
            raise BadRequestError(
                "query parameter is not an operation or a recognised field: "
                + ", ".join(sorted(unknown))
            )

    def parse(self, request) -> dict[str, Any]:
        """Every declared parameter's value (None when absent); a 400 for anything wrong."""
        self.check_known(request)
        return {param.name: param.value(request) for param in self.params}

    def openapi(self) -> list[dict]:
        return [param.openapi() for param in self.params]
