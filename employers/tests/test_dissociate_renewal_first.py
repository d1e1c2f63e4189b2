"""CHG-RENEW-FIRST at dissociation: a leaving date inside the current permit's REN-WINDOW
(window opens = expires_on − 1 day − 60 days … complete_by = expires_on − 1 day) needs the operator's
explicit confirmation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from employers import services
from employers.models import Association, AssociationStatus
from employers.tests import factories
from materials.models import Document
from permits.tests.factories import make_permit

pytestmark = pytest.mark.django_db


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def employer():
    return factories.make_employer(rights="approved", code="HDTEST23")


@pytest.fixture
def hr(employer):
    return factories.operator(employer)


@pytest.fixture
def association(employer, hr):
    person = factories.applicant(name="王小明")
    pending = services.request_association(actor=person.user, code="HDTEST23", today=today())
    return services.approve_association(
        actor=hr,
        public_id=pending.public_id,
        employed_since=date(2024, 3, 1),
        contract_ends_on=date(2027, 2, 28),
        contract_file=factories.pdf_file("contract.pdf"),
        today=today(),
    )


def dissociate(hr, association, left_on, **extra):
    return services.dissociate(
        actor=hr,
        public_id=association.public_id,
        left_on=left_on,
        certificate_file=factories.pdf_file(),
        today=today(),
        **extra,
    )


def test_chg_renew_first_window_opening_day_refused_without_confirmation(hr, association, employer):
    left_on = today()
    permit = make_permit(association.applicant, employer, expires_on=left_on + timedelta(days=61))
    assert permit.window_opens(left_on) == left_on
    with pytest.raises(ValidationError) as caught:
        dissociate(hr, association, left_on)
    message = caught.value.message_dict["renewal_acknowledged"][0]
    assert left_on.isoformat() in message
    assert permit.window_opens(left_on).isoformat() in message
    assert permit.complete_by.isoformat() in message
    assert permit.number in message
    association.refresh_from_db()
    assert association.status == AssociationStatus.APPROVED
    assert not Document.objects.filter(material="RESIGNATION-CERT").exists()
    done = dissociate(hr, association, left_on, renewal_acknowledged=True)
    assert done.status == AssociationStatus.DISSOCIATED


def test_chg_renew_first_day_before_window_needs_no_confirmation(hr, association, employer):
    left_on = today()
    permit = make_permit(association.applicant, employer, expires_on=left_on + timedelta(days=62))
    assert permit.window_opens(left_on) == left_on + timedelta(days=1)
    assert dissociate(hr, association, left_on).status == AssociationStatus.DISSOCIATED


def test_chg_renew_first_complete_by_is_last_day_of_window(hr, association, employer):
    left_on = today()
    make_permit(association.applicant, employer, expires_on=left_on + timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        dissociate(hr, association, left_on)
    assert "renewal_acknowledged" in caught.value.message_dict


def test_chg_renew_first_day_after_complete_by_needs_no_confirmation(hr, association, employer):
    left_on = today()
    permit = make_permit(association.applicant, employer, expires_on=left_on)
    assert permit.complete_by == left_on - timedelta(days=1)
    assert dissociate(hr, association, left_on).status == AssociationStatus.DISSOCIATED


def test_chg_renew_first_renewal_approved_extended_the_permit(hr, association, employer):
    left_on = today()
    # the renewal approved before leaving moved the expiry three years on: no longer in the window
    make_permit(
        association.applicant,
        employer,
        issued_on=left_on - timedelta(days=1000),
        expires_on=left_on + timedelta(days=30) + timedelta(days=1095),
    )
    assert dissociate(hr, association, left_on).status == AssociationStatus.DISSOCIATED


def test_chg_renew_first_without_permit_needs_no_confirmation(hr, association):
    assert dissociate(hr, association, today()).status == AssociationStatus.DISSOCIATED


def test_chg_renew_first_form_shows_the_error_at_the_checkbox(client, hr, association, employer):
    left_on = today()
    permit = make_permit(association.applicant, employer, expires_on=left_on + timedelta(days=30))
    client.force_login(hr)
    url = f"/employers/associations/{association.public_id}/"
    form = {"action": "dissociate", "left_on": left_on.isoformat()}
    response = client.post(url, {**form, "certificate_file": factories.pdf_file()})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_renewal_acknowledged-error"' in html
    assert permit.complete_by.isoformat() in html
    assert "已知悉：证件处于续签期，解除关联后须由新单位办理变更" in html
    assert Association.objects.get().status == AssociationStatus.APPROVED
    response = client.post(
        url, {**form, "certificate_file": factories.pdf_file(), "renewal_acknowledged": "on"}
    )
    assert response.status_code == 302
    assert Association.objects.get().status == AssociationStatus.DISSOCIATED


def test_chg_renew_first_an_open_renewal_is_finished_or_withdrawn_before_dissociating(
    hr, association, employer
):
    """CHG-RENEW-FIRST (edition 2): the former employer's open renewal comes first."""
    from cases.models import Case, Kind, State

    left_on = today()
    make_permit(association.applicant, employer, expires_on=left_on + timedelta(days=30))
    case = Case.objects.create(
        reference="HD2099000001",
        kind=Kind.RENEWAL,
        applicant=association.applicant,
        employer=employer,
        created_by=hr,
    )
    with pytest.raises(ValidationError, match=case.reference):
        dissociate(hr, association, left_on, renewal_acknowledged=True)
    Case.objects.filter(pk=case.pk).update(state=State.WITHDRAWN)
    done = dissociate(hr, association, left_on, renewal_acknowledged=True)
    assert done.status == AssociationStatus.DISSOCIATED
