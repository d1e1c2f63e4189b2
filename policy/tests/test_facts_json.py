"""parse_facts_json(text) is parse_facts(json.loads(text)): same facts, same errors, same messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policy import InvalidFacts, parse_facts
from policy.facts import parse_facts_json
from policy.tests.helpers import EXAMPLES, base_case


def outcome(text: str | bytes) -> str:
    """The parsed facts or the error, as text, for either path."""
    try:
        return repr(parse_facts_json(text))
    except (InvalidFacts, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"


def reference(text: str | bytes) -> str:
    try:
        return repr(parse_facts(json.loads(text)))
    except (InvalidFacts, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"


def with_value(path: tuple[str, ...], raw: str) -> str:
    """The base case as JSON text with the value at `path` replaced by the raw JSON `raw`."""
    data = base_case()
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = "@@"
    return json.dumps(data, ensure_ascii=False).replace('"@@"', raw)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_contract_examples_parse_the_same(path: Path) -> None:
    text = json.dumps(json.loads(path.read_text(encoding="utf-8"))["input"], ensure_ascii=False)
    assert outcome(text) == reference(text)
    assert outcome(text.encode("utf-8")) == reference(text)


@pytest.mark.parametrize(
    "path, raw",
    [
        (("applicant", "birth_date"), '"1990-13-01"'),
        (("applicant", "birth_date"), "19900101"),
        (("applicant", "monthly_income"), '[{"month": "2025-13", "amount": 2.0}]'),
        (("employer", "registered_capital"), "1e400"),
        (("employer", "registered_capital"), "100000000000000000000000000000"),
        (("employer", "registered_district"), '"\\ud800"'),
        (("applicant", "startup"), '{"shareholding_percent": 99.99999999999999999}'),
        (("applicant", "startup"), '{"shareholding_percent": NaN}'),
        (("applicant", "hukou"), '"beijing", "hukou": "non_beijing"'),
        (("employer", "kind"), '"company"'),
        (("employer", "sanctioned"), "1"),
    ],
)
def test_odd_values_parse_or_fail_the_same(path: tuple[str, ...], raw: str) -> None:
    text = with_value(path, raw)
    assert outcome(text) == reference(text)


@pytest.mark.parametrize("text", ["", "[]", "null", '"x"', "{", '{"business": "new"} x', "\ufeff{}"])
def test_not_an_object_or_not_json_fails_the_same(text: str) -> None:
    assert outcome(text) == reference(text)
