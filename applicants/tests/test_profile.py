"""Profile task list: drafts save as you go (htmx and plain submit), optimistic locking on version."""

import io
from datetime import date

import pytest
from django.urls import reverse

from applicants.models import Applicant, Child, Period
from applicants.tests.factories import make_applicant

HTMX = {"HTTP_HX_REQUEST": "true"}


def section_url(key: str) -> str:
    return reverse("applicants:section", args=[key])


@pytest.fixture
def applicant(client):
    applicant = make_applicant()
    client.force_login(applicant.user)
    return applicant


@pytest.mark.django_db
def test_profile_lists_sections_done_and_to_do(client, applicant):
    page = client.get(reverse("applicants:profile")).content.decode()
    for label in (
        "基础信息",
        "教育信息",
        "专业技术职务",
        "学习和工作经历",
        "证件照片",
        "在京住所",
        "随往子女",
    ):
        assert label in page
    assert "待完善" in page and "已完成" in page  # title and children need nothing yet
    assert 'hx-post="/applicants/profile/section/basic/"' in page
    assert 'hx-trigger="change"' in page
    assert "retirement_category" not in page.split('id="section-basic"')[1].split("</form>")[0]  # men fixed


@pytest.mark.django_db
def test_htmx_autosave_reports_time_and_bumps_versions(client, applicant):
    response = client.post(
        section_url("basic"),
        {"version": applicant.version, "hukou": "non_beijing", "hukou_address": ""},
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "已自动保存" in body
    assert 'id="version-education"' in body and 'hx-swap-oob="true"' in body
    applicant.refresh_from_db()
    assert applicant.hukou == "non_beijing" and applicant.version == 2
    assert f'value="{applicant.version}"' in body
    # The list of what is still missing is refreshed too, without 户籍类型 now.
    missing = body.split('id="profile-missing" hx-swap-oob="true"')[1]
    assert "户口所在地" in missing and "户籍类型" not in missing


@pytest.mark.django_db
def test_plain_submit_without_javascript(client, applicant):
    response = client.post(
        section_url("education"),
        {
            "version": applicant.version,
            "degree": "master",
            "school": "北京大学",
            "graduation_date": "2018-07-01",
            "education_verification": "valid",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#section-education")
    applicant.refresh_from_db()
    assert applicant.degree == "master" and applicant.graduation_date == date(2018, 7, 1)
    page = client.get(reverse("applicants:profile")).content.decode()
    assert "“教育信息”已保存" in page


@pytest.mark.django_db
def test_invalid_value_is_reported_at_field_and_typed_values_kept(client, applicant):
    data = {
        "version": applicant.version,
        "degree": "master",
        "school": "北京大学",
        "graduation_date": "2018-13-01",
    }
    page = client.post(section_url("education"), data).content.decode()
    assert 'href="#id_graduation_date"' in page
    assert 'value="北京大学"' in page and 'value="2018-13-01"' in page
    applicant.refresh_from_db()
    assert applicant.school == "" and applicant.version == 1
    response = client.post(section_url("education"), data, **HTMX)
    assert response["HX-Retarget"] == "#section-education" and response["HX-Reswap"] == "outerHTML"
    assert 'value="北京大学"' in response.content.decode()


@pytest.mark.django_db
def test_stale_form_is_refused_and_keeps_typed_values(client, applicant):
    # Another tab saves first.
    client.post(
        section_url("basic"), {"version": 1, "hukou": "beijing", "hukou_address": "北京市海淀区"}, **HTMX
    )
    # This tab still has version 1.
    stale = {"version": 1, "hukou": "non_beijing", "hukou_address": "河北省保定市"}
    response = client.post(section_url("basic"), stale, **HTMX)
    body = response.content.decode()
    assert "该信息已在其他窗口或设备上更新，您的输入尚未保存" in body
    assert 'value="河北省保定市"' in body  # typed values stay on screen
    assert "北京户籍" in body and "北京市海淀区" in body  # the newer saved values are shown
    assert 'hx-post="/applicants/profile/section/basic/"' not in body  # no silent auto-save
    applicant.refresh_from_db()
    assert applicant.hukou == "beijing" and applicant.hukou_address == "北京市海淀区"
    assert applicant.version == 2
    # Plain submit: refused with 409 as well.
    response = client.post(section_url("basic"), stale)
    assert response.status_code == 409 and 'value="河北省保定市"' in response.content.decode()
    # Deliberate save with the current version (from the conflict form) wins.
    client.post(section_url("basic"), {**stale, "version": 2})
    applicant.refresh_from_db()
    assert applicant.hukou == "non_beijing" and applicant.version == 3


@pytest.mark.django_db
def test_women_choose_retirement_category_men_fixed(client):
    woman = make_applicant(female=True)
    client.force_login(woman.user)
    page = client.get(reverse("applicants:profile")).content.decode()
    assert 'value="female_55"' in page and 'value="female_50"' in page
    assert '<option value="male"' not in page
    client.post(section_url("basic"), {"version": 1, "retirement_category": "female_50"})
    woman.refresh_from_db()
    assert woman.retirement_category == "female_50"
    response = client.post(section_url("basic"), {"version": 2, "retirement_category": "male"})
    assert 'href="#id_retirement_category"' in response.content.decode()
    man = make_applicant()
    client.force_login(man.user)
    client.post(section_url("basic"), {"version": 1, "retirement_category": "female_50", "hukou": "beijing"})
    man.refresh_from_db()
    assert man.retirement_category == "male" and man.hukou == "beijing"


@pytest.mark.django_db
def test_title_cleared_when_not_held_and_landlord_only_when_rented(client, applicant):
    client.post(section_url("title"), {"version": 1, "title": "senior", "title_route": "exam"})
    applicant.refresh_from_db()
    assert not applicant.has_title and applicant.title == "" and applicant.title_route == ""
    client.post(
        section_url("title"),
        {"version": 2, "has_title": "on", "title": "intermediate", "title_route": "review"},
    )
    applicant.refresh_from_db()
    assert applicant.has_title and applicant.title == "intermediate" and not applicant.title_verifiable_online
    client.post(
        section_url("residence"),
        {"version": 3, "residence_kind": "owned", "landlord": "rural_homestead", "co_owned": "on"},
    )
    applicant.refresh_from_db()
    assert applicant.landlord == "" and applicant.co_owned is False


@pytest.mark.django_db
def test_unknown_section_is_404_and_get_not_allowed(client, applicant):
    assert client.post(section_url("nope"), {"version": 1}).status_code == 404
    assert client.get(section_url("basic")).status_code == 405


@pytest.mark.django_db
def test_periods_add_edit_remove(client, applicant):
    response = client.get(reverse("applicants:period_add"))
    assert 'name="version" value="1"' in response.content.decode()
    data = {"version": 1, "kind": "work", "organisation": "示例科技", "role": "工程师", "start": "2018-07-01"}
    response = client.post(reverse("applicants:period_add"), data)
    assert response.status_code == 302
    period = Period.objects.get()
    assert period.end is None
    url = reverse("applicants:period_edit", args=[period.public_id])
    page = client.post(url, {**data, "version": 2, "end": "2017-01-01"}).content.decode()
    assert "结束日期不能早于开始日期" in page and 'value="示例科技"' in page
    client.post(url, {**data, "version": 2, "end": "2020-01-01"})
    period.refresh_from_db()
    assert period.end == date(2020, 1, 1)
    # Stale remove is refused.
    client.post(reverse("applicants:period_remove", args=[period.public_id]), {"version": 1})
    assert Period.objects.exists()
    client.post(reverse("applicants:period_remove", args=[period.public_id]), {"version": 3})
    assert not Period.objects.exists()


@pytest.mark.django_db
def test_stale_period_form_keeps_input(client, applicant):
    client.post(section_url("basic"), {"version": 1, "hukou": "beijing"})
    data = {"version": 1, "kind": "study", "organisation": "北京大学", "start": "2015-09-01"}
    response = client.post(reverse("applicants:period_add"), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "您的输入尚未保存" in page and 'value="北京大学"' in page and 'name="version" value="2"' in page
    assert not Period.objects.exists()


@pytest.mark.django_db
def test_children_add_masked_and_checked(client, applicant):
    from accounts.identity import make_id_number

    child_id = make_id_number("110108", date(2016, 5, 20), 35)
    data = {
        "version": 1,
        "name": "张小明",
        "id_number": child_id,
        "birth_date": "2016-05-21",
        "hukou": "non_beijing",
        "parents": "married",
    }
    page = client.post(reverse("applicants:child_add"), data).content.decode()
    assert "出生日期与身份证号码不一致" in page
    client.post(reverse("applicants:child_add"), {**data, "birth_date": "2016-05-20"})
    child = Child.objects.get()
    page = client.get(reverse("applicants:profile")).content.decode()
    assert child_id not in page and "张**" in page
    bad = child_id[:17] + ("0" if child_id[17] != "0" else "1")
    page = client.post(
        reverse("applicants:child_edit", args=[child.public_id]), {**data, "version": 2, "id_number": bad}
    ).content.decode()
    assert "校验位不正确" in page
    client.post(reverse("applicants:child_remove", args=[child.public_id]), {"version": 2})
    assert not Child.objects.exists()


def _png() -> io.BytesIO:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), (255, 255, 255)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "me.png"
    return buffer


@pytest.mark.django_db
def test_photo_upload_through_store_upload_and_replacement(client, applicant):
    response = client.post(reverse("applicants:photo"), {"version": 1, "photo": _png()})
    assert response.status_code == 302
    applicant.refresh_from_db()
    first = applicant.photo
    assert first.material == "ID-PHOTO" and first.applicant == applicant and first.content_type == "image/png"
    client.post(reverse("applicants:photo"), {"version": 2, "photo": _png()})
    applicant.refresh_from_db()
    assert applicant.photo.version == 2 and applicant.photo.replaces == first


@pytest.mark.django_db
def test_photo_must_be_an_image(client, applicant):
    fake = io.BytesIO(b"%PDF-1.4 not a photo")
    fake.name = "me.jpg"
    page = client.post(reverse("applicants:photo"), {"version": 1, "photo": fake}).content.decode()
    assert "照片须为 JPEG 或 PNG 图片" in page and 'href="#id_photo"' in page
    applicant.refresh_from_db()
    assert applicant.photo is None


@pytest.mark.django_db
def test_data_kept_after_logout_and_login(client, applicant):
    client.post(
        section_url("basic"), {"version": 1, "hukou": "non_beijing", "hukou_address": "河北省保定市"}, **HTMX
    )
    client.post(reverse("accounts:logout"))
    client.post(
        reverse("accounts:login"), {"username": applicant.user.username, "password": "Test-pass-2025"}
    )
    page = client.get(reverse("applicants:profile")).content.decode()
    assert 'value="河北省保定市"' in page
    assert Applicant.objects.get(pk=applicant.pk).version == 2
