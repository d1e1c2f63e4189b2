"""Issue 11, production 10: an operator invitation can be revoked by the employer's admin operator
(the one who may invite) or by district staff with TOTP; the signed link then fails with a clear
page. Wrong users: 404 (login/TOTP redirect for anonymous / staff without TOTP), nothing changes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Role, User
from accounts.testing import login_staff, make_user
from employers import services
from employers.models import Invitation
from employers.tests import factories

pytestmark = pytest.mark.django_db


def _setup():
    admin = factories.operator()
    invitation = services.invite_operator(actor=admin, email="joiner@example.cn")
    return admin, invitation, f"/employers/invitation/{services.invitation_token(invitation)}/"


def _revoke_url(invitation: Invitation) -> str:
    return reverse("employers:revoke_invitation", args=[invitation.public_id])


def test_admin_operator_revokes_and_the_link_fails_with_a_clear_page(client):
    admin, invitation, link = _setup()
    assert client.get(link).status_code == 200
    client.force_login(admin)
    page = client.get("/employers/operators/").content.decode()
    assert _revoke_url(invitation) in page
    response = client.post(_revoke_url(invitation))
    assert response.status_code == 302 and response["Location"] == "/employers/operators/"
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and invitation.revoked_by == admin
    assert "joiner@example.cn" not in client.get("/employers/operators/").content.decode()
    client.logout()
    response = client.get(link)
    assert response.status_code == 410
    assert "该邀请已被撤销" in response.content.decode()
    password = "Aa-123456789"
    response = client.post(
        link, {"name": "新人", "phone": "13800000000", "password1": password, "password2": password}
    )
    assert response.status_code == 410
    assert not User.objects.filter(email="joiner@example.cn").exists()


def test_staff_with_totp_revoke_from_the_employer_review_page(client):
    _admin, invitation, link = _setup()
    reviewer = make_user(Role.REVIEWER)
    login_staff(client, reviewer)
    code = invitation.employer.registry.credit_code
    page = client.get(reverse("employers:review_detail", args=[code])).content.decode()
    assert _revoke_url(invitation) in page
    response = client.post(_revoke_url(invitation))
    assert response.status_code == 302 and code in response["Location"]
    invitation.refresh_from_db()
    assert invitation.revoked_by == reviewer
    assert client.get(link).status_code == 410


def test_a_link_accepted_after_revocation_under_the_lock_is_refused():
    _admin, invitation, _link = _setup()
    token = services.invitation_token(invitation)
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=invitation.created_at)
    with pytest.raises(Exception, match="撤销"):
        services.accept_invitation(token=token, name="x", phone="13800000000", password="Aa-123456789")


@pytest.mark.parametrize(
    "who", ["anonymous", "applicant", "other_employer_admin", "same_employer_clerk", "staff_no_totp"]
)
def test_wrong_users_cannot_revoke(client, who):
    _admin, invitation, link = _setup()
    if who == "applicant":
        client.force_login(make_user(Role.APPLICANT))
    elif who == "other_employer_admin":
        client.force_login(factories.operator())
    elif who == "same_employer_clerk":
        client.force_login(factories.operator(invitation.employer, is_admin=False))
    elif who == "staff_no_totp":
        client.force_login(make_user(Role.SUPERVISOR))
    response = client.post(_revoke_url(invitation))
    if who in ("anonymous", "staff_no_totp"):
        assert response.status_code == 302
        assert response["Location"].startswith((reverse("accounts:login"), reverse("accounts:otp")))
    else:
        assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    client.logout()
    assert client.get(link).status_code == 200


def test_service_refuses_other_employers_operator():
    _admin, invitation, _link = _setup()
    with pytest.raises(PermissionDenied):
        services.revoke_invitation(actor=factories.operator(), public_id=invitation.public_id)
