"""Every page with an applicant's data: 404 to the wrong user, login redirect for anonymous."""

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.testing import login_staff, make_user
from applicants.models import Child, Period
from applicants.tests.factories import make_applicant
from core.models import PersonalDataAccess


@pytest.fixture
def owner():
    applicant = make_applicant()
    period = Period.objects.create(
        applicant=applicant, kind="work", organisation="甲公司", start="2020-01-01"
    )
    child = Child.objects.create(applicant=applicant, name="张小明", birth_date="2018-01-01")
    return applicant, period, child


def object_urls(period, child):
    return [
        reverse("applicants:period_edit", args=[period.public_id]),
        reverse("applicants:period_remove", args=[period.public_id]),
        reverse("applicants:child_edit", args=[child.public_id]),
        reverse("applicants:child_remove", args=[child.public_id]),
    ]


@pytest.mark.django_db
def test_another_applicant_gets_404_and_cannot_change_anything(client, owner):
    applicant, period, child = owner
    other = make_applicant()
    client.force_login(other.user)
    for url in object_urls(period, child):
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"version": applicant.version, "organisation": "x", "name": "x"}).status_code
            == 404
        )
    assert Period.objects.filter(applicant=applicant).count() == 1
    assert Child.objects.filter(applicant=applicant).count() == 1
    # Their own profile shows only their own data.
    page = client.get(reverse("applicants:profile")).content.decode()
    assert "甲公司" not in page
    assert client.get(reverse("applicants:staff_detail", args=[applicant.public_id])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OPERATOR, Role.REVIEWER, Role.SUPERVISOR])
def test_operators_and_staff_cannot_use_applicant_pages(client, owner, role):
    _applicant, period, child = owner
    user = make_user(role)
    if role == Role.OPERATOR:
        client.force_login(user)
    else:
        login_staff(client, user)
    for url in [reverse("applicants:profile"), *object_urls(period, child)]:
        assert client.get(url).status_code == 404
    assert client.post(reverse("applicants:section", args=["basic"]), {"version": 1}).status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, owner):
    applicant, period, child = owner
    urls = [
        reverse("applicants:profile"),
        reverse("applicants:photo"),
        reverse("applicants:section", args=["basic"]),
        reverse("applicants:staff_detail", args=[applicant.public_id]),
        *object_urls(period, child),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


@pytest.mark.django_db
def test_operator_cannot_read_staff_view(client, owner):
    applicant, _period, _child = owner
    client.force_login(make_user(Role.OPERATOR))
    assert client.get(reverse("applicants:staff_detail", args=[applicant.public_id])).status_code == 404


@pytest.mark.django_db
def test_staff_view_is_masked_and_logged(client, owner):
    applicant, _period, _child = owner
    reviewer = make_user(Role.REVIEWER)
    client.force_login(reviewer)
    url = reverse("applicants:staff_detail", args=[applicant.public_id])
    assert client.get(url)["Location"].startswith("/accounts/otp/")  # second factor first
    assert not PersonalDataAccess.objects.exists()
    login_staff(client, reviewer)
    page = client.get(url).content.decode()
    assert applicant.id_number not in page and applicant.name not in page
    assert applicant.id_number[:4] + "**********" in page
    log = PersonalDataAccess.objects.get()
    assert log.user == reviewer and log.object_id == str(applicant.pk) and log.purpose == "view_profile"
