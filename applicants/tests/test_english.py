"""The English catalogue (compiled by `make setup`) covers registration and the profile."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.identity import make_id_number
from applicants.tests.factories import make_applicant


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.django_db
def test_registration_errors_in_english(english):
    good = make_id_number("110108", date(1992, 4, 15), 13)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    page = english.post(
        reverse("applicants:register"),
        {
            "name": "Zhang",
            "id_number": bad,
            "email": "z@example.cn",
            "phone": "13912345678",
            "password1": "Zhang-wei-2025!",
            "password2": "Zhang-wei-2025!",
        },
    ).content.decode()
    assert "Applicant registration" in page
    assert "The check digit of the ID number is wrong" in page


@pytest.mark.django_db
def test_profile_in_english(english):
    applicant = make_applicant()
    english.force_login(applicant.user)
    page = english.get(reverse("applicants:profile")).content.decode()
    for text in ("Basic information", "Residence in Beijing", "Accompanying children", "To do", "Hukou type"):
        assert text in page
