import pytest

from accounts.identity import parse_id_number
from accounts.models import User
from applicants import demo
from applicants.models import Applicant
from applicants.selectors import facts_for, missing_profile_items
from core.demo import DEMO_PASSWORD


@pytest.mark.django_db
def test_demo_applicants_are_valid_and_idempotent():
    logins = demo.load()
    demo.load()
    assert [login.username for login in logins] == ["applicant1", "applicant2", "applicant3", "applicant4"]
    assert Applicant.objects.count() == 4
    for applicant in Applicant.objects.all():
        assert parse_id_number(applicant.id_number) == (applicant.birth_date, applicant.sex)
        assert User.objects.get(pk=applicant.user_id).check_password(DEMO_PASSWORD)
    by_name = {a.user.username: a for a in Applicant.objects.select_related("user")}
    assert missing_profile_items(by_name["applicant1"]) == []
    assert facts_for(by_name["applicant1"])["degree"] == "master"
    assert missing_profile_items(by_name["applicant2"]) == []
    assert facts_for(by_name["applicant2"])["title"] == "intermediate"
    assert len(facts_for(by_name["applicant2"])["children"]) == 1
    assert missing_profile_items(by_name["applicant3"]) != []
    assert missing_profile_items(by_name["applicant4"]) == []
    photo = by_name["applicant1"].photo
    assert photo is not None and photo.version == 1  # not re-uploaded on the second load
