"""Home-page panels: operators, reviewers and applicants each see what waits for them."""

from __future__ import annotations

import pytest

from accounts.models import Role
from accounts.testing import login_staff, make_user
from employers.tests import factories

pytestmark = pytest.mark.django_db


def test_operator_sees_rights_code_and_pending_requests(client):
    employer = factories.make_employer(rights="approved", code="PANEL234")
    hr = factories.operator(employer)
    association = factories.association(factories.applicant(name="钱多多"), employer)
    client.force_login(hr)
    html = client.get("/").content.decode()
    assert "单位办理权限" in html and "已开通" in html and "PANEL234" in html
    assert "待确认的员工关联申请" in html
    assert "钱**" in html and "钱多多" not in html
    assert f"/employers/associations/{association.public_id}/" in html


def test_reviewer_sees_pending_rights_requests(client):
    pending = factories.make_employer(rights="pending")
    approved = factories.make_employer(rights="approved")
    login_staff(client, make_user(Role.REVIEWER))
    html = client.get("/").content.decode()
    assert "待审核的单位办理权限申请" in html
    assert pending.name in html and approved.name not in html


def test_applicant_sees_association_status_and_link(client):
    person = factories.applicant()
    client.force_login(person.user)
    html = client.get("/").content.decode()
    assert "尚未关联单位" in html and "/employers/associate/" in html
    employer = factories.make_employer(rights="approved")
    factories.association(person, employer, status="approved")
    html = client.get("/").content.decode()
    assert employer.name in html and "已关联" in html
