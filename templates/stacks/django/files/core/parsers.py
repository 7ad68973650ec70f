"""The JSON parser of every route: DRF's, with no way to a 500 on hostile bodies.

DRF already refuses invalid UTF-8, malformed JSON and NaN/Infinity (400). This also
refuses, with the same 400, JSON nested too deeply for Python's parser and strings with
lone surrogates ("\\ud800"), which no database can store.
"""

from typing import IO, Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: IO[bytes],
        media_type: str | None = None,
        parser_context: dict[str, Any] | None = None,
    ) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON parse error - nested too deeply") from exc
        if not _encodable(data):
            raise ParseError("JSON parse error - a string is not valid Unicode")
        return data


def _encodable(data: Any) -> bool:
    """Every string (and key) in data encodes as UTF-8 (no lone surrogates)."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return False
    return True
