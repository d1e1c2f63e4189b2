"""Statistics for supervisors: counts by type, state and month, expiring permits, rates; exports."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role
from accounts.testing import login_staff, make_user
from cases.models import Case, CaseEvent
from oversight import stats
from permits.tests.factories import make_applicant, make_employer, make_permit

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    employer = make_employer()
    seq = iter(range(1, 100))

    def case(kind: str, state: str, submitted: bool = True) -> Case:
        applicant = make_applicant()
        return Case.objects.create(
            reference=f"HD2025{next(seq):06d}",
            kind=kind,
            state=state,
            applicant=applicant,
            employer=employer,
            created_by=applicant.user,
            submitted_on=date(2025, 10, 1) if submitted else None,
        )

    approved = [case("new", "approved") for _ in range(3)]
    case("renewal", "rejected")
    case("new", "draft", submitted=False)
    CaseEvent.objects.create(
        case=approved[0], action="return_to_employer", from_state="accepted", to_state="returned_to_employer"
    )
    today = timezone.localdate()
    make_permit(expires_on=today + timedelta(days=40))
    return employer


def test_compute_counts_and_rates(data):
    today = timezone.localdate()
    result = stats.compute(date(2000, 1, 1), today, expiring_from=today)
    assert dict(result.cases_by_kind)["新办"] == 4
    assert dict(result.cases_by_kind)["续签"] == 1
    assert dict(result.cases_by_state)["已核准"] == 3  # approved = ratified (核准, BIZ-TIME-LIMIT)
    assert result.approval_rate == 75.0  # 3 approved of 4 decided
    assert result.return_rate == 25.0  # 1 returned of 4 submitted
    assert sum(n for _, n in result.cases_by_month) == 5
    assert len(result.expiring_by_month) == 12
    expiry = today + timedelta(days=40)
    assert dict(result.expiring_by_month)[expiry.strftime("%Y-%m")] == 1
    assert sum(n for _, n in result.expiring_by_month) == 1


def test_svg_chart_is_inline_and_escaped():
    svg = stats.bar_chart_svg("图<表>", [("新办", 3), ("<script>", 1)])
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_stats_page_and_exports(data):
    client = Client()
    login_staff(client, make_user(Role.SUPERVISOR))
    page = client.get(reverse("oversight:stats"), {"since": "2000-01-01"})
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count("<svg") == 4
    assert "75.0%" in body
    assert "cdn" not in body.lower()
    xlsx = client.get(reverse("oversight:stats_export", args=["xlsx"]), {"since": "2000-01-01"})
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames == ["按业务类型", "按状态", "按月份", "证件到期", "比率"]
    assert ("新办", 4) in list(workbook["按业务类型"].iter_rows(min_row=2, values_only=True))
    csv_body = client.get(
        reverse("oversight:stats_export", args=["csv"]), {"since": "2000-01-01"}
    ).content.decode("utf-8-sig")
    assert "按业务类型,新办,4" in csv_body
    assert "比率,审核通过率（%）,75.0" in csv_body


def test_csv_quotes_formula_like_text():
    from oversight.exports import csv_response

    body = csv_response("x", ["a"], [["=HYPERLINK(1)"]]).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body


@pytest.mark.parametrize("text", [" =1+2", '＝HYPERLINK("x")', "\u3000+1", "＠SUM(A1)", "－1+1", "\n=1"])
def test_formula_escaping_covers_leading_space_and_full_width_signs(text):
    """Issue 11 (low): a leading space or a full-width ＝ must not slip a formula into an export."""
    from oversight.exports import _cell

    assert _cell(text) == "'" + text
    assert _cell("张三") == "张三" and _cell(" 张三") == " 张三"
