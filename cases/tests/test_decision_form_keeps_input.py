"""The reviewer's decision form keeps what was typed (issue 10, item 3): after a refused decision the
chosen decision, the opinion and the tip are shown again, the error beside its field and in the
error summary linking to it, never as a banner at the top of the page."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from cases.models import State
from cases.tests import factories as f
from cases.tests.factories import World
from cases.tests.test_views import logged_in

TODAY = date(2025, 11, 20)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel("2025-11-20 10:00 +0800", tick=True):
        yield


def test_return_without_opinion_keeps_the_decision_and_the_tip(world: World):
    case = f.accepted_case(world, TODAY)
    client = logged_in(world.reviewer)
    response = client.post(
        reverse("cases:decide", args=[case.public_id]),
        {"version": case.version, "decision": "return_to_applicant", "opinion": "", "tips": "请逐页盖章"},
    )
    assert response.status_code == 400
    form = response.context["decision_form"]
    assert list(form.errors) == ["opinion"]
    body = response.content.decode()
    assert 'value="return_to_applicant" required id="id_decision_1" checked' in body or (
        form["decision"].value() == "return_to_applicant" and "checked" in body
    )
    assert "请逐页盖章" in body
    assert 'href="#id_opinion"' in body and 'class="error-message" id="id_opinion-error"' in body
    assert not list(response.context["messages"])  # no banner
    case.refresh_from_db()
    assert case.state == State.ACCEPTED


def test_a_refused_decision_can_be_sent_again_from_the_page(world: World):
    case = f.accepted_case(world, TODAY)
    client = logged_in(world.reviewer)
    url = reverse("cases:decide", args=[case.public_id])
    refused = client.post(url, {"version": case.version, "decision": "reject", "opinion": ""})
    version = refused.context["decision_form"]["version"].value()
    response = client.post(url, {"version": version, "decision": "reject", "opinion": "不符合条件。"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.REJECTED


def test_stale_version_is_shown_beside_the_form_with_the_current_version(world: World):
    case = f.accepted_case(world, TODAY)
    client = logged_in(world.reviewer)
    response = client.post(
        reverse("cases:decide", args=[case.public_id]),
        {"version": case.version - 1, "decision": "reject", "opinion": "不符合条件。"},
    )
    assert response.status_code == 400
    form = response.context["decision_form"]
    assert form.non_field_errors()
    assert str(form["version"].value()) == str(case.version)
    assert "不符合条件。" in response.content.decode()
