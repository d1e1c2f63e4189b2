"""Journey (INSPECTION, 四（七）): a supervisor starts the annual inspection, watches it finish,
cancels the permit of a holder who left without an employer change (reason + confirmation step),
and downloads the report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from accounts.testing import login_staff, make_user
from permits.models import Permit, PermitStatus
from permits.tests.factories import associate, make_employer, make_permit

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in_as_supervisor(page, live_server) -> None:
    client = Client()
    login_staff(client, make_user(Role.SUPERVISOR, username="zhuguan", display_name="李主管"))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_supervisor_runs_inspection_and_cancels_a_permit(page, live_server, shot):
    today = timezone.localdate()
    employer = make_employer("北京海淀示例科技有限公司")
    in_order = make_permit(
        employer=employer, issued_on=today - timedelta(days=100), expires_on=today + timedelta(days=900)
    )
    associate(in_order.holder, employer)
    left = make_permit(
        employer=employer, issued_on=today - timedelta(days=100), expires_on=today + timedelta(days=900)
    )
    associate(left.holder, employer, status="dissociated")
    signed_in_as_supervisor(page, live_server)

    page.goto("/")
    expect(page.get_by_role("heading", name="进行中的证件年检")).to_be_visible()
    page.get_by_role("link", name="发起年检").click()
    page.get_by_label("检查基准日").fill(today.isoformat())
    shot(page, "start")
    page.get_by_role("button", name="开始年检").click()
    expect(page.locator("#inspection-progress")).to_contain_text("2 / 2")
    expect(page.locator("#progress-bar")).to_have_attribute("value", "100")
    shot(page, "classified")

    row = page.locator("tr", has_text=left.number)
    expect(row).to_contain_text("持证人已离职且未办理单位变更")
    expect(page.locator("tr", has_text=in_order.number)).to_have_count(0)
    row.get_by_role("checkbox").check()
    page.get_by_role("button", name="注销所选证件…").click()
    expect(page.locator(".message-error")).to_contain_text("请填写注销原因")
    row = page.locator("tr", has_text=left.number)
    row.get_by_role("checkbox").check()
    page.get_by_label("注销或保留的理由").fill("持证人已离职，原单位未办理单位变更")
    page.get_by_role("button", name="注销所选证件…").click()
    expect(page.get_by_role("heading", name="确认注销")).to_be_visible()
    expect(page.locator("main")).to_contain_text(left.number)
    shot(page, "confirm")
    assert Permit.objects.get(pk=left.pk).status == PermitStatus.VALID
    page.get_by_role("button", name="确认注销").click()
    expect(page.locator(".message-success")).to_contain_text("已注销 1 个证件")
    shot(page, "cancelled")
    assert Permit.objects.get(pk=left.pk).status == PermitStatus.CANCELLED
    assert Permit.objects.get(pk=in_order.pk).status == PermitStatus.VALID

    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    assert download.value.suggested_filename == f"inspection-{today.isoformat()}.xlsx"
