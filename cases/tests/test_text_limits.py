"""Issue 11 (low): free text is bounded — a huge withdrawal reason is refused, the case unchanged."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from cases import services
from cases.forms import TEXT_MAX
from cases.models import CaseEvent, State
from cases.tests.conftest import TODAY


def test_a_withdrawal_reason_over_the_limit_is_refused(world):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    client = Client()
    client.force_login(world.applicant_user)
    url = reverse("cases:act", args=[case.public_id, "withdraw"])
    response = client.post(url, {"version": case.version, "reason": "很长" * 500_000})
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.state == State.DRAFT
    assert not CaseEvent.objects.filter(case=case, action="withdraw").exists()
    client.post(url, {"version": case.version, "reason": "理" * TEXT_MAX})
    case.refresh_from_db()
    assert case.state == State.WITHDRAWN
    assert len(CaseEvent.objects.get(case=case, action="withdraw").reason) == TEXT_MAX
