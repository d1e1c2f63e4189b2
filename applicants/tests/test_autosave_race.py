"""No 409 from one's own autosave (issue 10, item 3): a save compares against the version the page
last saw, including its autosaves still in flight; another window's save is still a conflict.
No impossible dates in the profile: graduation, work periods and children's births not after today."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants.models import Applicant
from applicants.tests.factories import make_applicant

HTMX = {"HTTP_HX_REQUEST": "true"}
PAGE, OTHER = "a" * 16, "b" * 16


def section_url(key: str) -> str:
    return reverse("applicants:section", args=[key])


@pytest.fixture
def applicant(client):
    applicant = make_applicant()
    client.force_login(applicant.user)
    return applicant


def basic(version: int, page: str, address: str) -> dict[str, object]:
    return {"version": version, "page": page, "hukou": "non_beijing", "hukou_address": address}


@pytest.mark.django_db
def test_profile_page_carries_a_page_token(client, applicant):
    page = client.get(reverse("applicants:profile")).content.decode()
    assert 'name="page" value="' in page


@pytest.mark.django_db
def test_autosave_then_save_with_the_old_version_is_no_conflict(client, applicant):
    """The race: the autosave (change) is saved first, the Save click still carries version 1."""
    assert client.post(section_url("basic"), basic(1, PAGE, "河北省"), **HTMX).status_code == 200
    response = client.post(section_url("basic"), basic(1, PAGE, "河北省保定市"))
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.hukou_address == "河北省保定市" and applicant.version == 3


@pytest.mark.django_db
def test_save_then_late_autosave_is_no_conflict(client, applicant):
    assert client.post(section_url("basic"), basic(1, PAGE, "河北省保定市")).status_code == 302
    response = client.post(section_url("basic"), basic(1, PAGE, "河北省保定市"), **HTMX)
    assert response.status_code == 200 and "已自动保存" in response.content.decode()


@pytest.mark.django_db
def test_another_pages_save_in_between_is_still_a_conflict(client, applicant):
    client.post(section_url("basic"), basic(1, PAGE, "河北省"), **HTMX)
    client.post(section_url("basic"), basic(2, OTHER, "北京市海淀区"))
    for version in (1, 2):
        response = client.post(section_url("basic"), basic(version, PAGE, "河北省保定市"))
        assert response.status_code == 409
        assert 'value="河北省保定市"' in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.hukou_address == "北京市海淀区"


@pytest.mark.django_db
def test_without_a_page_token_an_old_version_is_a_conflict(client, applicant):
    client.post(section_url("basic"), basic(1, "", "河北省"), **HTMX)
    assert client.post(section_url("basic"), basic(1, "", "河北省保定市")).status_code == 409


@pytest.mark.django_db
def test_graduation_after_today_is_refused_beside_the_field(client, applicant):
    today = timezone.localdate()
    data = {"version": 1, "degree": "master", "school": "北京大学"}
    page = client.post(
        section_url("education"), {**data, "graduation_date": (today + timedelta(days=1)).isoformat()}
    ).content.decode()
    assert 'href="#id_graduation_date"' in page and "不能晚于今天" in page
    assert 'value="北京大学"' in page
    assert Applicant.objects.get(pk=applicant.pk).version == 1
    ok = client.post(section_url("education"), {**data, "graduation_date": today.isoformat()})
    assert ok.status_code == 302


@pytest.mark.django_db
def test_work_period_in_the_future_or_ending_before_it_starts_is_refused(client, applicant):
    today = timezone.localdate()
    url = reverse("applicants:period_add")
    base = {"version": 1, "kind": "work", "organisation": "示例科技", "role": "工程师"}
    future = client.post(url, {**base, "start": (today + timedelta(days=1)).isoformat(), "end": ""})
    assert "不能晚于今天" in future.content.decode()
    backwards = client.post(url, {**base, "start": "2020-05-01", "end": "2020-04-30"})
    assert "不能早于" in backwards.content.decode()
    assert client.post(url, {**base, "start": today.isoformat(), "end": ""}).status_code == 302


@pytest.mark.django_db
def test_child_born_after_today_is_refused(client, applicant):
    today = timezone.localdate()
    url = reverse("applicants:child_add")
    data = {"version": 1, "name": "小明", "birth_date": (today + timedelta(days=1)).isoformat()}
    data.update({"hukou": "non_beijing", "parents": "both_non_beijing"})
    response = client.post(url, data)
    assert "不能晚于今天" in response.content.decode()
