"""Bounded JSON parsing for public endpoints: deeply nested input is refused before it is parsed
(it made both API endpoints answer 500 through a RecursionError; issue 11)."""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 32


class TooDeep(ValueError):
    """The JSON nests arrays/objects deeper than MAX_DEPTH."""


def nesting_depth(text: str | bytes) -> int:
    """The deepest nesting of arrays and objects, outside strings (a single pass, no recursion)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def loads(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """json.loads, refusing input nested deeper than `max_depth` (a ValueError, like bad JSON)."""
    if nesting_depth(text) > max_depth:
        raise TooDeep(f"nested more than {max_depth} levels")
    try:
        return json.loads(text)
    except RecursionError as exc:  # pragma: no cover - the depth check comes first
        raise TooDeep(str(exc)) from None
