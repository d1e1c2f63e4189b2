import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.models import Role
from accounts.permissions import applicant_required, staff_required
from accounts.testing import login_staff, make_user


@staff_required
def staff_view(request):
    return HttpResponse("secret")


@applicant_required
def applicant_view(request):
    return HttpResponse("mine")


@pytest.mark.django_db
def test_staff_view_needs_second_factor(client):
    reviewer = make_user(Role.REVIEWER)
    request = RequestFactory().get("/x")
    request.user = reviewer
    request.user.is_verified = lambda: False  # type: ignore[attr-defined]
    response = staff_view(request)
    assert response.status_code == 302 and "/accounts/otp/" in response["Location"]
    request.user.is_verified = lambda: True  # type: ignore[attr-defined]
    assert staff_view(request).content == b"secret"


@pytest.mark.django_db
def test_wrong_role_gets_404():
    from django.http import Http404

    request = RequestFactory().get("/x")
    request.user = make_user(Role.OPERATOR)
    with pytest.raises(Http404):
        applicant_view(request)


@pytest.mark.django_db
def test_login_staff_sets_verified_session(client):
    reviewer = make_user(Role.REVIEWER)
    device = login_staff(client, reviewer)
    assert client.session["otp_device_id"] == device.persistent_id
