"""Completeness (used by case submission) and the mapping onto the eligibility contract's applicant keys."""

from datetime import date

import pytest
from django.test import RequestFactory

from accounts.models import Role
from accounts.testing import make_user
from applicants.models import Child, Period
from applicants.panels import profile_panel
from applicants.selectors import facts_for, missing_profile_items, section_status
from applicants.tests.factories import make_applicant

COMPLETE = {
    "hukou": "non_beijing",
    "hukou_address": "河北省保定市",
    "degree": "master",
    "school": "北京大学",
    "graduation_date": date(2018, 7, 1),
    "education_verification": "valid",
    "residence_kind": "rented",
    "residence_address": "北京市海淀区中关村大街27号",
    "landlord": "resident_household",
}


def complete_applicant(**overrides):
    applicant = make_applicant(**{**COMPLETE, **overrides})
    Period.objects.create(applicant=applicant, kind="work", organisation="甲公司", start=date(2018, 7, 15))
    applicant.photo_id = _photo(applicant)
    applicant.save()
    return applicant


def _photo(applicant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from materials.services import store_upload

    upload = SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png")
    return store_upload(
        uploaded_file=upload, material="ID-PHOTO", uploaded_by=applicant.user, applicant=applicant
    ).pk


@pytest.mark.django_db
def test_new_applicant_misses_everything_but_identity():
    applicant = make_applicant()
    missing = missing_profile_items(applicant)
    sections = {section for section, _label in missing}
    assert sections == {"basic", "education", "periods", "photo", "residence"}
    assert ("basic", "户籍类型") in missing and ("periods", "至少一段工作经历") in missing
    assert ("basic", "退休年龄类别") not in missing  # men are fixed to male


@pytest.mark.django_db
def test_complete_profile_has_nothing_missing():
    applicant = complete_applicant()
    assert missing_profile_items(applicant) == []
    assert all(section_status(applicant).values())


@pytest.mark.django_db
def test_conditional_items():
    woman = make_applicant(female=True)
    assert ("basic", "退休年龄类别") in missing_profile_items(woman)
    applicant = complete_applicant(has_title=True, landlord="")
    missing = missing_profile_items(applicant)
    assert ("title", "专业技术职务") in missing and ("title", "职称取得方式") in missing
    assert ("residence", "出租方类型") in missing
    Period.objects.filter(applicant=applicant).update(kind="study")
    assert ("periods", "至少一段工作经历") in missing_profile_items(applicant)


@pytest.mark.django_db
def test_facts_for_complete_degree_route():
    applicant = complete_applicant(birth=date(1992, 4, 15))
    Period.objects.create(
        applicant=applicant, kind="work", organisation="乙", start=date(2016, 1, 1), end=date(2017, 12, 31)
    )
    Period.objects.create(applicant=applicant, kind="study", organisation="北大", start=date(2015, 9, 1))
    Child.objects.create(applicant=applicant, name="张小明", birth_date=date(2019, 9, 1), parents="divorced")
    assert facts_for(applicant) == {
        "birth_date": "1992-04-15",
        "retirement_category": "male",
        "hukou": "non_beijing",
        "residence": {
            "kind": "rented",
            "in_beijing": True,
            "residential": True,
            "landlord": "resident_household",
        },
        "degree": "master",
        "education_verification": "valid",
        "work_periods": [
            {"start": "2016-01-01", "end": "2017-12-31"},
            {"start": "2018-07-15", "end": None},
        ],
        "title": None,
        "children": [{"birth_date": "2019-09-01", "hukou": "non_beijing", "parents": "divorced"}],
    }


@pytest.mark.django_db
def test_facts_for_title_relatives_and_unknowns_left_out():
    applicant = make_applicant(
        female=True,
        retirement_category="female_50",
        has_title=True,
        title="deputy_senior",
        title_route="exam",
        title_verifiable_online=False,
        residence_kind="relatives",
        co_owned=True,
        residence_in_beijing=False,
    )
    facts = facts_for(applicant)
    assert facts["retirement_category"] == "female_50"
    assert facts["title"] == "deputy_senior" and facts["title_route"] == "exam"
    assert facts["title_verifiable_online"] is False
    assert facts["residence"] == {
        "kind": "relatives",
        "in_beijing": False,
        "residential": True,
        "co_owned": True,
    }
    for absent in ("hukou", "degree", "education_verification"):
        assert absent not in facts
    assert facts["work_periods"] == [] and facts["children"] == []


@pytest.mark.django_db
def test_home_panel_for_applicants_only():
    applicant = make_applicant()
    request = RequestFactory().get("/")
    request.user = applicant.user
    (panel,) = profile_panel(request)
    assert panel.title == "完善个人信息"
    assert "户籍类型" in [item.label for item in panel.items]
    assert panel.items[0].url.startswith("/applicants/profile/#section-")
    done = complete_applicant()
    request.user = done.user
    assert profile_panel(request)[0].items == []
    for role in (Role.REVIEWER, Role.SUPERVISOR, Role.OPERATOR):
        request.user = make_user(role)
        assert profile_panel(request) == []
