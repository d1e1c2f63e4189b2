"""Annual inspection (证件年检, INSPECTION, 四（七）): classify every permit set-based, resumably.

A permit is flagged when, on the inspection's `as_of` day:
- expired: its expiry has passed (whatever the daily job has recorded);
- dissociated: the holder was dissociated from the permit's employer and has no approved association
  since (holder left without an employer change, CHG-RESIGNATION);
- employer_deregistered: the employer's registry entry records a deregistration (注销登记) on or
  before that day;
- employer_sanctioned: the employer is blacklisted or disqualified (SAN-MEASURES);
- renewal_overdue: the latest in-time submission day (REN-DEADLINE) has passed and no renewal case
  is submitted and open.

Work goes in id ranges above a cursor. Each range is classified and its findings written by the
database in one `INSERT ... SELECT` (the annotated queryset below is the SELECT), in the same
transaction as the cursor and the progress count; findings are unique per permit and the insert skips
conflicts, so a re-run after an interruption continues where it stopped and never records anything
twice. The statement is portable: SQLite and PostgreSQL classify identically.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Case, CharField, Count, Exists, Max, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from employers.models import Association, AssociationStatus
from oversight.models import (
    BARRING_KINDS,
    FindingDecision,
    FindingReason,
    Inspection,
    InspectionFinding,
    InspectionStatus,
    Sanction,
)
from oversight.selectors import in_force_on
from permits.models import Permit, PermitStatus
from policy.calendar import WorkingDayCalendar
from policy.deadlines import latest_in_time_submission

logger = logging.getLogger(__name__)
CHUNK = 100_000  # permit ids per range: one INSERT ... SELECT and one progress step each


def overdue_expiry_limit(as_of: date, calendar: WorkingDayCalendar | None = None) -> date | None:
    """The last expiry date whose latest in-time renewal submission lies before `as_of` (REN-DEADLINE).

    Latest submission grows with expiry, so every expiry from `as_of` up to this limit is overdue.
    """
    if calendar is None:
        from permits.lifecycle import default_calendar

        calendar = default_calendar()
    from eligibility.services import parameter_int

    lead = parameter_int("P-LEAD-WORKING-DAYS", as_of)
    limit = None
    expiry = as_of
    # The lead time in calendar days is at most about twice the working days plus the long holidays.
    for _ in range(3 * lead + 30):
        latest, _estimated = latest_in_time_submission(expiry - timedelta(days=1), calendar, lead)
        if latest >= as_of:
            break
        limit = expiry
        expiry += timedelta(days=1)
    return limit


def scope() -> QuerySet[Permit]:
    """Permits the inspection looks at: every one not already cancelled."""
    return Permit.objects.exclude(status=PermitStatus.CANCELLED)


def classified(as_of: date, overdue_limit: date | None) -> QuerySet[Permit]:
    """Annotate each permit with `finding` ('' when in order) in one SQL expression."""
    dissociated = Association.objects.filter(
        applicant=OuterRef("holder_id"),
        employer=OuterRef("employer_id"),
        status=AssociationStatus.DISSOCIATED,
    )
    associated = Association.objects.filter(
        applicant=OuterRef("holder_id"), status=AssociationStatus.APPROVED
    )
    sanctioned = Sanction.objects.filter(
        in_force_on(as_of), employer=OuterRef("employer_id"), kind__in=BARRING_KINDS
    )
    whens = [
        When(
            Q(status=PermitStatus.EXPIRED) | Q(expires_on__lt=as_of), then=Value(FindingReason.EXPIRED.value)
        ),
        When(Exists(dissociated) & ~Exists(associated), then=Value(FindingReason.DISSOCIATED.value)),
        When(
            employer__registry__deregistered_on__lte=as_of,
            then=Value(FindingReason.EMPLOYER_DEREGISTERED.value),
        ),
        When(Exists(sanctioned), then=Value(FindingReason.EMPLOYER_SANCTIONED.value)),
    ]
    if overdue_limit is not None:
        renewal_open = _open_renewal_cases()
        overdue: Q = Q(expires_on__gte=as_of, expires_on__lte=overdue_limit)
        if renewal_open is not None:
            overdue = overdue & Q(~Exists(renewal_open))
        whens.append(When(overdue, then=Value(FindingReason.RENEWAL_OVERDUE.value)))
    return scope().annotate(finding=Case(*whens, default=Value(""), output_field=CharField()))


def _open_renewal_cases() -> QuerySet | None:
    try:
        from cases.models import OPEN_STATES
        from cases.models import Case as CaseModel
    except ImportError:  # the cases context is optional for the inspection
        return None
    return CaseModel.objects.filter(
        applicant=OuterRef("holder_id"), kind="renewal", submitted_on__isnull=False, state__in=OPEN_STATES
    )


@transaction.atomic
def prepare(inspection: Inspection) -> None:
    """Fix the scope when the inspection starts: the permits present now, up to the highest id."""
    inspection.upper_bound = scope().aggregate(upper=Coalesce(Max("pk"), Value(0)))["upper"]
    inspection.total = scope().filter(pk__lte=inspection.upper_bound).count()
    inspection.save(update_fields=["upper_bound", "total"])


def _no_jit() -> None:
    """PostgreSQL would JIT-compile each chunk's query (its cost estimate is high) and spend more time
    compiling than running it; the setting ends with the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def _insert_findings(inspection: Inspection, overdue_limit: date | None, low: int, high: int) -> None:
    """Classify permits with ids in (low, high] and insert their findings, all inside the database."""
    rows = (
        classified(inspection.as_of, overdue_limit)  # type: ignore[misc]
        .filter(pk__gt=low, pk__lte=high)
        .order_by()
        .values("id", "finding")
    )
    select, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(InspectionFinding._meta.db_table)
    # The table name is quoted by the backend and the SELECT is the compiled queryset; values are params.
    sql = (
        f"INSERT INTO {table} (inspection_id, permit_id, reason, decision, decision_reason) "  # noqa: S608
        f"SELECT %s, classified.id, classified.finding, %s, %s FROM ({select}) classified "
        "WHERE classified.finding <> '' ON CONFLICT (inspection_id, permit_id) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (inspection.pk, FindingDecision.PENDING.value, "", *params))


def run(inspection_id: int, *, chunk: int = CHUNK, stop_after: int | None = None) -> Inspection:
    """Classify from the cursor to the end (or `stop_after` ranges, to simulate an interruption)."""
    inspection = Inspection.objects.get(pk=inspection_id)
    if inspection.status in (InspectionStatus.CLASSIFIED, InspectionStatus.CLOSED):
        return inspection
    overdue_limit = overdue_expiry_limit(inspection.as_of)
    done = 0
    while stop_after is None or done < stop_after:
        with transaction.atomic():
            _no_jit()
            inspection = Inspection.objects.select_for_update().get(pk=inspection_id)
            if inspection.status in (InspectionStatus.CLASSIFIED, InspectionStatus.CLOSED):
                return inspection
            in_range = scope().filter(pk__gt=inspection.cursor, pk__lte=inspection.upper_bound)
            # The range starts at the next permit in scope, so gaps in the ids cost no empty rounds.
            first = in_range.order_by("pk").values_list("pk", flat=True).first()
            if first is None:
                inspection.status = InspectionStatus.CLASSIFIED
                inspection.processed = inspection.total
                inspection.classified_at = timezone.now()
                inspection.save(update_fields=["status", "processed", "classified_at"])
                logger.info("inspection %s classified", inspection.pk)
                return inspection
            high = min(inspection.upper_bound, first + chunk - 1)
            _insert_findings(inspection, overdue_limit, inspection.cursor, high)
            counted = in_range.filter(pk__lte=high).count()
            inspection.cursor = high
            inspection.processed = min(inspection.total, inspection.processed + counted)
            inspection.status = InspectionStatus.RUNNING
            inspection.save(update_fields=["cursor", "processed", "status"])
        done += 1
    return Inspection.objects.get(pk=inspection_id)


def count_by_reason(inspection: Inspection) -> dict[str, int]:
    rows = inspection.findings.values("reason").annotate(n=Count("id")).order_by()
    counts = dict.fromkeys(FindingReason.values, 0)
    counts.update({row["reason"]: row["n"] for row in rows})
    return counts
