"""Materials upload errors sit beside their own item, with the dates typed kept and the error summary
linking to the field (issue 10, item 3); an issue date after today is refused (no impossible dates)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from cases import services
from cases.tests import factories as f
from cases.tests.factories import World
from cases.tests.test_views import logged_in

TODAY = date(2025, 11, 20)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel("2025-11-20 10:00 +0800", tick=True):
        yield


def test_a_refused_file_is_reported_at_its_item_with_the_typed_dates(world: World):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    client = logged_in(world.applicant_user)
    url = reverse("cases:materials", args=[case.public_id])
    response = client.post(
        url,
        {
            "material": "LEASE",
            "uploader": "applicant",
            "child": "",
            "file": f.SimpleUploadedFile("x.pdf", b"not a pdf"),
            "valid_until": "2026-10-01",
        },
    )
    assert response.status_code == 400
    assert not list(response.context["messages"])  # no banner
    body = response.content.decode()
    item = body.split('id="m-LEASE-None"')[1].split("</li>")[0]
    assert 'class="error-message" id="f-m-LEASE-None-error"' in item and "PDF" in item
    assert 'value="2026-10-01"' in item
    assert 'href="#f-m-LEASE-None"' in body.split('class="error-summary"')[1]
    other = body.split('id="m-APPLICANT-INTEGRITY-None"')[1].split("</li>")[0]
    assert "error-message" not in other


def test_issue_date_after_today_is_refused_beside_the_date(world: World):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    client = logged_in(world.applicant_user)
    url = reverse("cases:materials", args=[case.public_id])
    data = {"material": "LEASE", "uploader": "applicant", "child": ""}
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    response = client.post(url, {**data, "file": f.pdf(), "issued_on": tomorrow})
    assert response.status_code == 400
    item = response.content.decode().split('id="m-LEASE-None"')[1].split("</li>")[0]
    assert 'id="i-m-LEASE-None-error"' in item and "不能晚于今天" in item
    assert not case.documents.filter(material="LEASE").exists()
    ok = client.post(url, {**data, "file": f.pdf(), "issued_on": TODAY.isoformat()})
    assert ok.status_code == 302
