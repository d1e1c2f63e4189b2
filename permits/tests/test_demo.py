"""Demo data loads idempotently after the accounts, applicants and employers demo data."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from oversight.models import Sanction
from permits.models import Permit, PermitEvent, PermitStatus

pytestmark = pytest.mark.django_db


def _load_all() -> list:
    from accounts import demo as accounts_demo
    from applicants import demo as applicants_demo
    from employers import demo as employers_demo
    from oversight import demo as oversight_demo
    from permits import demo as permits_demo

    accounts_demo.load()
    applicants_demo.load()
    employers_demo.load()
    logins = permits_demo.load()
    oversight_demo.load()
    return logins


def test_demo_permits_idempotent_and_slip_printable():
    logins = _load_all()
    assert {login.username for login in logins} == {
        "applicant2",
        "holder_renewal",
        "holder_cancelled",
        "holder_migrated",
    }
    counts = (Permit.objects.count(), PermitEvent.objects.count(), Sanction.objects.count())
    _load_all()
    assert (Permit.objects.count(), PermitEvent.objects.count(), Sanction.objects.count()) == counts
    statuses = dict(Permit.objects.values_list("holder__user__username", "status"))
    assert statuses == {
        "applicant2": PermitStatus.VALID,
        "holder_renewal": PermitStatus.RENEWAL_DUE,
        "holder_cancelled": PermitStatus.CANCELLED,
        "holder_migrated": PermitStatus.VALID,
    }
    # CHG-RESIGNATION: only the migrated holder's permit came from the old system.
    assert set(Permit.objects.filter(migrated=True).values_list("holder__user__username", flat=True)) == {
        "holder_migrated"
    }
    permit = Permit.objects.get(holder__user__username="applicant2")
    client = Client()
    client.force_login(permit.holder.user)
    response = client.get(reverse("permits:slip", args=[permit.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_demo_skips_when_applicant2_absent():
    from permits import demo as permits_demo

    assert permits_demo.load() == []
    assert not Permit.objects.exists()
