"""Journey (issue 14): a supervisor drafts "average wage 12,300 from 2026", runs it over the demo cases
and holders, sees the flips with their reasons and the chart, exports them, proposes publication; a
second supervisor approves, and the self-check then judges with 12,300 from 2026 (APP-INCOME-RECENT:
6 × floor(12,300 × 1.5) = 110,700)."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts import testing
from accounts.models import User
from accounts.testing import login_staff
from cases import services as case_services
from cases.tests.factories import (
    employer_complete,
    make_world,
    recent_months,
    upload_all,
)
from eligibility import services as eligibility

pytestmark = pytest.mark.django_db(transaction=True)

BORDERLINE = 18_000  # a month: 108,000 ≥ 105,846 (11,761 in force) but < 110,700 (12,300)


def field(page, label: str):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def signed_in(page, live_server, username: str) -> None:
    """The session of a demo supervisor after password and TOTP, handed to the browser."""
    client = Client()
    login_staff(client, User.objects.get(username=username))
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def borderline_case(today) -> str:
    """One more open case whose income sits between the two thresholds (its users numbered apart
    from the demo's)."""
    testing._seq = itertools.count(9000)
    world = make_world()
    user = world.applicant_user
    case = case_services.start_new_case(user, today=today)
    case = case_services.save_case_facts(user, case, version=case.version, data={"claimed_clause": 1})
    case = case_services.save_income(
        user, case, version=case.version, monthly=[(m, BORDERLINE, False) for m in recent_months(today, 6)]
    )
    upload_all(case, user, today, "applicant")
    case.refresh_from_db()
    case = case_services.submit(user, case, version=case.version, today=today)
    case = employer_complete(case, world.operator, today)
    case = case_services.employer_submit(world.operator, case, version=case.version, today=today)
    return case.reference


def next_page(page) -> None:
    page.get_by_role("button", name="继续").click()
    page.wait_for_load_state()


def self_check(page, as_of: str, months: list[str], monthly: str) -> str:
    page.goto("/eligibility/self-check/")
    field(page, "受理日期").fill(as_of)
    next_page(page)
    field(page, "单位在海淀区登记注册并开始缴纳税费的日期").fill("2019-05-01")
    next_page(page)
    field(page, "注册资本（元）").fill("5000000")
    field(page, "单位年纳税额（元）").fill("800000")
    next_page(page)
    next_page(page)
    field(page, "出生日期").fill("1992-04-15")
    field(page, "入职申请单位的日期").fill("2023-03-01")
    next_page(page)
    next_page(page)
    for i, month in enumerate(months, start=1):
        field(page, f"收入月份 {i}").fill(month)
        field(page, f"应税收入 {i}（元）").fill(monthly)
    next_page(page)
    page.get_by_label("学位与工作经历（学士及以上学位）").check()
    next_page(page)
    field(page, "最高学位").select_option("master")
    field(page, "参加工作日期").fill("2018-07-01")
    next_page(page)
    page.get_by_role("radio", name="否").check()
    next_page(page)
    result = page.locator("#result")
    result.wait_for()
    return result.inner_text()


def test_supervisor_simulates_and_publishes_a_new_average_wage(page, live_server, shot, tmp_path):
    call_command("load_demo_data", verbosity=0)
    today = timezone.localdate()
    reference = borderline_case(today)

    signed_in(page, live_server, "supervisor")
    page.goto("/")
    page.get_by_role("link", name="政策模拟（调整参数的影响）").click()
    field(page, "草案名称").fill("平均工资 12300（2026 年起）")
    page.get_by_role("button", name="新建草案").click()
    field(page, "参数").select_option("P-WAGE-MONTHLY")
    field(page, "生效日期").fill("2026-01-01")
    field(page, "数值").fill("12300")
    field(page, "依据").fill("2026 年全口径城镇单位就业人员平均工资公告")
    page.get_by_role("button", name="加入草案").click()
    page.locator(".message-success").wait_for()
    assert "12300" in page.locator("#draft-values").inner_text()
    assert eligibility.parameter_int("P-WAGE-MONTHLY", today) == 11761  # nothing in force changed
    shot(page, "draft")

    field(page, "判定日期").fill(today.isoformat())
    page.get_by_role("button", name="运行模拟").click()
    page.locator("#run-progress").wait_for()
    assert "已完成" in page.locator("#run-progress").inner_text()
    outcomes = page.locator("#outcomes").inner_text()
    assert reference in outcomes
    assert "符合条件 → 不符合条件" in outcomes
    assert "APP-INCOME-RECENT" in outcomes and "110700" in outcomes  # the reason: the new threshold
    assert "108000" in outcomes  # what the applicant earned in the window
    chart = page.locator("#income-chart svg")
    assert "18450" in chart.inner_html() and "17641" in chart.inner_html()
    assert int(page.locator(".evaluated").first.inner_text()) >= 5  # demo cases and holders
    shot(page, "results")

    with page.expect_download() as download:
        page.get_by_role("link", name="导出 CSV").click()
    path = tmp_path / "flips.csv"
    download.value.save_as(path)
    text = path.read_text(encoding="utf-8-sig")
    assert reference in text and "APP-INCOME-RECENT" in text and "110700" in text

    page.get_by_role("link", name="平均工资 12300（2026 年起）").click()
    page.get_by_role("button", name="提请发布").click()
    assert page.locator("#draft-status").inner_text() == "已提请发布，待审批"
    assert "提交审批" not in page.inner_text("main")  # the proposer cannot approve
    shot(page, "proposed")
    draft_url = page.url

    signed_in(page, live_server, "supervisor2")
    page.goto(draft_url)
    assert "共判定" in page.locator("#publication").inner_text()  # the run summary is attached
    page.get_by_role("radio", name="批准发布").check()
    page.get_by_role("button", name="提交审批").click()
    assert page.locator("#draft-status").inner_text() == "已发布"
    shot(page, "published")
    page.goto("/eligibility/admin/parameters/")
    assert "12300" in page.locator("#P-WAGE-MONTHLY").inner_text()

    # The self-check uses the new value from its date: 6 × 18,000 = 108,000 < 110,700 in 2026.
    page.context.clear_cookies()
    months = [(today.replace(day=1) - timedelta(days=31 * k)).strftime("%Y-%m") for k in range(6, 0, -1)]
    answer = self_check(page, (today - timedelta(days=1)).isoformat(), months, str(BORDERLINE))
    assert "差 2700 元" in answer
    shot(page, "self-check-2026")
