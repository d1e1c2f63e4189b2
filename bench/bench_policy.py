"""Policy engine throughput: parse_facts + evaluate over synthetic `new` cases.

Prints cases per second and the ratio of the engine's time to `json.loads` of the same cases
(measured in the same run, since these machines are noisy).
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Callable
from typing import Any

from policy import evaluate, load_parameters, parse_facts

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


def _timed(work: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of `work()`; CPU time is the steadier figure on
    a shared machine, where other processes take turns on the cores."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    count = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else CASES
    rng = random.Random(20251120)
    texts = [json.dumps(synthetic_case(rng), ensure_ascii=False) for _ in range(count)]
    parameters = load_parameters()
    evaluate(parse_facts(json.loads(texts[0])), parameters)  # warm caches (calendar, parameters)

    decoded: list[dict[str, Any]] = []
    decisions: dict[str, int] = {}

    def loads() -> None:
        decoded.extend(json.loads(t) for t in texts)

    def engine() -> None:
        for data in decoded:
            result = evaluate(parse_facts(data), parameters)
            decisions[result.decision] = decisions.get(result.decision, 0) + 1

    loads_wall, loads_cpu = _timed(loads)
    engine_wall, engine_cpu = _timed(engine)
    print(f"cases: {count}")
    loads_rate = count / loads_cpu
    print(f"json.loads: wall {loads_wall:.3f} s, cpu {loads_cpu:.3f} s ({loads_rate:,.0f} cases/s cpu)")
    print(
        f"parse_facts + evaluate: wall {engine_wall:.3f} s, cpu {engine_cpu:.3f} s "
        f"({count / engine_cpu:,.0f} cases/s cpu, {count / engine_wall:,.0f} wall)"
    )
    ratio_cpu, ratio_wall = engine_cpu / loads_cpu, engine_wall / loads_wall
    print(f"ratio evaluate / json.loads: {ratio_cpu:.1f}x cpu, {ratio_wall:.1f}x wall")
    print(f"decisions: {dict(sorted(decisions.items()))}")


if __name__ == "__main__":
    main()
