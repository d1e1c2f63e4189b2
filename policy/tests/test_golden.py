"""The exact JSON of every contract example, in both languages, pinned byte for byte.

The contract examples only name the fields they care about; these files hold everything else
(messages, facts, parameter entries, key order), so that a refactoring or a speed-up of the engine
cannot change an answer unnoticed. The serialisation is the one the eligibility app sends
(`ensure_ascii=False`, keys in model order), indented for readable diffs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policy import PolicyError, evaluate, parse_facts
from policy.tests.helpers import EXAMPLES, parameters

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = [(path, lang) for path in sorted(EXAMPLES.glob("*.json")) for lang in ("zh", "en")]


def answer(data: object, lang: str) -> str:
    """The engine's answer as text: the contract JSON, or the error line(s) for invalid input."""
    try:
        result = evaluate(parse_facts(data), parameters(), lang=lang)  # type: ignore[arg-type]
    except PolicyError as exc:
        return f"{type(exc).__name__}: {exc}\n"
    return json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("path, lang", CASES, ids=[f"{p.stem}-{lang}" for p, lang in CASES])
def test_contract_example_output_is_pinned(path: Path, lang: str) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    expected = (GOLDEN / f"{path.stem}.{lang}.txt").read_text(encoding="utf-8")
    assert answer(case["input"], lang) == expected
