"""Reads of the cases context: which cases a user may see, the reviewer queue, timelines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from cases import engine
from cases.labels import UPLOADER_LABELS, material_label
from cases.models import AUTHORITY_STATES, Case, CaseDocument, CaseEvent, CheckOverride, Kind, State
from cases.workflow import Action
from core.models import PersonalDataAccess
from materials import selectors as material_selectors
from materials.models import Document, Verdict
from materials.services import STAMPED_MATERIALS

if TYPE_CHECKING:
    from accounts.models import User

#: Staff-only timeline events of the overrides (edition 2); never shown to applicant or employer.
OVERRIDE_ACTIONS = ("override", "override_approved", "override_refused")


def _base() -> QuerySet[Case]:
    return Case.objects.select_related("applicant__user", "employer__registry", "assigned_to", "association")


def cases_for_user(user: User) -> QuerySet[Case]:
    """An applicant sees their own cases; an operator their employer's. Anyone else: none."""
    if not user.is_authenticated:
        return Case.objects.none()
    if user.is_applicant:
        return _base().filter(applicant__user=user)
    if user.is_operator:
        operator = getattr(user, "operator", None)
        if operator is not None:
            return _base().filter(employer_id=operator.employer_id)
    return Case.objects.none()


@dataclass
class ListPage:
    rows: list[Case]
    next_cursor: str
    has_next: bool


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def list_page(user: User, *, cursor: str = "", limit: int = 50) -> ListPage:
    """The applicant's or the employer's cases, most recently updated first, keyset-paginated.

    One query of the columns the list shows (no OFFSET: the cursor is (updated_at, id) of the last
    row, in microseconds since the epoch); the index (employer, updated_at, id) or (applicant,
    updated_at, id) serves it whatever the employer's size.
    """
    qs = (
        cases_for_user(user)
        .select_related(None)
        .select_related("applicant")
        .only("public_id", "reference", "kind", "state", "updated_at", "applicant__name")
    )
    try:
        micros, pk = (int(part) for part in cursor.split("_", 1)) if cursor else (None, None)
    except ValueError:
        micros, pk = None, None
    if micros is not None and pk is not None:
        at = _EPOCH + micros * _MICROSECOND
        qs = qs.filter(Q(updated_at__lt=at) | Q(updated_at=at, id__lt=pk))
    rows = list(qs.order_by("-updated_at", "-id")[: limit + 1])
    has_next = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if rows and has_next else None
    next_cursor = f"{(last.updated_at - _EPOCH) // _MICROSECOND}_{last.pk}" if last else ""
    return ListPage(rows, next_cursor, has_next)


def case_for_participant(user: User, public_id: UUID) -> Case:
    """The case if the user is its applicant or an operator of its employer; 404 otherwise."""
    case = cases_for_user(user).filter(public_id=public_id).first()
    if case is None:
        raise Http404
    return case


def case_for_staff(public_id: UUID) -> Case:
    case = _base().filter(public_id=public_id).first()
    if case is None:
        raise Http404
    return case


def timeline(case: Case, *, full: bool) -> list[CaseEvent]:
    """Applicant and employer see the steps (transitions); staff see every event."""
    events = case.events.select_related("actor").order_by("at", "id")
    if not full:
        events = events.exclude(action__in=["assign", *OVERRIDE_ACTIONS])
    return list(events)


READ_OBJECT_LABELS = {
    "cases.case": _("申请"),
    "materials.document": _("材料文件"),
    "applicants.applicant": _("个人信息"),
    "employers.association": _("单位关联"),
    "permits.permit": _("工作居住证"),
}


def personal_data_reads(case: Case, limit: int = 200) -> list[PersonalDataAccess]:
    """Every logged read of this case's personal data, newest first (issue 11, Medium 5): the case
    pages, the case's files (whoever uploaded them), and any read of the applicant's profile,
    documents, associations or permits, by staff or operators, with address and TOTP state."""
    document_ids = [str(pk) for pk in case.documents.values_list("document_id", flat=True)]
    rows = list(
        PersonalDataAccess.objects.filter(
            Q(object_type="cases.case", object_id=str(case.pk))
            | Q(object_type="materials.document", object_id__in=document_ids)
            | Q(subject_applicant_id=case.applicant_id)
        )
        .select_related("user")
        .order_by("-at", "-id")[:limit]
    )
    for row in rows:
        row.what = str(READ_OBJECT_LABELS.get(row.object_type, row.object_type))  # type: ignore[attr-defined]
    return rows


def latest_opinion(case: Case) -> CaseEvent | None:
    """The return or rejection that put the case in its current state, with the binding opinion (or
    the employer's reason) and the non-binding tips (BIZ-FLOW). Once the case has moved on (resubmitted,
    approved) it is no longer shown as the current opinion; the timeline keeps it."""
    last = case.events.exclude(to_state=F("from_state")).order_by("-at", "-id").first()
    if last is None or not (last.opinion or last.action == Action.EMPLOYER_RETURN):
        return None
    return last


@dataclass
class QueueFilters:
    kind: str = ""
    state: str = ""
    employer: str = ""
    clause: int | None = None
    due_before: date | None = None
    overdue_on: date | None = None
    assigned_to: int | None = None


@dataclass
class QueuePage:
    rows: list[Case]
    next_cursor: str
    has_next: bool


def encode_cursor(case: Case) -> str:
    return f"{case.due_on.isoformat() if case.due_on else ''}_{case.pk}"


def decode_cursor(cursor: str) -> tuple[date, int] | None:
    try:
        due, pk = cursor.split("_", 1)
        return date.fromisoformat(due), int(pk)
    except ValueError:
        return None


def queue(filters: QueueFilters, *, cursor: str = "", limit: int = 25) -> QueuePage:
    """The reviewer queue: cases with the authority, due date first (overdue first), keyset-paginated.

    One query for the rows (select_related), no OFFSET: the cursor is (due_on, id) of the last row.
    """
    qs = _base().filter(submitted_on__isnull=False, due_on__isnull=False)
    if filters.state:
        qs = qs.filter(state=filters.state)
    else:
        qs = qs.filter(state__in=[str(s) for s in AUTHORITY_STATES])
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.employer:
        qs = qs.filter(
            Q(employer__registry__credit_code=filters.employer)
            | Q(employer__registry__name__icontains=filters.employer)
        )
    if filters.clause:
        qs = qs.filter(claimed_clause=filters.clause)
    if filters.due_before is not None:
        qs = qs.filter(due_on__lte=filters.due_before)
    if filters.overdue_on is not None:
        qs = qs.filter(due_on__lt=filters.overdue_on)
    if filters.assigned_to is not None:
        qs = qs.filter(assigned_to_id=filters.assigned_to)
    position = decode_cursor(cursor) if cursor else None
    if position is not None:
        due, pk = position
        qs = qs.filter(Q(due_on__gt=due) | Q(due_on=due, id__gt=pk))
    rows = list(qs.order_by("due_on", "id")[: limit + 1])
    has_next = len(rows) > limit
    rows = rows[:limit]
    return QueuePage(rows, encode_cursor(rows[-1]) if has_next and rows else "", has_next)


def working_days_left(calendar: Any, today: date, due_on: date) -> int:
    """Working days from today to the due date; negative when overdue (unpublished years estimated)."""
    if due_on >= today:
        return int(calendar.working_days_between(today, due_on, estimate=True))
    return -int(calendar.working_days_between(due_on, today, estimate=True))


def queue_cases_by_ids(public_ids: list[str]) -> QuerySet[Case]:
    """The cases ticked in the queue (invalid ids are ignored)."""
    valid: list[UUID] = []
    for value in public_ids[:200]:
        try:
            valid.append(UUID(value))
        except ValueError:
            continue
    return _base().filter(public_id__in=valid).order_by("due_on", "id")


# --- the reviewer's view of the case's materials (DOC-STAMPED, DOC-FORMAT) ------------------------

REVIEWER_RETURNS = (Action.RETURN_TO_APPLICANT, Action.RETURN_TO_EMPLOYER)


def last_return(case: Case) -> CaseEvent | None:
    """The latest time the authority returned the case (to the applicant or to the employer)."""
    return case.events.filter(action__in=REVIEWER_RETURNS).order_by("-at", "-id").first()


def _matching_findings(document: Document, keys: list[list[Any]]) -> list[dict[str, Any]]:
    wanted = {(str(code), page) for code, page in keys}
    return [item for item in document.findings or [] if (str(item["code"]), item.get("page")) in wanted]


def is_rightful(link: CaseDocument, case: Case) -> bool:
    """DOC-CHECKLIST `uploader`: the link was added by the party its slot belongs to — the applicant of
    the case, an operator of its employer, or (a resignation certificate) the former employer's file."""
    if link.uploader == "applicant":
        return link.added_by_id == case.applicant.user_id
    if link.uploader == "employer":
        operator = getattr(link.added_by, "operator", None) if link.added_by.is_operator else None
        return operator is not None and operator.employer_id == case.employer_id
    if link.uploader == "former_employer":
        return case.former_employer_id is not None and link.document.employer_id == case.former_employer_id
    return False


def case_links(case: Case) -> list[CaseDocument]:
    """Every document link of the case, oldest first, with who added it."""
    return list(
        case.documents.select_related("document", "added_by__operator", "case__applicant").order_by(
            "added_at", "id"
        )
    )


def current_links(case: Case) -> dict[tuple[str, int | None], CaseDocument]:
    """The latest rightful link of each (material, child) slot."""
    slots: dict[tuple[str, int | None], CaseDocument] = {}
    for link in case_links(case):
        if is_rightful(link, case):
            slots[(link.material, link.child)] = link
    return slots


def review_documents(case: Case) -> list[dict[str, Any]]:
    """One row per checklist slot with a linked document: the version the reviewer sees, its latest
    verdict, and what changed since the last return (a file uploaded after it: size, pages, findings).
    """
    returned = last_return(case)
    links = case_links(case)
    current: dict[tuple[str, int | None], CaseDocument] = {}
    at_return: dict[tuple[str, int | None], CaseDocument] = {}
    uploads: dict[tuple[str, int | None], list[dict[str, Any]]] = {}
    for link in links:
        slot = (link.material, link.child)
        rightful = is_rightful(link, case)
        uploads.setdefault(slot, []).append(
            {
                "document": link.document,
                "uploader": UPLOADER_LABELS.get(link.uploader, link.uploader),
                "by": link.added_by,
                "at": link.added_at,
                "rightful": rightful,
            }
        )
        if not rightful:
            continue
        current[slot] = link
        if returned is not None and link.added_at <= returned.at:
            at_return[slot] = link
    rows = []
    for slot in sorted(current, key=lambda key: (key[0], -1 if key[1] is None else key[1])):
        document = current[slot].document
        since: dict[str, Any] | None = None
        if returned is not None and document.uploaded_at > returned.at:
            before = at_return.get(slot)
            since = {"at": returned.at, "new_slot": before is None}
            if before is not None and before.document.pk != document.pk:
                changes = material_selectors.changes_between(before.document, document)
                since.update(
                    changes=changes,
                    before=before.document,
                    findings_added=_matching_findings(document, changes["findings_added"]),
                    findings_resolved=_matching_findings(before.document, changes["findings_resolved"]),
                )
        rows.append(
            {
                "material": slot[0],
                "child": slot[1],
                "label": material_label(slot[0]),
                "document": document,
                "stamped": slot[0] in STAMPED_MATERIALS,
                "verdict": material_selectors.latest_verdict(document),
                "since_return": since,
                "uploads": uploads.get(slot, []),
            }
        )
    return rows


def _short_label(label: str) -> str:
    """A material's name without its explanation in brackets: 应税收入材料（近一年……） → 应税收入材料."""
    return label.split("（", 1)[0].split(" (", 1)[0].strip() or label


def problem_opinion(rows: list[dict[str, Any]]) -> str:
    """Draft of the binding opinion: 《material》：reason for each document whose verdict is a problem."""
    lines = []
    for row in rows:
        verdict = row["verdict"]
        if verdict is not None and verdict.verdict == Verdict.PROBLEM:
            label = _short_label(row["label"])
            if row["child"] is not None:
                label = f"{label}（{row['child'] + 1}）"
            lines.append(f"《{label}》：{verdict.reason}")
    return "\n".join(lines)


def _overrides() -> QuerySet[CheckOverride]:
    return CheckOverride.objects.select_related("snapshot__case__employer", "by", "decided_by")


def pending_overrides() -> list[CheckOverride]:
    """Overrides to or from `fail` waiting for a supervisor's second approval, oldest first."""
    return list(_overrides().filter(status=CheckOverride.Status.PROPOSED).order_by("at", "id"))


def decided_overrides() -> QuerySet[CheckOverride]:
    """Overrides a supervisor approved or refused, latest first."""
    return _overrides().filter(needs_approval=True, decided_by__isnull=False).order_by("-decided_at", "-id")


def override_by_id(override_id: int) -> CheckOverride:
    item = _overrides().filter(pk=override_id).first()
    if item is None:
        raise Http404
    return item


# --- the municipal authority's 核准 queue (BIZ-TIME-LIMIT) ----------------------------------------


def ratification_queue() -> QuerySet[Case]:
    """District approvals waiting for 核准, the earliest due first."""
    return _base().filter(state=State.AWAITING_RATIFICATION).order_by("ratify_due_on", "id")


def ratification_cases_by_ids(public_ids: list[str]) -> QuerySet[Case]:
    """The ticked cases of the 核准 queue (invalid ids and cases not waiting for 核准 are ignored)."""
    valid: list[UUID] = []
    for value in public_ids[:200]:
        try:
            valid.append(UUID(value))
        except ValueError:
            continue
    return ratification_queue().filter(public_id__in=valid)


def case_for_ratifier(public_id: UUID) -> Case:
    """A case the ratifier may open: one waiting for 核准 (anything else is 404)."""
    case = ratification_queue().filter(public_id=public_id).first()
    if case is None:
        raise Http404
    return case


def district_approval(case: Case) -> CaseEvent | None:
    """The district's latest approval of the case (who approved, when)."""
    return case.events.select_related("actor").filter(action=Action.APPROVE).order_by("-at", "-id").first()


def open_renewal(applicant: Any, employer: Any) -> Case | None:
    """CHG-RENEW-FIRST: the employer's renewal for the holder that is not finished or withdrawn."""
    from cases.models import OPEN_STATES, Kind

    return (
        Case.objects.filter(
            applicant=applicant, employer=employer, kind=Kind.RENEWAL, state__in=[str(s) for s in OPEN_STATES]
        )
        .order_by("-id")
        .first()
    )


# --- policy simulation (issue 14): the populations a run evaluates, streamed by id range ----------


def simulation_open_cases(first_id: int, last_id: int) -> QuerySet[Case]:
    """Open cases with ids in [first_id, last_id] (their current facts are evaluated)."""
    from cases.models import OPEN_STATES

    return (
        Case.objects.filter(pk__gte=first_id, pk__lte=last_id, state__in=OPEN_STATES)
        .select_related("applicant", "employer__registry", "association")
        .order_by("pk")
    )


def simulation_open_case_ids() -> tuple[int | None, int | None]:
    from django.db.models import Max, Min

    from cases.models import OPEN_STATES

    agg = Case.objects.filter(state__in=OPEN_STATES).aggregate(lo=Min("id"), hi=Max("id"))
    return agg["lo"], agg["hi"]


def simulation_snapshots(first_id: int, last_id: int, since: date, until: date) -> QuerySet[Any]:
    """Acceptance snapshots (四（九）) of cases accepted in [since, until], ids in [first_id, last_id]."""
    from cases.models import AcceptanceSnapshot

    return (
        AcceptanceSnapshot.objects.filter(
            pk__gte=first_id, pk__lte=last_id, as_of__gte=since, as_of__lte=until
        )
        .select_related("case__applicant")
        .order_by("pk")
    )


def simulation_snapshot_ids(since: date, until: date) -> tuple[int | None, int | None]:
    from django.db.models import Max, Min

    from cases.models import AcceptanceSnapshot

    agg = AcceptanceSnapshot.objects.filter(as_of__gte=since, as_of__lte=until).aggregate(
        lo=Min("id"), hi=Max("id")
    )
    return agg["lo"], agg["hi"]


def case_by_pk(pk: int) -> Case | None:
    return Case.objects.select_related("applicant", "employer__registry", "association").filter(pk=pk).first()


def income_scans(case: Case, window: list[date]) -> list[dict[str, Any]]:
    """The case's current income printouts with the table read from each and its cross-check
    findings against the case's facts (issue 13): months of `window`, amounts entered, and the
    employer's registered name (APP-SAME-EMPLOYER)."""
    from materials.conf import EXTRACT_MATERIALS
    from materials.ocr.crosscheck import crosscheck

    entered = {f"{r.month:%Y-%m}": r.amount for r in case.income_records.all()}
    months = [f"{m:%Y-%m}" for m in window]
    employer_name = case.employer.registry.name if case.employer_id else None
    out = []
    for (material, _child), link in sorted(current_links(case).items(), key=lambda item: item[0][0]):
        if material not in EXTRACT_MATERIALS:
            continue
        extraction = material_selectors.extraction_of(link.document)
        findings = []
        if extraction is not None and extraction.status == "done":
            findings = crosscheck(
                extraction.rows, extraction.pages, window=months, entered=entered, employer_name=employer_name
            )
        out.append(
            {
                "document": link.document,
                "material": material,
                "label": material_label(material),
                "extraction": extraction,
                "findings": findings,
                "flags": _flags(findings),
            }
        )
    return out


def _flags(findings: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Finding codes by month, to mark the rows of the table they are about."""
    flags: dict[str, list[str]] = {}
    for item in findings:
        if item.get("month"):
            flags.setdefault(item["month"], []).append(item["code"])
    return flags


def income_window(case: Case, on: date) -> list[date]:
    """The months the case asks income for, from the parameters in force: the recent-income window
    (P-INCOME-MONTHS, APP-INCOME-RECENT) for a new case; for a renewal REN-INCOME-3Y's span, from
    January of the year P-RENEWAL-INCOME-MONTHS back (or the month the permit was first held) to
    last month."""
    last = (on.replace(day=1) - timedelta(days=1)).replace(day=1)
    if case.kind == Kind.RENEWAL:
        years = engine.parameter_value("P-RENEWAL-INCOME-MONTHS", on) // 12
        first = date(on.year - years, 1, 1)
        if case.permit_held_since is not None:
            first = max(first, case.permit_held_since.replace(day=1))
    else:
        count = engine.parameter_value("P-INCOME-MONTHS", on)
        first = last
        for _i in range(count - 1):
            first = (first - timedelta(days=1)).replace(day=1)
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _workbench_rank(row: dict[str, Any]) -> int:
    """0: a problem verdict, or a failing automatic check not explicitly accepted; 1: no verdict yet;
    2: accepted."""
    document = row["document"]
    verdict = row.get("verdict")
    accepted = verdict is not None and verdict.verdict == "accepted"
    if verdict is not None and not accepted:
        return 0
    failed_check_accepted = verdict is not None and accepted and verdict.failed_check_accepted
    if document.check_status == "failed" and not failed_check_accepted:
        return 0
    if verdict is None:
        return 1
    return 2


def workbench_documents(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reviewer's documents, those needing attention first (issue 10, item 7): a failing check or
    a problem verdict, then those without a verdict, then the accepted ones; checklist order within."""
    for row in rows:
        row["attention"] = _workbench_rank(row)
    return sorted(rows, key=lambda row: row["attention"])
