"""Policy simulation (issue 14): N generated `new` cases evaluated under baseline and reform.

Each worker process stands for one `db_worker` taking chunk tasks: it generates its chunks' facts one
chunk (1,000 cases) at a time (streaming, never the whole population), evaluates every case under
the parameters in force and under the draft "P-WAGE-MONTHLY 12,300" and adds them to the chunk's
tally, exactly as `simulations.chunks.run_chunk` does after reading a chunk from the database.

Usage: `python -m bench bench_simulation` (N = SIM_BENCH_CASES, default 100,000; workers =
SIM_BENCH_WORKERS, default 2 = the cores of this machine). Reports wall time, CPU time,
evaluations per second (two per case) and the peak resident memory of each worker.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import resource
import time
from datetime import date
from typing import Any

CHUNK = 1_000


def _work(args: tuple[int, int, int]) -> tuple[dict[str, Any], float, int]:
    worker, workers, count = args
    from bench.bench_policy import synthetic_case
    from policy import load_parameters, parse_facts
    from policy.parameters import ParameterValue
    from policy.simulation import overlay
    from simulations import tally

    baseline = load_parameters()
    reform = overlay(baseline, [ParameterValue("P-WAGE-MONTHLY", date(2025, 1, 1), 12300, "bench")])
    total = tally.new_tally()
    start = time.process_time()
    for number in range(worker, (count + CHUNK - 1) // CHUNK, workers):
        rng = random.Random(number)
        size = min(CHUNK, count - number * CHUNK)
        chunk = tally.new_tally()
        for _ in range(size):
            facts = parse_facts(synthetic_case(rng))
            before, after = tally.evaluate_pair(facts, baseline, reform, None)
            tally.add(chunk, facts, before, after)
        tally.merge(total, chunk)
    cpu = time.process_time() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return total, cpu, peak_kib


def main() -> None:
    count = int(os.environ.get("SIM_BENCH_CASES", "100000"))
    workers = int(os.environ.get("SIM_BENCH_WORKERS", "2"))
    load = os.getloadavg()
    wall = time.perf_counter()
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        parts = pool.map(_work, [(w, workers, count) for w in range(workers)])
    wall = time.perf_counter() - wall
    from simulations import tally

    counts = tally.total(part[0] for part in parts)
    cpu = sum(part[1] for part in parts)
    evaluations = 2 * counts["evaluated"]
    print(
        f"cases: {count:,} baseline + reform = {evaluations:,} evaluations, {workers} worker processes, "
        f"load average before {load[0]:.1f}"
    )
    print(f"wall time       {wall:8.1f} s   {evaluations / wall:9,.0f} evaluations/s")
    print(f"CPU time (sum)  {cpu:8.1f} s   {evaluations / cpu:9,.0f} evaluations/s per busy core")
    print(f"peak memory per worker: {', '.join(f'{p[2] / 1024:.0f} MiB' for p in parts)}")
    print(f"decision flips: {dict(sorted(counts['transitions'].items()))}")
