"""Every permit page: holder and employer see it; another applicant or operator gets 404; anonymous
is sent to log in; staff pages need the second factor."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from permits.tests.factories import make_applicant, make_employer, make_operator, make_permit

pytestmark = pytest.mark.django_db


@pytest.fixture
def permit():
    return make_permit()


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("name", ["permits:detail", "permits:slip"])
def test_other_applicant_gets_404(permit, name):
    other = make_applicant()
    response = _client(other.user).get(reverse(name, args=[permit.public_id]))
    assert response.status_code == 404
    assert permit.number not in response.content.decode(errors="ignore")


@pytest.mark.parametrize("name", ["permits:detail", "permits:slip"])
def test_other_employers_operator_gets_404(permit, name):
    operator = make_operator(make_employer())
    assert _client(operator).get(reverse(name, args=[permit.public_id])).status_code == 404


@pytest.mark.parametrize("name", ["permits:detail", "permits:slip", "permits:list"])
def test_anonymous_redirected_to_login(permit, name):
    url = reverse(name, args=[permit.public_id]) if name != "permits:list" else reverse(name)
    response = _client().get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_holder_and_employer_operator_see_the_page(permit):
    holder_page = _client(permit.holder.user).get(reverse("permits:detail", args=[permit.public_id]))
    assert holder_page.status_code == 200
    assert permit.number in holder_page.content.decode()
    assert "打印" in holder_page.content.decode()
    operator = make_operator(permit.employer)
    op_page = _client(operator).get(reverse("permits:detail", args=[permit.public_id]))
    assert op_page.status_code == 200
    assert "打印《" not in op_page.content.decode()


def test_employer_operator_cannot_print_holders_slip(permit):
    operator = make_operator(permit.employer)
    assert _client(operator).get(reverse("permits:slip", args=[permit.public_id])).status_code == 404


def test_lists_only_own_permits(permit):
    other = make_permit()
    body = _client(permit.holder.user).get(reverse("permits:list")).content.decode()
    assert permit.number in body
    assert other.number not in body
    operator = make_operator(other.employer)
    body = _client(operator).get(reverse("permits:list")).content.decode()
    assert other.number in body
    assert permit.number not in body
