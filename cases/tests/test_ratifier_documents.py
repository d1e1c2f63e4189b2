"""Issue 10 (9): the municipal ratifier (核准, BIZ-TIME-LIMIT) opens the files of a case awaiting
ratification, and each read is logged like other staff reads; nobody else gains access, and the
ratifier reads nothing before or after that step or without the second factor."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.testing import login_staff
from cases import services
from cases.models import Case, State
from cases.tests import factories as f
from cases.tests.factories import World
from core.models import PersonalDataAccess
from materials.models import Document

TODAY = date(2025, 11, 20)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel("2025-11-20 10:00 +0800", tick=True):
        yield


def _a_document(case: Case) -> Document:
    return services.current_documents(case)[("LABOUR-CONTRACT", None)]


def _ratifier() -> Client:
    client = Client()
    login_staff(client, f.make_ratifier())
    return client


def test_ratifier_opens_the_files_of_a_case_awaiting_ratification_and_the_read_is_logged(world: World):
    case = f.accepted_case(world, TODAY)
    case = services.approve(world.reviewer, case, version=case.version, today=TODAY)
    assert case.state == State.AWAITING_RATIFICATION
    ratifier = f.make_ratifier()
    client = Client()
    login_staff(client, ratifier)
    # The ratification page links each current file, and the link opens it.
    page = client.get(reverse("cases:ratify_detail", args=[case.public_id])).content.decode()
    document = _a_document(case)
    url = reverse("materials:download", args=[document.public_id])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert response["Cache-Control"] == "private, no-store"
    read = PersonalDataAccess.objects.get(user=ratifier, object_id=str(document.pk), purpose="download")
    assert read.totp_verified is True
    assert client.get(reverse("materials:versions", args=[document.public_id])).status_code == 200
    # Once ratified, the case has left the 核准 queue: its files are no longer the ratifier's to read.
    f.ratify(case, today=TODAY)
    assert client.get(url).status_code == 404


def test_ratifier_cannot_open_files_of_a_case_not_awaiting_ratification(world: World):
    case = f.accepted_case(world, TODAY)  # accepted by the district, not approved
    url = reverse("materials:download", args=[_a_document(case).public_id])
    assert _ratifier().get(url).status_code == 404
    # Nor the applicant's own files outside any case (the profile photo).
    photo = world.applicant.photo
    assert photo is not None
    assert _ratifier().get(reverse("materials:download", args=[photo.public_id])).status_code == 404


def test_wrong_users_still_cannot_open_files_awaiting_ratification(world: World):
    case = f.accepted_case(world, TODAY)
    case = services.approve(world.reviewer, case, version=case.version, today=TODAY)
    url = reverse("materials:download", args=[_a_document(case).public_id])
    # A ratifier who has not passed the second factor.
    unverified = Client()
    unverified.force_login(f.make_ratifier())
    assert unverified.get(url).status_code == 404
    # Another applicant and another employer's operator.
    for user in (world.other_applicant.user, world.other_operator):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 404
    # Anonymous: sent to the login page, never the file.
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert not PersonalDataAccess.objects.filter(purpose="download").exists()
