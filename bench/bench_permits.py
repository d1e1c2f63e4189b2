"""Bench: the annual inspection (INSPECTION) over many permits, against one hand-written set-based SQL
query classifying the same rows; and confirmation slips rendered per second.

On PostgreSQL (DATABASE_URL=postgres://...) it generates 1,000,000 permits with COPY; on SQLite a
smaller count with bulk_create (BENCH_PERMITS_N overrides either). Everything happens in a throw-away
test database that is dropped at the end.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from django.db import connection

from bench.population import create_employers

AS_OF = date(2026, 3, 2)
EMPLOYERS = 2000


def _count() -> int:
    if "BENCH_PERMITS_N" in os.environ:
        return int(os.environ["BENCH_PERMITS_N"])
    return 1_000_000 if connection.vendor == "postgresql" else 20_000


def _copy(table: str, columns: list[str], rows: Iterable[Sequence[object]]) -> None:
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _generate(n: int) -> None:
    from django.utils import timezone
    from tqdm import tqdm

    from accounts.models import User
    from applicants.models import Applicant
    from employers.models import Association
    from oversight.models import Sanction
    from permits.models import Permit

    now = timezone.now()
    employer_ids = create_employers(
        EMPLOYERS,
        code_prefix="9111010800",
        name_prefix="北京基准测试科技有限公司",
        # every 250th employer deregistered: on the inspection day, the day before, the day after
        deregistered_on=lambda i: AS_OF + timedelta(days=(i // 250) % 3 - 1) if i % 250 == 7 else None,
    )
    reviewer = User.objects.create_user(username="bench-reviewer", email="r@bench.cn", role="reviewer")
    Sanction.objects.bulk_create(
        [
            Sanction(
                employer_id=employer_ids[i],
                kind="blacklist",
                reason="bench",
                starts_on=date(2025, 1, 1),
                status="active",
                proposed_by=reviewer,
            )
            for i in range(0, EMPLOYERS, 200)
        ]
    )

    def expiry(i: int) -> date:
        return AS_OF - timedelta(days=200) + timedelta(days=(i * 7919) % 1300)

    def status(i: int) -> str:
        if i % 97 == 0:
            return "cancelled"
        return "expired" if expiry(i) < AS_OF - timedelta(days=30) else "valid"

    first_user = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    if connection.vendor == "postgresql":
        _copy(
            "accounts_user",
            [
                "id",
                "password",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "role",
                "phone",
                "display_name",
            ],
            tqdm(
                (
                    (
                        first_user + i,
                        "!",
                        False,
                        f"bench{i}",
                        "",
                        "",
                        f"bench{i}@bench.cn",
                        False,
                        True,
                        now,
                        "applicant",
                        "",
                        "",
                    )
                    for i in range(n)
                ),
                total=n,
                desc="users",
                mininterval=5,
            ),
        )
        _copy(
            "applicants_applicant",
            [
                "id",
                "user_id",
                "name",
                "id_number",
                "birth_date",
                "sex",
                "identity_provider",
                "identity_verified_at",
                "retirement_category",
                "hukou",
                "hukou_address",
                "degree",
                "school",
                "education_verification",
                "has_title",
                "title",
                "title_route",
                "title_verifiable_online",
                "residence_kind",
                "residence_address",
                "residence_in_beijing",
                "residence_residential",
                "landlord",
                "co_owned",
                "created_at",
                "updated_at",
                "version",
                "public_id",
            ],
            tqdm(
                (
                    (
                        i + 1,
                        first_user + i,
                        f"测试{i}",
                        f"{i:018d}",
                        date(1990, 1, 1),
                        "male",
                        "dev",
                        now,
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        False,
                        "",
                        "",
                        True,
                        "",
                        "",
                        True,
                        True,
                        "",
                        False,
                        now,
                        now,
                        1,
                        _uuid(i),
                    )
                    for i in range(n)
                ),
                total=n,
                desc="applicants",
                mininterval=5,
            ),
        )
        _copy(
            "permits_permit",
            [
                "id",
                "public_id",
                "number",
                "holder_id",
                "employer_id",
                "issued_on",
                "expires_on",
                "status",
                "cancel_reason",
                "created_at",
                "updated_at",
            ],
            tqdm(
                (
                    (
                        i + 1,
                        _uuid(n + i),
                        f"京工居B{i:09d}",
                        i + 1,
                        employer_ids[i % EMPLOYERS],
                        expiry(i) - timedelta(days=1095),
                        expiry(i),
                        status(i),
                        "",
                        now,
                        now,
                    )
                    for i in range(n)
                ),
                total=n,
                desc="permits",
                mininterval=5,
            ),
        )
        with connection.cursor() as cursor:
            for table in ("accounts_user", "applicants_applicant", "permits_permit"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
    else:
        users = User.objects.bulk_create(
            [
                User(username=f"bench{i}", email=f"bench{i}@bench.cn", password="!", role="applicant")
                for i in range(n)
            ],
            batch_size=2000,
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
            batch_size=2000,
        )
        Permit.objects.bulk_create(
            [
                Permit(
                    number=f"京工居B{i:09d}",
                    holder=a,
                    employer_id=employer_ids[i % EMPLOYERS],
                    issued_on=expiry(i) - timedelta(days=1095),
                    expires_on=expiry(i),
                    status=status(i),
                )
                for i, a in enumerate(applicants)
            ],
            batch_size=2000,
        )
    holders = list(Permit.objects.order_by("pk").values_list("holder_id", "employer_id")[:n])
    associations = []
    for i, (holder_id, employer_id) in enumerate(holders):
        if i % 20 == 0:
            associations.append(
                Association(applicant_id=holder_id, employer_id=employer_id, status="dissociated")
            )
            if i % 40 == 0:
                other = employer_ids[(i + 1) % EMPLOYERS]
                associations.append(Association(applicant_id=holder_id, employer_id=other, status="approved"))
    Association.objects.bulk_create(associations, batch_size=5000)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


def _uuid(i: int) -> str:
    return f"{i:032x}"


SQL = """
SELECT reason, count(*) FROM (
  SELECT CASE
    WHEN p.status = 'expired' OR p.expires_on < %(as_of)s THEN 'expired'
    WHEN EXISTS (SELECT 1 FROM employers_association a WHERE a.applicant_id = p.holder_id
                 AND a.employer_id = p.employer_id AND a.status = 'dissociated')
     AND NOT EXISTS (SELECT 1 FROM employers_association b WHERE b.applicant_id = p.holder_id
                 AND b.status = 'approved') THEN 'dissociated'
    WHEN EXISTS (SELECT 1 FROM employers_employer e JOIN employers_registryentry r ON r.id = e.registry_id
                 WHERE e.id = p.employer_id AND r.deregistered_on <= %(as_of)s) THEN 'employer_deregistered'
    WHEN EXISTS (SELECT 1 FROM oversight_sanction s WHERE s.employer_id = p.employer_id
                 AND s.kind IN ('blacklist', 'disqualification')
                 AND s.status IN ('active', 'lift_proposed', 'lifted') AND s.starts_on <= %(as_of)s
                 AND (s.ends_on IS NULL OR s.ends_on >= %(as_of)s)
                 AND NOT (s.status = 'lifted' AND s.lift_on <= %(as_of)s)) THEN 'employer_sanctioned'
    WHEN p.expires_on BETWEEN %(as_of)s AND %(limit)s AND NOT EXISTS (
                 SELECT 1 FROM cases_case c WHERE c.applicant_id = p.holder_id AND c.kind = 'renewal'
                 AND c.submitted_on IS NOT NULL AND c.state IN %(open)s) THEN 'renewal_overdue'
    ELSE '' END AS reason
  FROM permits_permit p WHERE p.status <> 'cancelled'
) classified WHERE reason <> '' GROUP BY reason
"""


def _set_based(limit: date) -> dict[str, int]:
    from cases.models import OPEN_STATES

    open_states = tuple(sorted(str(s) for s in OPEN_STATES))
    params: dict[str, Any] = {"as_of": AS_OF, "limit": limit}
    marks = ", ".join(f"%(open{i})s" for i in range(len(open_states)))
    sql = SQL.replace("%(open)s", f"({marks})")
    params.update({f"open{i}": s for i, s in enumerate(open_states)})
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def _slips(count: int) -> float:
    from permits import slip
    from permits.models import Permit

    permits = list(
        Permit.objects.filter(status="valid").select_related("holder__photo", "employer__registry")[:count]
    )
    start = time.perf_counter()
    for permit in permits:
        slip.render_slip(permit, printed_on=AS_OF)
    return len(permits) / (time.perf_counter() - start)


def main() -> None:
    from django.db.models import Count

    from accounts.models import User
    from oversight import inspection as job
    from oversight.models import Inspection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        n = _count()
        print(f"database: {connection.vendor}, permits: {n:,}", flush=True)
        start = time.perf_counter()
        _generate(n)
        print(f"generate: {time.perf_counter() - start:.1f} s", flush=True)

        supervisor = User.objects.create_user(
            username="bench-supervisor", email="s@bench.cn", role="supervisor"
        )
        limit = job.overdue_expiry_limit(AS_OF) or AS_OF - timedelta(days=1)

        start = time.perf_counter()
        expected = _set_based(limit)
        t_sql = time.perf_counter() - start

        inspection = Inspection.objects.create(as_of=AS_OF, started_by=supervisor)
        start = time.perf_counter()
        job.prepare(inspection)
        job.run(inspection.pk)
        t_job = time.perf_counter() - start
        found = dict(inspection.findings.values_list("reason").annotate(n=Count("id")).order_by())
        assert found == expected, (found, expected)
        print(f"findings: {found}")
        print(f"one set-based SQL query: {t_sql:.2f} s")
        print(f"inspection job (id ranges of {job.CHUNK}, resumable, writes findings): {t_job:.2f} s")
        print(f"ratio job / single query: {t_job / t_sql:.2f}", flush=True)

        rate = _slips(200)
        print(f"slips rendered: {rate:.1f} per second")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
