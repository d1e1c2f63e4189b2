"""Policy simulation (issue 14): N generated `new` cases evaluated under baseline and reform.

Each worker process stands for one `db_worker` taking chunk tasks: it generates its chunks' facts one
chunk (1,000 cases) at a time (streaming, never the whole population), evaluates every case under
the parameters in force and under the draft "P-WAGE-MONTHLY 12,300" and adds them to the chunk's
tally, exactly as `simulations.chunks.run_chunk` does after reading a chunk from the database.

Usage: `python -m bench bench_simulation` (N = SIM_BENCH_CASES, default 100,000; workers =
SIM_BENCH_WORKERS, default 2 = the cores of this machine). Reports wall time, CPU time,
evaluations per second (two per case) and the peak resident memory of each worker.

Then the product's path end to end in a throw-away test database: SIM_BENCH_DB_CASES (default
2,000) generated cases (`bench_cases`), a run over the open ones started by `services.start_run`, its
chunk tasks run in this process (`simulations.chunks.run_chunk`: facts read from the database one id
range at a time); reports subjects per second including the database reads.
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
    _database_run(int(os.environ.get("SIM_BENCH_DB_CASES", "2000")))


def _database_run(count: int) -> None:
    from django.db import connection

    from accounts.models import User
    from bench.bench_cases import _generate
    from simulations import chunks, selectors, services
    from simulations.models import Chunk

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        _generate(count)
        supervisor = User.objects.create_user(username="sim-bench", email="sim@bench.cn", role="supervisor")
        draft = services.create_draft(
            actor=supervisor,
            name="bench",
            values=[
                {
                    "parameter_id": "P-WAGE-MONTHLY",
                    "effective_from": "2025-01-01",
                    "value": "12300",
                    "citation": "b",
                }
            ],
        )
        start = time.perf_counter()
        # Without the database queue the chunk tasks run in this process as the run starts; the loop
        # finds them done (with TASKS_BACKEND=database it runs them here instead of a worker).
        run = services.start_run(draft, actor=supervisor, on=date(2025, 11, 20), populations=["open_cases"])
        for chunk_id in Chunk.objects.filter(run=run).values_list("pk", flat=True):
            chunks.run_chunk(chunk_id)
        wall = time.perf_counter() - start
        counts = selectors.summary(run)
        subjects = counts["evaluated"] + counts["errors"] + counts["skipped"]
        print(
            f"database path ({connection.vendor}): {subjects:,} open cases of {count:,} generated, "
            f"{run.chunks_total} chunks, one process: {wall:.1f} s, {subjects / wall:,.0f} cases/s "
            f"({2 * counts['evaluated'] / wall:,.0f} evaluations/s), peak memory "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
