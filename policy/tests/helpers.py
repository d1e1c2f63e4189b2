"""Building blocks for the policy tests: a valid base case and shortcuts to evaluate it."""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from policy import evaluate, load_parameters, parse_facts
from policy.parameters import ParameterSet

EXAMPLES = Path(__file__).resolve().parent / "examples"


@lru_cache(maxsize=1)
def _base() -> dict[str, Any]:
    return json.loads((EXAMPLES / "base-eligible-clause1.json").read_text(encoding="utf-8"))["input"]


def base_case() -> dict[str, Any]:
    """A fresh copy of the contract's base case (new, eligible under clause 1, as_of 2025-11-20)."""
    return copy.deepcopy(_base())


@lru_cache(maxsize=1)
def renewal_base() -> dict[str, Any]:
    return json.loads((EXAMPLES / "renewal-guide-example-in-time.json").read_text(encoding="utf-8"))["input"]


def renewal_case() -> dict[str, Any]:
    """The guide's renewal example (expiry 2022-08-06, submitted Fri 2022-07-08)."""
    return copy.deepcopy(renewal_base())


@lru_cache(maxsize=1)
def parameters() -> ParameterSet:
    return load_parameters()


def run(data: dict[str, Any], lang: str = "zh", params: ParameterSet | None = None) -> dict[str, Any]:
    """parse + evaluate + dump as the contract's JSON."""
    return evaluate(parse_facts(data), params or parameters(), lang=lang).model_dump(mode="json")


def check(result: dict[str, Any], rule: str) -> dict[str, Any]:
    """The top-level check of `rule`."""
    found = [c for c in result["checks"] if c["rule"] == rule]
    assert len(found) == 1, f"{rule} appears {len(found)} times"
    return found[0]


def clause_check(result: dict[str, Any], clause: int, rule: str) -> dict[str, Any]:
    """The check of `rule` inside clause `clause`."""
    entry = result["clauses"][clause - 1]
    assert entry["clause"] == clause
    found = [c for c in entry["checks"] if c["rule"] == rule]
    assert len(found) == 1
    return found[0]


def months(start: str, count: int, amount: int) -> list[dict[str, Any]]:
    """`count` consecutive monthly income records from `start` (YYYY-MM), each `amount`."""
    year, month = int(start[:4]), int(start[5:7])
    out = []
    for _ in range(count):
        out.append({"month": f"{year:04d}-{month:02d}", "amount": amount, "corrected": False})
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out
