"""Supervisors' home panels: running inspections and sanctions waiting for their approval."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from accounts.testing import login_staff, make_user
from oversight.models import Inspection, InspectionStatus, Sanction
from permits.tests.factories import make_employer

pytestmark = pytest.mark.django_db


def test_supervisor_sees_inspections_and_others_proposals_only():
    supervisor = make_user(Role.SUPERVISOR)
    reviewer = make_user(Role.REVIEWER)
    Inspection.objects.create(as_of=date(2025, 12, 1), started_by=supervisor, status=InspectionStatus.RUNNING)
    theirs = Sanction.objects.create(
        employer=make_employer("北京他人提出科技有限公司"),
        kind="blacklist",
        reason="x",
        starts_on=date(2025, 1, 1),
        proposed_by=reviewer,
    )
    Sanction.objects.create(
        employer=make_employer("北京本人提出科技有限公司"),
        kind="blacklist",
        reason="x",
        starts_on=date(2025, 1, 1),
        proposed_by=supervisor,
    )
    client = Client()
    login_staff(client, supervisor)
    body = client.get(reverse("core:home")).content.decode()
    assert "进行中的证件年检" in body
    assert "年检 2025-12-01" in body
    assert reverse("oversight:sanction_detail", args=[theirs.public_id]) in body
    assert "北京本人提出科技有限公司" not in body


def test_reviewer_sees_own_proposals_and_link_to_propose():
    reviewer = make_user(Role.REVIEWER)
    Sanction.objects.create(
        employer=make_employer("北京待批科技有限公司"),
        kind="blacklist",
        reason="x",
        starts_on=date(2025, 1, 1),
        proposed_by=reviewer,
    )
    client = Client()
    login_staff(client, reviewer)
    body = client.get(reverse("core:home")).content.decode()
    assert "进行中的证件年检" not in body
    assert "北京待批科技有限公司" in body
    assert reverse("oversight:sanction_new") in body
