"""The contract's examples (copied from shared/spec/examples), each checked as examples/README.md says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policy import InvalidFacts, PolicyError, evaluate, parse_facts
from policy.tests.helpers import EXAMPLES, parameters

FILES = sorted(EXAMPLES.glob("*.json"))


def test_every_shared_example_is_copied() -> None:
    shared = Path(__file__).resolve().parents[3] / "shared" / "spec" / "examples"
    if not shared.is_dir():
        pytest.skip("shared spec not mounted")
    assert {p.name for p in shared.glob("*.json")} == {p.name for p in FILES}
    for path in shared.glob("*.json"):
        assert json.loads(path.read_text(encoding="utf-8")) == json.loads(
            (EXAMPLES / path.name).read_text(encoding="utf-8")
        )


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_contract_example(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    expect = case["expect"]
    if expect["exit"] == 2:
        with pytest.raises(PolicyError) as raised:
            evaluate(parse_facts(case["input"]), parameters())
        if path.stem.startswith("invalid-"):  # invalid input: the field errors, not any other refusal
            assert type(raised.value) is InvalidFacts, type(raised.value)
        else:
            assert not isinstance(raised.value, InvalidFacts), raised.value
        assert expect["stderr_contains"] in str(raised.value)
        return
    assert expect["exit"] == 0
    result = evaluate(parse_facts(case["input"]), parameters()).model_dump(mode="json")
    if "decision" in expect:
        assert result["decision"] == expect["decision"]
    if "qualifying_clauses" in expect:
        assert result["qualifying_clauses"] == expect["qualifying_clauses"]
    checks = {c["rule"]: c["outcome"] for c in result["checks"]}
    for rule, outcome in expect.get("outcomes", {}).items():
        assert checks.get(rule) == outcome, rule
    clauses = {str(c["clause"]): c for c in result["clauses"]}
    for clause, outcome in expect.get("clause_outcomes", {}).items():
        assert clauses[clause]["outcome"] == outcome
    for clause, rules in expect.get("clause_rules", {}).items():
        inside = {c["rule"]: c["outcome"] for c in clauses[clause]["checks"]}
        for rule, outcome in rules.items():
            assert inside.get(rule) == outcome, (clause, rule)
    for field, value in expect.get("deadlines", {}).items():
        assert result["deadlines"][field] == value, field
    for pid, fields in expect.get("parameters", {}).items():
        entries = [p for p in result["parameters"] if p["id"] == pid]
        assert entries, pid
        for field, value in fields.items():
            assert any(e[field] == value for e in entries), (pid, field)
