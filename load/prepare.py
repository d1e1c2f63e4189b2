"""Helpers of `make load` that run inside Django against the load database.

`prepare POOL_FILE`: prints (last line, JSON) what the scenario needs: the demo applicant's case, a
case in the reviewer's queue, the version of the generated cases, facts for the public API; writes
the public ids of accepted generated cases (the reviewer decisions' pool) to POOL_FILE.

`explain`: renders each page once through the test client, takes the page's slowest query (its
"main query") and prints it with `EXPLAIN (ANALYZE, BUFFERS)`, with the page's query count (Markdown).
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from typing import Any

import django


def prepare(pool_file: str) -> dict[str, Any]:
    from bench.bench_policy import synthetic_case
    from cases.models import Case

    applicant_case = Case.objects.filter(applicant__user__username="applicant1").order_by("id").first()
    pool = Case.objects.filter(state="accepted", reference__startswith="HL").order_by("-id")
    ids = list(pool.values_list("public_id", "version")[:20000])
    with open(pool_file, "w") as handle:
        handle.write("\n".join(str(public_id) for public_id, _ in ids) + "\n")
    review_case = pool.order_by("due_on", "id").values_list("public_id", flat=True).first()
    facts = synthetic_case(random.Random(7))
    return {
        "applicant_case": str(applicant_case.public_id) if applicant_case else "",
        "review_case": str(review_case),
        "case_version": ids[0][1] if ids else 1,
        "api_facts": facts,
    }


PAGES = [
    ("anonymous home", None, "/"),
    ("self-check (GET)", None, "/eligibility/self-check/"),
    ("applicant home", "applicant1", "/"),
    ("applicant profile", "applicant1", "/applicants/profile/"),
    ("inbox", "applicant1", "/inbox/"),
    ("employer home", "hr_tech", "/"),
    ("employer case list", "hr_tech", "/cases/"),
    ("employer permits", "hr_tech", "/permits/"),
    ("reviewer queue", "reviewer", "/cases/review/"),
    ("reviewer queue, kind + clause", "reviewer", "/cases/review/?kind=renewal&clause=3"),
]


def explain() -> str:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from accounts.testing import login_staff

    out: list[str] = []
    for label, username, path in PAGES:
        client = Client()
        if username:
            user = User.objects.get(username=username)
            if getattr(user, "is_district_staff", False):
                login_staff(client, user)
            else:
                client.force_login(user)
        client.get(path)  # warm
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            client.get(path)
            best = min(best, time.perf_counter() - start)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        timed = [(float(q["time"]), q["sql"]) for q in queries.captured_queries]
        sql_ms = sum(t for t, _ in timed) * 1000
        out.append(
            f"### {label} (`{path}`): {response.status_code}, {len(timed)} queries, "
            f"{best * 1000:.1f} ms through the test client (best of 3), {sql_ms:.1f} ms of SQL"
        )
        if not timed:
            out.append("")
            continue
        slowest_time, sql = max(timed)
        if "django_session" in sql:
            candidates = [t for t in timed if "django_session" not in t[1]]
            if candidates:
                slowest_time, sql = max(candidates)
        out.append(f"slowest query {slowest_time * 1000:.1f} ms:\n\n```sql\n{sql}\n```\n")
        with connection.cursor() as cursor:
            try:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            except Exception as exc:  # a query with parameters quoted away: show why, keep going
                plan = f"(EXPLAIN failed: {type(exc).__name__}: {exc})"
        out.append(f"```\n{plan}\n```\n")
    return "\n".join(out)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["AXES_ENABLED"] = "0"  # the test client's force_login has no request for django-axes
    django.setup()
    if sys.argv[1] == "prepare":
        print(json.dumps(prepare(sys.argv[2])))
    else:
        print(explain())


if __name__ == "__main__":
    main()
