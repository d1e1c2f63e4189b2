"""A renewal or employer change that cannot start yet is refused at start, with the dates (issue 10,
item 4): REN-WINDOW, REN-DEADLINE, CHG-DEADLINE, REN-EXPIRED at their boundary days (guide example:
expiry 2022-08-06 → window 2022-06-06 … 2022-08-05, latest working day Fri 2022-07-08)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import engine, services
from cases.models import Case, Kind
from cases.tests.factories import World
from cases.tests.test_renewal_and_changes import change_world
from permits.models import Permit
from permits.services import next_number

GUIDE_EXPIRY = date(2022, 8, 6)


def give_permit(world: World, expires_on: date, employer=None) -> Permit:
    return Permit.objects.create(
        number=next_number(2020),
        holder=world.applicant,
        employer=employer or world.employer,
        issued_on=date(2020, 1, 1),
        expires_on=expires_on,
    )


def start(world: World, kind: str, day: date) -> Case:
    kinds = ["address"] if kind == Kind.INFO_CHANGE else []
    return services.start_employer_case(
        world.operator, applicant=world.applicant, kind=kind, today=day, info_change_kinds=kinds
    )


def test_ren_window_the_day_before_the_window_opens_is_refused_with_the_dates(world):
    give_permit(world, GUIDE_EXPIRY)
    with pytest.raises(services.TransitionNotAllowed) as refused:
        start(world, Kind.RENEWAL, date(2022, 6, 5))
    message = refused.value.message
    assert "尚未到续签期" in message and "REN-WINDOW" in message
    assert "2022-06-06" in message  # the window opens
    assert "2022-07-08" in message  # the latest submission (working) day
    assert "2022-08-06" in message  # the expiry
    assert not Case.objects.exists()
    assert start(world, Kind.RENEWAL, date(2022, 6, 6)).kind == Kind.RENEWAL


def test_ren_deadline_a_late_start_is_allowed_until_the_day_before_complete_by(world):
    give_permit(world, GUIDE_EXPIRY)
    assert services.start_deadline_refusal(Kind.RENEWAL, GUIDE_EXPIRY, date(2022, 8, 4)) == ""
    refusal = services.start_deadline_refusal(Kind.RENEWAL, GUIDE_EXPIRY, date(2022, 8, 5))
    assert "REN-DEADLINE" in refusal and "2022-08-05" in refusal and "2022-07-08" in refusal
    with pytest.raises(services.TransitionNotAllowed, match="REN-DEADLINE"):
        start(world, Kind.RENEWAL, date(2022, 8, 5))
    assert start(world, Kind.RENEWAL, date(2022, 8, 4)).kind == Kind.RENEWAL


def test_ren_expired_the_day_after_expiry_is_refused_the_expiry_day_is_a_deadline_refusal(world):
    give_permit(world, GUIDE_EXPIRY)
    with pytest.raises(services.TransitionNotAllowed, match="REN-DEADLINE"):
        start(world, Kind.RENEWAL, GUIDE_EXPIRY)
    with pytest.raises(services.TransitionNotAllowed, match="REN-EXPIRED"):
        start(world, Kind.RENEWAL, GUIDE_EXPIRY + timedelta(days=1))


def test_chg_deadline_an_employer_change_has_no_window_but_stops_at_complete_by(world):
    change_world(world, GUIDE_EXPIRY)
    assert services.start_deadline_refusal(Kind.EMPLOYER_CHANGE, GUIDE_EXPIRY, date(2022, 1, 3)) == ""
    assert services.start_deadline_refusal(Kind.EMPLOYER_CHANGE, GUIDE_EXPIRY, date(2022, 8, 4)) == ""
    with pytest.raises(services.TransitionNotAllowed) as refused:
        start(world, Kind.EMPLOYER_CHANGE, date(2022, 8, 5))
    assert "CHG-DEADLINE" in refused.value.message and "2022-08-05" in refused.value.message
    assert start(world, Kind.EMPLOYER_CHANGE, date(2022, 8, 4)).kind == Kind.EMPLOYER_CHANGE


def test_inf_change_has_no_deadline_before_expiry(world):
    give_permit(world, GUIDE_EXPIRY)
    assert services.start_deadline_refusal(Kind.INFO_CHANGE, GUIDE_EXPIRY, date(2022, 8, 5)) == ""
    assert start(world, Kind.INFO_CHANGE, date(2022, 8, 5)).kind == Kind.INFO_CHANGE


def test_the_window_follows_the_parameter_in_force(db):
    """REN-WINDOW: the refusal's dates come from the policy, never a copied figure."""
    day = date(2022, 6, 5)
    opens = engine.case_deadlines(GUIDE_EXPIRY, day).window_opens
    assert services.start_deadline_refusal(Kind.RENEWAL, GUIDE_EXPIRY, opens - timedelta(days=1))
    assert services.start_deadline_refusal(Kind.RENEWAL, GUIDE_EXPIRY, opens) == ""


@pytest.mark.django_db
def test_the_start_page_shows_the_refusal_at_once_with_the_dates(world):
    """An operator starts a renewal for a permit issued today: refused on the start page itself."""
    with time_machine.travel("2025-11-20 10:00 +0800", tick=True):
        today = timezone.localdate()
        expires = today + timedelta(days=3 * 365)
        give_permit(world, expires)
        client = Client()
        client.force_login(world.operator)
        response = client.post(
            reverse("cases:start_employer"), {"applicant": str(world.applicant.public_id), "kind": "renewal"}
        )
        assert response.status_code == 200
        page = response.content.decode()
        opens = engine.case_deadlines(expires, today).window_opens
        assert "尚未到续签期" in page and opens.isoformat() in page
        assert not Case.objects.exists()
