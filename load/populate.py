"""Bulk population of the load-test database (run inside Django, on PostgreSQL, after the demo data).

Rows are written with COPY (cases, permits, documents, events); users and applicants go through
`bulk_create` because their identity fields are encrypted and keyed (HMAC) on save. The spread is
deterministic (seeded) and skewed the way a district's traffic is: a few large employers file most
cases (one of them is the demo employer `hr_tech`, so its pages carry a large employer's load), most
applicants have one or two cases, about a quarter of the cases are open with the authority.

Every table it loads is analysed at the end (a plan chosen on a freshly loaded table without
statistics is the nested loop the issue measured).
"""

from __future__ import annotations

import json
import random
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from django.db import connection, models

SEED = 20251201
BASE_DAY = date(2025, 10, 1)
# (state, weight): drafts and closed cases dominate; about 15 % is with the authority.
CASE_STATES = [
    ("draft", 10),
    ("with_employer", 4),
    ("returned_to_applicant", 2),
    ("submitted", 8),
    ("accepted", 7),
    ("returned_to_employer", 3),
    ("awaiting_ratification", 2),
    ("approved", 50),
    ("rejected", 6),
    ("withdrawn", 8),
]
KINDS = [("new", 45), ("renewal", 40), ("employer_change", 10), ("info_change", 5)]
PERMIT_STATUSES = [("valid", 70), ("renewal_due", 6), ("expired", 16), ("cancelled", 8)]
MATERIALS_APPLICANT = ["identity_card", "degree_certificate", "labour_contract", "photo", "title_certificate"]
MATERIALS_EMPLOYER = ["business_licence", "tax_certificate", "commitment_letter"]


def _weighted(rng: random.Random, table: list[tuple[str, int]], n: int) -> list[str]:
    values = [v for v, _ in table]
    weights = [w for _, w in table]
    return rng.choices(values, weights=weights, k=n)


def _skewed(rng: random.Random, count: int) -> int:
    """An index in [0, count) with a long tail: a few large employers, many small ones."""
    return min(count - 1, int(count * rng.random() ** 3))


def _defaults(model: type[models.Model]) -> dict[str, Any]:
    """Each concrete column's default, ready for COPY (JSON dumped)."""
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        value = field.get_default()
        if isinstance(field, models.JSONField):
            value = json.dumps(value)
        values[field.column] = value
    return values


def copy_rows(model: type[models.Model], rows: Iterable[dict[str, Any]], *, label: str) -> int:
    """COPY rows (column -> value; missing columns take the model's default) into the model's table."""
    defaults = _defaults(model)
    columns = list(defaults)
    table = model._meta.db_table
    start = time.perf_counter()
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {table} ({', '.join(connection.ops.quote_name(c) for c in columns)}) FROM STDIN"
        ) as copy,
    ):
        for row in rows:
            merged = defaults | row
            copy.write_row([merged[c] for c in columns])
            count += 1
    print(f"  {label}: {count:,} rows in {time.perf_counter() - start:.1f} s", flush=True)
    return count


def _sync_sequence(model: type[models.Model]) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def _next_id(model: type[models.Model]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")
        return int(cursor.fetchone()[0])


def populate(*, cases: int, permits: int, documents: int) -> None:
    from django.utils import timezone

    from accounts.models import User
    from applicants.models import Applicant
    from bench.population import create_employers
    from cases.models import Case, CaseEvent
    from employers.models import Operator
    from materials.models import Document
    from oversight.models import Sanction
    from permits.models import Permit, PermitEvent

    rng = random.Random(SEED)
    now = timezone.now()
    n_employers = max(100, cases // 50)
    n_applicants = max(permits + permits // 10, cases // 3)
    print(
        f"population: {cases:,} cases, {permits:,} permits, {documents:,} documents, "
        f"{n_employers:,} employers, {n_applicants:,} applicants",
        flush=True,
    )

    # Employers: the registry and the employers (bulk_create); the demo employer hr_tech is one of
    # the large ones (index 3 of the skewed spread).
    start = time.perf_counter()
    employer_ids = create_employers(
        n_employers, code_prefix="9111010899", name_prefix="北京负载测试科技有限公司"
    )
    demo_operator = (
        Operator.objects.filter(user__username="hr_tech").values_list("employer_id", flat=True).first()
    )
    if demo_operator is not None:
        employer_ids[3] = demo_operator
    print(f"  employers: {n_employers:,} in {time.perf_counter() - start:.1f} s", flush=True)

    # Users and applicants (bulk_create: encrypted identity number and its keyed HMAC).
    start = time.perf_counter()
    applicant_ids: list[int] = []
    first_user = _next_id(User)
    batch = 5000
    for offset in range(0, n_applicants, batch):
        size = min(batch, n_applicants - offset)
        users = User.objects.bulk_create(
            [
                User(
                    username=f"load-applicant{offset + i}",
                    email=f"load{offset + i}@load.example.cn",
                    role="applicant",
                    password="!",
                )
                for i in range(size)
            ]
        )
        created = Applicant.objects.bulk_create(
            [
                Applicant(
                    user=u,
                    name=f"负载{offset + i}",
                    id_number=f"{offset + i:017d}X",
                    birth_date=date(1965 + (offset + i) % 38, 1 + (offset + i) % 12, 1 + (offset + i) % 28),
                    sex="male" if (offset + i) % 2 else "female",
                    identity_verified_at=now,
                )
                for i, u in enumerate(users)
            ]
        )
        applicant_ids.extend(a.pk for a in created)
    print(f"  users and applicants: {n_applicants:,} in {time.perf_counter() - start:.1f} s", flush=True)
    creator = first_user
    reviewer = User.objects.filter(username="reviewer").values_list("pk", flat=True).first() or creator

    # Cases.
    first_case = _next_id(Case)
    states = _weighted(rng, CASE_STATES, cases)
    kinds = _weighted(rng, KINDS, cases)

    def case_rows() -> Iterator[dict[str, Any]]:
        for i in range(cases):
            state = states[i]
            submitted = state not in ("draft", "with_employer", "returned_to_applicant")
            day = BASE_DAY - timedelta(days=(i * 37) % 720)
            created = now - timedelta(days=(i * 37) % 720, seconds=i % 86400)
            yield {
                "id": first_case + i,
                "public_id": uuid.UUID(int=(1 << 120) + i),
                "reference": f"HL{2025}{i:09d}",
                "kind": kinds[i],
                "state": state,
                "applicant_id": applicant_ids[(i * 7919) % n_applicants],
                "employer_id": employer_ids[_skewed(rng, n_employers)],
                "claimed_clause": 1 + (i // 4) % 8,
                "submitted_on": day if submitted else None,
                "first_submitted_on": day if submitted else None,
                "submitted_at": created if submitted else None,
                "due_on": day + timedelta(days=28 + (i * 7919) % 120) if submitted else None,
                "accepted_on": day + timedelta(days=3) if state not in ("submitted",) and submitted else None,
                "decided_at": created if state in ("approved", "rejected") else None,
                "decided_by_id": reviewer if state in ("approved", "rejected") else None,
                "created_by_id": creator,
                "created_at": created,
                "updated_at": created + timedelta(days=(i % 30)),
            }

    copy_rows(Case, case_rows(), label="cases")
    _sync_sequence(Case)

    # Case events: creation for every case, submission for those submitted, decision for decided.
    def event_rows() -> Iterator[dict[str, Any]]:
        for i in range(cases):
            state = states[i]
            at = now - timedelta(days=(i * 37) % 720)
            yield {
                "case_id": first_case + i,
                "actor_id": creator,
                "actor_role": "applicant",
                "at": at,
                "action": "created",
                "from_state": "",
                "to_state": "draft",
            }
            if state not in ("draft", "with_employer", "returned_to_applicant"):
                yield {
                    "case_id": first_case + i,
                    "actor_id": creator,
                    "actor_role": "operator",
                    "at": at,
                    "action": "submitted",
                    "from_state": "with_employer",
                    "to_state": "submitted",
                }
            if state in ("approved", "rejected", "withdrawn"):
                yield {
                    "case_id": first_case + i,
                    "actor_id": reviewer,
                    "actor_role": "reviewer",
                    "at": at,
                    "action": state,
                    "from_state": "accepted",
                    "to_state": state,
                }

    copy_rows(CaseEvent, event_rows(), label="case events")

    # Permits: one current permit at most per holder (the partial unique constraint).
    first_permit = _next_id(Permit)
    statuses = _weighted(rng, PERMIT_STATUSES, permits)

    def permit_rows() -> Iterator[dict[str, Any]]:
        for i in range(permits):
            status = statuses[i]
            holder = applicant_ids[i % n_applicants]
            if i >= n_applicants and status in ("valid", "renewal_due"):
                status = "expired"
            issued = date(2022, 1, 1) + timedelta(days=(i * 13) % 1400)
            expires = issued + timedelta(days=3 * 365)
            yield {
                "id": first_permit + i,
                "public_id": uuid.UUID(int=(2 << 120) + i),
                "number": f"HLP{i:010d}",
                "holder_id": holder,
                "employer_id": employer_ids[_skewed(rng, n_employers)],
                "issued_on": issued,
                "expires_on": expires,
                "status": status,
                "cancelled_on": expires - timedelta(days=100) if status == "cancelled" else None,
                "created_at": now,
                "updated_at": now,
            }

    copy_rows(Permit, permit_rows(), label="permits")
    _sync_sequence(Permit)
    copy_rows(
        PermitEvent,
        (
            {
                "permit_id": first_permit + i,
                "kind": "issued",
                "on": date(2022, 1, 1),
                "details": "{}",
                "created_at": now,
            }
            for i in range(permits)
        ),
        label="permit events",
    )

    # Documents' metadata (no files: the pages list them, they are not downloaded under load).
    def document_rows() -> Iterator[dict[str, Any]]:
        for i in range(documents):
            employer_doc = i % 10 == 0
            material = (MATERIALS_EMPLOYER if employer_doc else MATERIALS_APPLICANT)[
                i % 3 if employer_doc else i % 5
            ]
            yield {
                "public_id": uuid.UUID(int=(3 << 120) + i),
                "material": material,
                "employer_id": employer_ids[_skewed(rng, n_employers)] if employer_doc else None,
                "applicant_id": None if employer_doc else applicant_ids[(i * 31) % n_applicants],
                "file": f"documents/load/{i:09d}.pdf",
                "original_name": f"{material}.pdf",
                "content_type": "application/pdf",
                "size": 200_000 + (i * 7) % 800_000,
                "sha256": f"{i:064x}",
                "pages": 1 + i % 4,
                "check_status": "passed",
                "check_done": 1,
                "check_total": 1,
                "checked_at": now,
                "uploaded_by_id": creator,
                "uploaded_at": now - timedelta(days=i % 700),
            }

    copy_rows(Document, document_rows(), label="documents")

    # Sanctions: a few employers and applicants, mostly active or lifted.
    supervisor = User.objects.filter(username="supervisor").values_list("pk", flat=True).first() or creator
    supervisor2 = User.objects.filter(username="supervisor2").values_list("pk", flat=True).first() or reviewer

    def sanction_rows() -> Iterator[dict[str, Any]]:
        for i in range(max(10, cases // 500)):
            on_employer = i % 2 == 0
            yield {
                "public_id": uuid.UUID(int=(4 << 120) + i),
                "employer_id": employer_ids[n_employers - 1 - i % (n_employers // 2)]
                if on_employer
                else None,
                "applicant_id": None if on_employer else applicant_ids[(i * 101) % n_applicants],
                "kind": "blacklist" if i % 3 else "disqualification",
                "reason": "负载测试：提供虚假材料",
                "starts_on": BASE_DAY - timedelta(days=i % 400),
                "ends_on": BASE_DAY + timedelta(days=365 * 3),
                "status": "active" if i % 4 else "lifted",
                "proposed_by_id": supervisor,
                "proposed_at": now,
                "decided_by_id": supervisor2,
                "decided_at": now,
            }

    copy_rows(Sanction, sanction_rows(), label="sanctions")

    # Inbox: a notification for the applicant of every case that left the draft (half of them read).
    from core.models import Notification

    applicant_users = dict(Applicant.objects.filter(pk__in=applicant_ids).values_list("pk", "user_id"))

    def notification_rows() -> Iterator[dict[str, Any]]:
        for i in range(cases):
            if states[i] in ("draft", "with_employer"):
                continue
            at = now - timedelta(days=(i * 37) % 720)
            yield {
                "user_id": applicant_users[applicant_ids[(i * 7919) % n_applicants]],
                "subject": f"您的业务 HL2025{i:09d} 状态已更新",
                "body": "请登录查看。",
                "url": "/cases/",
                "created_at": at,
                "read_at": at if i % 2 else None,
            }

    copy_rows(Notification, notification_rows(), label="notifications")

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  ANALYZE: {time.perf_counter() - start:.1f} s", flush=True)


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    cases, permits, documents = (int(a) for a in sys.argv[1:4])
    assert connection.vendor == "postgresql", "the load database is PostgreSQL"
    populate(cases=cases, permits=permits, documents=documents)


if __name__ == "__main__":
    main()
