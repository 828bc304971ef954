"""JSON bodies of the API and PEP exchange documents, limited in size and depth before Python's
``json`` sees them: its decoder recurses once per level, so a body of 100,000 ``[`` would end in
a ``RecursionError`` (a 500) instead of a clear refusal. No real document nests deeper than
a few levels (the exchange document: document → peps → a PEP → its targets → a target)."""

import json
import re

from django.conf import settings
from rest_framework import exceptions, parsers, status

#: The deepest nesting of arrays and objects accepted.
MAX_DEPTH = 32

# A JSON string (whatever brackets it holds), and a bracket outside any string.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class TooDeep(ValueError):
    pass


class TooLarge(ValueError):
    pass


def max_bytes() -> int | None:
    """The largest body accepted: Django's own ``DATA_UPLOAD_MAX_MEMORY_SIZE``, so pages and API agree."""
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def too_large_message(what: str = "The body") -> str:
    return f"{what} is larger than {max_bytes():,} bytes: send less at a time"


def _check_depth(text: str, limit: int) -> None:
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub("", text)):
        if bracket.group() in "[{":
            depth += 1
            if depth > limit:
                raise TooDeep(f"JSON nested more than {limit} deep: nothing was read")
        else:
            depth -= 1


def _no_constant(name):
    raise ValueError(f"{name} is not a JSON value")


def loads(text: str, *, max_depth: int = MAX_DEPTH):
    """``json.loads`` refusing nesting beyond ``max_depth`` (``TooDeep``) and NaN / Infinity (``ValueError``)."""
    _check_depth(text, max_depth)
    try:
        return json.loads(text, parse_constant=_no_constant)
    except RecursionError:  # unreachable within the depth checked; never a 500 if it were not
        raise TooDeep(f"JSON nested more than {max_depth} deep: nothing was read") from None


def read(stream, what: str = "The body") -> bytes:
    """At most ``max_bytes()`` of ``stream``; ``TooLarge`` if it holds more."""
    limit = max_bytes()
    raw = stream.read() if limit is None else stream.read(limit + 1)
    if limit is not None and len(raw) > limit:
        raise TooLarge(too_large_message(what))
    return raw


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self, detail=None):
        super().__init__(detail or too_large_message())


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with the limits above (the API's only parser)."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return loads(read(stream).decode(encoding))
        except TooLarge as error:
            raise BodyTooLarge(str(error)) from None
        except TooDeep as error:
            raise exceptions.ParseError(str(error)) from None
        except ValueError as error:  # not JSON, or not in the charset it says
            raise exceptions.ParseError(f"JSON parse error - {error}") from None
