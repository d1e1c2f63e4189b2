"""Journey: a supervisor enters next year's average wage and a new year's working-day calendar."""

import re

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Role
from accounts.testing import login_staff, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def field(page, label: str):
    """The input labelled exactly `label` (a required field's label also shows an asterisk)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def signed_in_as_supervisor(page, live_server) -> None:
    """The session a supervisor has after password and TOTP, handed to the browser."""
    client = Client()
    login_staff(client, make_user(Role.SUPERVISOR, username="zhuguan"))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_supervisor_enters_a_wage_and_a_calendar(page, live_server, shot):
    signed_in_as_supervisor(page, live_server)
    page.goto("/")
    page.get_by_role("link", name="政策参数（全口径月平均工资等）").click()
    shot(page, "parameters")
    field(page, "参数").select_option("P-WAGE-MONTHLY")
    field(page, "生效日期").fill("2026-01-01")
    field(page, "数值").fill("12500.5")
    field(page, "依据").fill("2026 年全口径城镇单位就业人员平均工资公告")
    page.get_by_role("button", name="录入").click()
    page.locator(".error-summary").wait_for()
    shot(page, "decimal-refused")
    assert field(page, "依据").input_value() == "2026 年全口径城镇单位就业人员平均工资公告"
    field(page, "数值").fill("12500")
    page.get_by_role("button", name="录入").click()
    page.locator(".message-success").wait_for()
    table = page.locator("#P-WAGE-MONTHLY")
    assert "12500" in table.inner_text()
    assert "zhuguan" in table.inner_text()
    shot(page, "wage-entered")

    page.goto("/eligibility/admin/calendar/")
    field(page, "年份").fill("2099")
    field(page, "法定节假日（放假日期）").fill("2099-01-01\n2099-10-01~2099-10-07")
    field(page, "调休上班日（周末上班的日期）").fill("2099-09-26")
    field(page, "依据").fill("国办发明电〔2098〕1号")
    page.get_by_role("button", name="录入").click()
    page.locator(".message-success").wait_for()
    assert "2099-10-07" in page.locator("main").inner_text()
    shot(page, "calendar-entered")

    page.goto("/eligibility/deadlines/?expires_on=2099-08-06")
    assert page.locator(".estimate").count() == 0
    assert page.get_by_test_id("latest-working-day").inner_text().startswith("2099-07-")
