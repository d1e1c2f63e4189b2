"""Policy engine throughput over synthetic `new` cases, in CPU time of this process.

Reports each path of the engine against `json.loads` of the same cases, measured in the same run
(these machines are shared, so the ratios are the steady figures):

- parse from text: `parse_facts_json(text)` (what the doors receive) and `parse_facts(json.loads(text))`;
- evaluate: `evaluate(facts)` on facts parsed beforehand;
- end to end: text to result, and text to the contract's JSON (`model_dump(mode="json")`).

The inputs are built and decoded before timing and then frozen out of the garbage collector, so
that no stage pays for scanning the others' data; each stage discards what it produces.
"""

from __future__ import annotations

import gc
import json
import random
import sys
import time
from collections.abc import Callable
from typing import Any

from policy import Facts, ParameterSet, evaluate, load_parameters, parse_facts
from policy.facts import parse_facts_json

CASES = 100_000

KINDS = [
    "enterprise",
    "enterprise",
    "enterprise",
    "public_institution",
    "private_non_enterprise",
    "social_organization",
]
DEGREES = ["none", "associate", "bachelor", "bachelor", "master", "doctor"]
TITLES = [None, None, None, "junior", "intermediate", "senior"]
RESIDENCES = ["residence_card", "owned", "rented", "rented", "employer_housing", "relatives"]
HUKOU = ["non_beijing"] * 8 + ["beijing_collective", "beijing"]


def _day(rng: random.Random, first_year: int, last_year: int) -> str:
    return f"{rng.randrange(first_year, last_year)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"


def synthetic_case(rng: random.Random) -> dict[str, Any]:
    """One plausible `new` case accepted on 2025-11-20, varied enough to reach every rule branch."""
    ai = rng.random() < 0.1
    months = 3 if ai else 6
    last_month = 10 if rng.random() < 0.9 else 8
    salary = rng.randrange(8_000, 60_000)
    income = [
        {
            "month": f"2025-{m:02d}",
            "amount": max(0, salary + rng.randrange(-3_000, 3_000)),
            "corrected": rng.random() < 0.01,
        }
        for m in range(last_month - months + 1, last_month + 1)
    ]
    return {
        "business": "new",
        "as_of": "2025-11-20",
        "submitted_on": "2025-11-20",
        "employer": {
            "kind": rng.choice(KINDS),
            "registered_district": "haidian" if rng.random() < 0.95 else "chaoyang",
            "tax_registered_on": f"{rng.randrange(2010, 2026)}-{rng.randrange(1, 13):02d}-01",
            "registered_capital": rng.randrange(100_000, 50_000_000),
            "annual_tax": rng.randrange(50_000, 5_000_000),
            "ai_key_area": ai,
            "growth_tech": rng.random() < 0.1,
            "innovation_entity": rng.random() < 0.2,
            "service_entity": rng.random() < 0.05,
            "receive_only": rng.random() < 0.02,
            "sanctioned": rng.random() < 0.01,
        },
        "applicant": {
            "birth_date": _day(rng, 1962, 2003),
            "retirement_category": rng.choice(["male", "female_55", "female_50"]),
            "hukou": rng.choice(HUKOU),
            "employed_since": f"{rng.randrange(2015, 2026)}-{rng.randrange(1, 13):02d}-01",
            "residence": {
                "kind": rng.choice(RESIDENCES),
                "in_beijing": rng.random() < 0.98,
                "residential": True,
            },
            "same_employer": {
                "contract": True,
                "tax_withholding": True,
                "social_insurance": rng.random() < 0.98,
            },
            "social_insurance_continuous": rng.random() < 0.97,
            "monthly_income": income,
            "annual_income": [{"year": y, "amount": salary * 12} for y in (2022, 2023, 2024)],
            "degree": rng.choice(DEGREES),
            "work_periods": [{"start": f"{rng.randrange(2005, 2025)}-07-01", "end": None}],
            "title": rng.choice(TITLES),
            "awards": [{"level": "provincial", "prize": rng.randrange(1, 4), "field": "science"}]
            if rng.random() < 0.05
            else [],
            "ip": [{"kind": "invention_patent", "author_rank": rng.randrange(1, 4)}]
            if rng.random() < 0.05
            else [],
            "ip_commercialised_in_beijing": rng.random() < 0.5,
            "startup": None,
            "freelancer_annual_tax": [],
            "sanctioned": False,
            "children": [{"birth_date": f"{rng.randrange(2005, 2025)}-03-01", "hukou": "non_beijing"}]
            if rng.random() < 0.4
            else [],
        },
        "permit": None,
        "documents": [
            {
                "kind": "labour_contract",
                "valid_until": f"{rng.randrange(2026, 2030)}-02-28",
                "issued_on": None,
            },
            {"kind": "integrity", "valid_until": None, "issued_on": "2025-11-01"},
        ],
    }


CHUNK = 1_000


def _cpu(work: Callable[[], object]) -> float:
    """CPU seconds of this process spent in `work()` (steadier than wall time on a shared machine)."""
    start = time.process_time()
    work()
    return time.process_time() - start


def _evaluate_cpu(texts: list[str], parameters: ParameterSet) -> float:
    """CPU seconds of `evaluate` alone: each chunk is parsed untimed, then evaluated under the clock."""
    total = 0.0
    for first in range(0, len(texts), CHUNK):
        facts = [parse_facts_json(t) for t in texts[first : first + CHUNK]]

        def work(facts: list[Facts] = facts) -> None:
            for one in facts:
                evaluate(one, parameters)

        total += _cpu(work)
    return total


def _line(label: str, seconds: float, count: int, baseline: float) -> str:
    per_case = f"{seconds / count * 1e6:8.1f} µs"
    return f"{label:<38} {per_case}  {count / seconds:9,.0f} cases/s  {seconds / baseline:5.1f}x json.loads"


def main() -> None:
    count = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else CASES
    rng = random.Random(20251120)
    texts = [json.dumps(synthetic_case(rng), ensure_ascii=False) for _ in range(count)]
    decoded = [json.loads(t) for t in texts]
    parameters = load_parameters()
    evaluate(parse_facts(decoded[0]), parameters)  # warm caches (calendar, parameters)
    gc.collect()
    gc.freeze()
    decisions: dict[str, int] = {}

    def loads() -> None:
        for text in texts:
            json.loads(text)

    def parse_dicts() -> None:
        for data in decoded:
            parse_facts(data)

    def parse_loads() -> None:
        for text in texts:
            parse_facts(json.loads(text))

    def parse_text() -> None:
        for text in texts:
            parse_facts_json(text)

    def engine() -> None:
        for data in decoded:
            result = evaluate(parse_facts(data), parameters)
            decisions[result.decision] = decisions.get(result.decision, 0) + 1

    def text_to_result() -> None:
        for text in texts:
            evaluate(parse_facts_json(text), parameters)

    def text_to_json() -> None:
        for text in texts:
            evaluate(parse_facts_json(text), parameters).model_dump(mode="json")

    base = _cpu(loads)
    print(f"cases: {count} (CPU time; ratios against json.loads of the same texts, same run)")
    print(_line("json.loads(text)", base, count, base))
    print(_line("parse_facts(dict)", _cpu(parse_dicts), count, base))
    print(_line("parse_facts(json.loads(text))", _cpu(parse_loads), count, base))
    print(_line("parse_facts_json(text)", _cpu(parse_text), count, base))
    print(_line("evaluate(facts)", _evaluate_cpu(texts, parameters), count, base))
    print(_line("parse_facts(dict) + evaluate", _cpu(engine), count, base))
    print(_line("parse_facts_json(text) + evaluate", _cpu(text_to_result), count, base))
    print(_line("... + model_dump(mode='json')", _cpu(text_to_json), count, base))
    print(f"decisions: {dict(sorted(decisions.items()))}")
    gc.unfreeze()


if __name__ == "__main__":
    main()
