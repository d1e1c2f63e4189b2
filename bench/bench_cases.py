"""Bench: the reviewer queue (/cases/review/) over many cases against a trivial page (/healthz) on the
same server, both through Django's test Client; prints the ratio and the queue's query count.

On PostgreSQL (DATABASE_URL=postgres://...) it generates 1,000,000 cases with COPY; on SQLite
100,000 with bulk_create (BENCH_CASES_N overrides either). Everything happens in a throw-away test
database that is dropped at the end.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

from django.db import connection

from bench.population import create_employers

EMPLOYERS = 1000
APPLICANTS = 1000
STATES = ["submitted", "accepted", "submitted", "accepted", "approved", "returned_to_employer", "draft"]
KINDS = ["new", "renewal", "employer_change", "info_change"]
BASE_DAY = date(2025, 10, 1)


def _count() -> int:
    if "BENCH_CASES_N" in os.environ:
        return int(os.environ["BENCH_CASES_N"])
    return 1_000_000 if connection.vendor == "postgresql" else 100_000


def _row(i: int, employer_ids: list[int], applicant_ids: list[int], creator: int, now: Any) -> dict[str, Any]:
    state = STATES[i % len(STATES)]
    submitted = state != "draft"
    return {
        "public_id": uuid.UUID(int=i + 1),
        "reference": f"HB{2025}{i:08d}",
        "kind": KINDS[i % 4],
        "state": state,
        "applicant_id": applicant_ids[i % len(applicant_ids)],
        "employer_id": employer_ids[(i * 7) % len(employer_ids)],
        "claimed_clause": 1 + (i // 4) % 8,
        "submitted_on": BASE_DAY + timedelta(days=i % 90) if submitted else None,
        "submitted_at": now if submitted else None,
        "due_on": BASE_DAY + timedelta(days=28 + (i * 7919) % 120) if submitted else None,
        "created_by_id": creator,
        "created_at": now,
        "updated_at": now,
    }


def _defaults() -> dict[str, Any]:
    from cases.models import Case

    values: dict[str, Any] = {}
    for field in Case._meta.concrete_fields:
        if field.primary_key:
            continue
        values[field.attname] = field.get_default()
    return values


def _generate(n: int) -> None:
    from django.utils import timezone
    from tqdm import tqdm

    from accounts.models import User
    from applicants.models import Applicant
    from cases.models import Case

    now = timezone.now()
    employer_ids = create_employers(
        EMPLOYERS, code_prefix="9111010877", name_prefix="北京基准案件科技有限公司"
    )
    users = User.objects.bulk_create(
        [
            User(username=f"case-bench{i}", email=f"case-bench{i}@bench.cn", role="applicant", password="!")
            for i in range(APPLICANTS)
        ],
        batch_size=1000,
    )
    applicants = Applicant.objects.bulk_create(
        [
            Applicant(
                user=u,
                name=f"测试{i}",
                id_number=f"{i:018d}",
                birth_date=date(1990, 1, 1),
                sex="male",
                identity_verified_at=now,
            )
            for i, u in enumerate(users)
        ],
        batch_size=1000,
    )
    applicant_ids = [a.pk for a in applicants]
    creator = users[0].pk
    defaults = _defaults()
    rows: Iterator[dict[str, Any]] = (
        {**defaults, **_row(i, employer_ids, applicant_ids, creator, now)} for i in range(n)
    )
    rows = tqdm(rows, total=n, desc="cases", mininterval=5)
    if connection.vendor == "postgresql":
        import json

        columns = list(defaults) + [c for c in _row(0, [1], [1], 1, now) if c not in defaults]
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY cases_case ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(
                    [json.dumps(row[c]) if isinstance(row[c], list | dict) else row[c] for c in columns]
                )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_case")
    else:
        batch: list[Case] = []
        for row in rows:
            batch.append(Case(**row))
            if len(batch) == 5000:
                Case.objects.bulk_create(batch)
                batch = []
        if batch:
            Case.objects.bulk_create(batch)


def _time(fn: Callable[[], Any], repeat: int) -> float:
    fn()
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from accounts.testing import login_staff

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        n = _count()
        print(f"database: {connection.vendor}, cases: {n:,}", flush=True)
        start = time.perf_counter()
        _generate(n)
        print(f"generate: {time.perf_counter() - start:.1f} s", flush=True)

        reviewer = User.objects.create_user(username="bench-reviewer", email="rv@bench.cn", role="reviewer")
        client = Client()
        login_staff(client, reviewer)
        queue_first = client.get("/cases/review/")
        assert queue_first.status_code == 200, queue_first.status_code
        cursor = queue_first.content.decode().split("after=")[1].split('"')[0]
        deep = f"/cases/review/?after={cursor}"
        filtered = "/cases/review/?kind=renewal&clause=3"

        t_trivial = _time(lambda: client.get("/healthz"), 20)
        t_queue = _time(lambda: client.get("/cases/review/"), 10)
        t_deep = _time(lambda: client.get(deep), 10)
        t_filtered = _time(lambda: client.get(filtered), 10)
        with CaptureQueriesContext(connection) as first_page:
            client.get("/cases/review/")
        with CaptureQueriesContext(connection) as next_page:
            client.get(deep)
        print(f"trivial page /healthz: {t_trivial * 1000:.1f} ms")
        print(f"queue first page: {t_queue * 1000:.1f} ms (ratio {t_queue / t_trivial:.1f}×)")
        print(f"queue next page (keyset): {t_deep * 1000:.1f} ms (ratio {t_deep / t_trivial:.1f}×)")
        ratio = t_filtered / t_trivial
        print(f"queue filtered (kind + clause): {t_filtered * 1000:.1f} ms (ratio {ratio:.1f}×)")
        queries = (len(first_page.captured_queries), len(next_page.captured_queries))
        print(f"queries: first page {queries[0]}, next page {queries[1]}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
