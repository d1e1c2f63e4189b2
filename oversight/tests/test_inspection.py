"""INSPECTION (四（七）): classification of every permit, set-based and resumable; bulk cancellation
with a reason and a confirmation step; XLSX and CSV reports."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from accounts.testing import login_staff, make_user
from oversight import inspection as job
from oversight import services
from oversight.models import (
    FindingDecision,
    FindingReason,
    Inspection,
    InspectionFinding,
    InspectionStatus,
    Sanction,
)
from permits.models import EventKind, Permit, PermitEvent, PermitStatus
from permits.tests.factories import associate, make_employer, make_permit

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 12, 1)


@pytest.fixture
def supervisor():
    return make_user(Role.SUPERVISOR)


@pytest.fixture
def world():
    """One permit per finding reason, plus permits in order and one already cancelled."""
    employer = make_employer()
    ok = make_permit(employer=employer, expires_on=date(2027, 1, 1))
    associate(ok.holder, employer)
    expired = make_permit(employer=employer, expires_on=date(2025, 11, 30))
    lapsed_status = make_permit(employer=employer, expires_on=date(2025, 12, 5), status=PermitStatus.EXPIRED)
    left = make_permit(employer=employer, expires_on=date(2027, 1, 1))
    associate(left.holder, employer, status="dissociated")
    moved = make_permit(employer=employer, expires_on=date(2027, 1, 1))
    associate(moved.holder, employer, status="dissociated")
    associate(moved.holder, make_employer())  # new employer approved: change on its way
    bad_employer = make_employer()
    sanctioned = make_permit(employer=bad_employer, expires_on=date(2027, 1, 1))
    Sanction.objects.create(
        employer=bad_employer,
        kind="blacklist",
        reason="x",
        starts_on=date(2025, 6, 1),
        status="active",
        proposed_by=make_user(Role.REVIEWER),
    )
    overdue = make_permit(employer=employer, expires_on=AS_OF + timedelta(days=20))
    in_time = make_permit(employer=employer, expires_on=AS_OF + timedelta(days=60))
    cancelled = make_permit(employer=employer, status=PermitStatus.CANCELLED)
    return {
        "ok": ok,
        "expired": expired,
        "lapsed_status": lapsed_status,
        "left": left,
        "moved": moved,
        "sanctioned": sanctioned,
        "overdue": overdue,
        "in_time": in_time,
        "cancelled": cancelled,
    }


def _start(supervisor, capture) -> Inspection:
    with capture(execute=True):
        inspection = services.start_inspection(supervisor, as_of=AS_OF, today=AS_OF)
    inspection.refresh_from_db()
    return inspection


def test_classifies_each_reason(world, supervisor, django_capture_on_commit_callbacks):
    inspection = _start(supervisor, django_capture_on_commit_callbacks)
    assert inspection.status == InspectionStatus.CLASSIFIED
    assert inspection.total == 8  # the cancelled permit is out of scope
    assert inspection.processed == 8
    found = dict(inspection.findings.values_list("permit_id", "reason"))
    assert found == {
        world["expired"].pk: FindingReason.EXPIRED,
        world["lapsed_status"].pk: FindingReason.EXPIRED,
        world["left"].pk: FindingReason.DISSOCIATED,
        world["sanctioned"].pk: FindingReason.EMPLOYER_SANCTIONED,
        world["overdue"].pk: FindingReason.RENEWAL_OVERDUE,
    }


def test_overdue_limit_matches_ren_deadline_boundary():
    # Expiry 2022-08-06: latest in-time submission 2022-07-10 (REN-DEADLINE example).
    late = job.overdue_expiry_limit(date(2022, 7, 11))
    assert late is not None
    assert late >= date(2022, 8, 6)
    limit = job.overdue_expiry_limit(date(2022, 7, 10))
    assert limit is None or limit < date(2022, 8, 6)


def test_renewal_case_submitted_is_not_overdue(world, supervisor, django_capture_on_commit_callbacks):
    from cases.models import Case

    holder = world["overdue"].holder
    Case.objects.create(
        reference="HD2025000099",
        kind="renewal",
        state="submitted",
        applicant=holder,
        employer=world["overdue"].employer,
        submitted_on=date(2025, 11, 1),
        created_by=holder.user,
    )
    inspection = _start(supervisor, django_capture_on_commit_callbacks)
    assert not inspection.findings.filter(permit=world["overdue"]).exists()


def test_interrupted_run_resumes_without_duplicates(world, supervisor):
    inspection = Inspection.objects.create(as_of=AS_OF, started_by=supervisor)
    job.prepare(inspection)
    partial = job.run(inspection.pk, chunk=3, stop_after=1)
    assert partial.status == InspectionStatus.RUNNING
    assert partial.processed == 3
    assert partial.percent == 37
    first = set(InspectionFinding.objects.values_list("permit_id", flat=True))
    # a second worker picks the same chunk again from an old cursor: still no duplicates
    Inspection.objects.filter(pk=inspection.pk).update(cursor=0)
    done = job.run(inspection.pk, chunk=3)
    assert done.status == InspectionStatus.CLASSIFIED
    assert InspectionFinding.objects.filter(inspection=inspection).count() == 5
    assert first <= set(InspectionFinding.objects.values_list("permit_id", flat=True))
    again = job.run(inspection.pk, chunk=3)
    assert again.status == InspectionStatus.CLASSIFIED
    assert InspectionFinding.objects.filter(inspection=inspection).count() == 5


def test_query_count_does_not_grow_with_permits(supervisor):
    employer = make_employer()

    def queries_for_inspection() -> int:
        inspection = Inspection.objects.create(as_of=AS_OF, started_by=supervisor)
        job.prepare(inspection)
        with CaptureQueriesContext(connection) as queries:
            job.run(inspection.pk, chunk=1000)
        assert inspection.findings.count() == Permit.objects.count()
        return len(queries)

    for _ in range(10):
        make_permit(employer=employer, expires_on=date(2025, 1, 1))
    few = queries_for_inspection()
    for _ in range(40):
        make_permit(employer=employer, expires_on=date(2025, 1, 1))
    assert queries_for_inspection() == few


def _client(user) -> Client:
    client = Client()
    login_staff(client, user)
    return client


def test_bulk_cancel_needs_reason_and_confirmation(world, supervisor, django_capture_on_commit_callbacks):
    inspection = _start(supervisor, django_capture_on_commit_callbacks)
    ids = list(inspection.findings.filter(reason=FindingReason.DISSOCIATED).values_list("pk", flat=True))
    ids += list(inspection.findings.filter(reason=FindingReason.EXPIRED).values_list("pk", flat=True))
    url = reverse("oversight:inspection_cancel", args=[inspection.public_id])
    client = _client(supervisor)
    no_reason = client.post(url, {"findings": ids, "reason": "  "})
    assert no_reason.status_code == 302
    assert not Permit.objects.filter(status=PermitStatus.CANCELLED).exclude(pk=world["cancelled"].pk).exists()
    confirm = client.post(url, {"findings": ids, "reason": "年检清理无效证件"})
    assert confirm.status_code == 200
    assert "确认注销" in confirm.content.decode()
    # Each listed permit's expiry and reason are shown before anything is cancelled.
    page = confirm.content.decode()
    assert world["left"].expires_on.isoformat() in page
    assert str(FindingReason.DISSOCIATED.label) in page and str(FindingReason.EXPIRED.label) in page
    assert not Permit.objects.filter(pk=world["left"].pk, status=PermitStatus.CANCELLED).exists()
    done = client.post(url, {"findings": ids, "reason": "年检清理无效证件", "confirm": "yes"})
    assert done.status_code == 302
    world["left"].refresh_from_db()
    assert world["left"].status == PermitStatus.CANCELLED
    assert world["left"].cancel_reason == "年检清理无效证件"
    assert inspection.findings.filter(decision=FindingDecision.CANCELLED).count() == 3
    # confirming twice cancels nothing twice
    client.post(url, {"findings": ids, "reason": "年检清理无效证件", "confirm": "yes"})
    assert PermitEvent.objects.filter(kind=EventKind.CANCELLED).count() == 3


def test_progress_fragment_and_detail_page(world, supervisor, django_capture_on_commit_callbacks):
    inspection = _start(supervisor, django_capture_on_commit_callbacks)
    client = _client(supervisor)
    fragment = client.get(reverse("oversight:inspection_progress", args=[inspection.public_id]) + "?poll=1")
    assert fragment["HX-Refresh"] == "true"
    assert "8 / 8" in fragment.content.decode()
    page = client.get(reverse("oversight:inspection_detail", args=[inspection.public_id])).content.decode()
    assert world["left"].number in page
    assert world["ok"].number not in page


def test_running_inspection_polls(supervisor):
    inspection = Inspection.objects.create(
        as_of=AS_OF, started_by=supervisor, status=InspectionStatus.RUNNING, total=10, processed=4
    )
    body = (
        _client(supervisor)
        .get(reverse("oversight:inspection_detail", args=[inspection.public_id]))
        .content.decode()
    )
    assert 'hx-trigger="every 2s"' in body
    assert 'value="40"' in body


def test_reports_xlsx_and_csv_mask_personal_data(world, supervisor, django_capture_on_commit_callbacks):
    inspection = _start(supervisor, django_capture_on_commit_callbacks)
    client = _client(supervisor)
    xlsx = client.get(reverse("oversight:inspection_export", args=[inspection.public_id, "xlsx"]))
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "证件编号"
    assert len(rows) == 6
    numbers = {row[0] for row in rows[1:]}
    assert world["left"].number in numbers
    holder = world["left"].holder
    assert all(holder.id_number not in str(cell) for row in rows for cell in row)
    response = client.get(reverse("oversight:inspection_export", args=[inspection.public_id, "csv"]))
    text = response.content.decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text)))
    assert len(parsed) == 6
    assert "持证人已离职且未办理单位变更" in text
    assert (
        client.get(reverse("oversight:inspection_export", args=[inspection.public_id, "pdf"])).status_code
        == 404
    )


def test_only_supervisors_start_inspections():
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.start_inspection(make_user(Role.REVIEWER), as_of=AS_OF, today=AS_OF)


def test_start_page_runs_task(world, supervisor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(supervisor).post(reverse("oversight:inspection_list"), {"as_of": "2025-12-01"})
    inspection = Inspection.objects.get()
    assert response["Location"] == reverse("oversight:inspection_detail", args=[inspection.public_id])
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.CLASSIFIED


def test_keep_records_reason_and_cancels_nothing(world, supervisor, django_capture_on_commit_callbacks):
    inspection = _start(supervisor, django_capture_on_commit_callbacks)
    finding = inspection.findings.get(permit=world["overdue"])
    url = reverse("oversight:inspection_cancel", args=[inspection.public_id])
    response = _client(supervisor).post(
        url, {"findings": [finding.pk], "reason": "已线下提交续签", "action": "keep"}
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.decision == FindingDecision.KEPT
    assert finding.decision_reason == "已线下提交续签"
    world["overdue"].refresh_from_db()
    assert world["overdue"].status == PermitStatus.VALID


@pytest.mark.parametrize("name", ["inspection_detail", "inspection_progress", "inspection_export"])
def test_inspection_pages_closed_to_everyone_but_supervisors(supervisor, name):
    from permits.tests.factories import make_applicant, make_operator

    inspection = Inspection.objects.create(as_of=AS_OF, started_by=supervisor)
    args = [inspection.public_id, "xlsx"] if name == "inspection_export" else [inspection.public_id]
    url = reverse(f"oversight:{name}", args=args)
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert reverse("accounts:login") in anonymous["Location"]
    for user in (make_applicant().user, make_operator(make_employer())):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 404
    assert _client(make_user(Role.REVIEWER)).get(url).status_code == 404
    assert _client(supervisor).get(url).status_code == 200


def _deregistered_permit(on: date | None) -> Permit:
    employer = make_employer()
    employer.registry.deregistered_on = on
    employer.registry.save(update_fields=["deregistered_on"])
    permit = make_permit(employer=employer, expires_on=date(2027, 1, 1))
    associate(permit.holder, employer)
    return permit


def test_inspection_employer_deregistered_on_the_inspection_date(
    supervisor, django_capture_on_commit_callbacks
):
    on_the_day = _deregistered_permit(AS_OF)
    before = _deregistered_permit(AS_OF - timedelta(days=1))
    day_after = _deregistered_permit(AS_OF + timedelta(days=1))
    never = _deregistered_permit(None)
    inspection = _start(supervisor, django_capture_on_commit_callbacks)
    found = dict(inspection.findings.values_list("permit_id", "reason"))
    assert found == {
        on_the_day.pk: FindingReason.EMPLOYER_DEREGISTERED,
        before.pk: FindingReason.EMPLOYER_DEREGISTERED,
    }
    assert day_after.pk not in found
    assert never.pk not in found


def test_inspection_deregistered_employer_also_sanctioned_is_reported_deregistered(
    supervisor, django_capture_on_commit_callbacks
):
    permit = _deregistered_permit(AS_OF)
    Sanction.objects.create(
        employer=permit.employer,
        kind="disqualification",
        reason="x",
        starts_on=date(2025, 6, 1),
        status="active",
        proposed_by=make_user(Role.REVIEWER),
    )
    inspection = _start(supervisor, django_capture_on_commit_callbacks)
    assert inspection.findings.get().reason == FindingReason.EMPLOYER_DEREGISTERED


def test_inspection_ranges_skip_id_gaps_and_progress_per_range(world, supervisor):
    # Ids far apart (deleted rows, sequences shared between runs) cost no empty rounds.
    Permit.objects.filter(pk=world["in_time"].pk).update(id=world["in_time"].pk + 10_000)
    inspection = Inspection.objects.create(as_of=AS_OF, started_by=supervisor)
    job.prepare(inspection)
    steps = []
    while inspection.status != InspectionStatus.CLASSIFIED:
        inspection = job.run(inspection.pk, chunk=4, stop_after=1)
        steps.append(inspection.processed)
    assert steps == [4, 7, 8, 8]  # 4 ids, 3 in scope next to the cancelled one, the far one, the end
    assert inspection.findings.count() == 5


def test_inspection_refuses_a_reference_date_after_today(supervisor):
    """INSPECTION: a future reference date would list valid permits as expired; one day each side."""
    from django.core.exceptions import ValidationError

    today = date(2026, 11, 30)
    with pytest.raises(ValidationError) as refused:
        services.start_inspection(supervisor, as_of=today + timedelta(days=1), today=today)
    assert "as_of" in refused.value.message_dict
    assert not Inspection.objects.exists()
    services.start_inspection(supervisor, as_of=today, today=today)
    assert Inspection.objects.count() == 1


def test_start_page_shows_the_future_date_refusal_at_the_field(supervisor):
    from django.utils import timezone

    tomorrow = timezone.localdate() + timedelta(days=1)
    response = _client(supervisor).post(reverse("oversight:inspection_list"), {"as_of": tomorrow.isoformat()})
    assert response.status_code == 200
    assert "检查基准日不能晚于今天" in response.content.decode()
    assert not Inspection.objects.exists()
