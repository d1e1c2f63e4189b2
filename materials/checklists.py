"""The checklist doors' shared core (DOC-CHECKLIST): the CLI and the API call `checklist_text` and
serialise with `dumps`, so both give the same bytes."""

from __future__ import annotations

import json
from typing import Any

from core import jsonlimits
from policy.checklist import checklist_json
from policy.errors import InvalidFacts
from policy.facts import parse_facts

LANGS = ("zh", "en")


class ChecklistInputError(Exception):
    """The input is not the contract's facts; `errors` are `(path, message)` pairs."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{path}: {message}" for path, message in errors))

    def detail(self) -> list[dict[str, str]]:
        return [{"loc": path, "msg": message} for path, message in self.errors]


def lang_of(language: str | None) -> str:
    return "en" if (language or "").lower().startswith("en") else "zh"


def checklist_text(text: str | bytes, *, lang: str = "zh") -> dict[str, Any]:
    """Parse the facts JSON and return `{"business", "materials": [...]}`."""
    try:
        data = jsonlimits.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ChecklistInputError([("(root)", f"not valid JSON: {exc}")]) from None
    try:
        facts = parse_facts(data)
    except InvalidFacts as exc:
        raise ChecklistInputError([(path or "(root)", message) for path, message in exc.errors]) from None
    return checklist_json(facts, lang)


def dumps(payload: Any) -> str:
    """Compact UTF-8 JSON, one line and a newline (the same bytes from every door)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n"
