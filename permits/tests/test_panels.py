"""Home panels: the holder sees the permit and the slip link; the employer sees permits due for renewal."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from permits.models import PermitStatus
from permits.tests.factories import make_applicant, make_operator, make_permit

pytestmark = pytest.mark.django_db


def _home(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("core:home")).content.decode()


def test_holder_sees_permit_status_and_slip_link():
    permit = make_permit()
    body = _home(permit.holder.user)
    assert "我的工作居住证" in body
    assert permit.number in body
    assert reverse("permits:slip", args=[permit.public_id]) in body
    assert "有效" in body


def test_cancelled_permit_has_no_slip_link():
    permit = make_permit(status=PermitStatus.CANCELLED)
    body = _home(permit.holder.user)
    assert permit.number in body
    assert reverse("permits:slip", args=[permit.public_id]) not in body


def test_applicant_without_permit_sees_empty_text():
    assert "您尚未持有工作居住证" in _home(make_applicant().user)


def test_operator_sees_only_own_renewal_due_permits():
    due = make_permit(status=PermitStatus.RENEWAL_DUE)
    other = make_permit(status=PermitStatus.RENEWAL_DUE)
    body = _home(make_operator(due.employer))
    assert due.number in body
    assert other.number not in body
