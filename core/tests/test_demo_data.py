"""`make run` loads the demo data: it must load twice without change and its logins must work."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from core.demo import DEMO_PASSWORD
from employers.models import Employer


@pytest.mark.django_db(transaction=True)
def test_demo_data_is_idempotent_and_its_logins_work(client):
    first = StringIO()
    call_command("load_demo_data", stdout=first)
    counts = (User.objects.count(), Employer.objects.count())
    second = StringIO()
    call_command("load_demo_data", stdout=second)
    assert (User.objects.count(), Employer.objects.count()) == counts
    assert first.getvalue() == second.getvalue()

    printed = first.getvalue()
    for username in ("supervisor", "reviewer", "hr_tech", "hr_receive", "applicant1", "applicant2"):
        assert f" {username} " in printed
    response = client.post("/accounts/login/", {"username": "applicant1", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    response = client.post("/accounts/login/", {"username": "hr_tech", "password": DEMO_PASSWORD})
    assert response.status_code == 302
