"""Employer profile and documents (注册 1): registry read-only, category rule, versions, bad uploads."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from employers import materials_catalogue as mc
from employers import selectors
from employers.models import Employer
from employers.tests import factories
from materials.models import Document

pytestmark = pytest.mark.django_db
URL = "/employers/profile/"
PROFILE = {
    "category": "other",
    "tax_registered_on": "2020-05-01",
    "annual_tax": "250000",
    "office_address": "北京市海淀区中关村大街1号",
    "contact_name": "刘经办",
    "contact_phone": "010-68940680",
}


@pytest.fixture
def admin(client):
    user = factories.operator()
    client.force_login(user)
    return user


def post_file(client, material, content=None, name="scan.pdf"):
    data = content if content is not None else factories.pdf_bytes(material)
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    return client.post("/employers/profile/documents/", {"material": material, f"{material}-file": upload})


def test_profile_page_shows_registry_data_read_only(client, admin):
    employer = admin.operator.employer
    html = client.get(URL).content.decode()
    assert employer.name in html and employer.credit_code in html
    assert "北京市市场监督管理局" in html
    assert 'name="legal_person_kind"' not in html
    assert 'name="registered_capital"' not in html


def test_save_profile(client, admin):
    response = client.post(URL, {**PROFILE, "ai_key_area": "on"})
    assert response.status_code == 302
    employer = Employer.objects.get(pk=admin.operator.employer_id)
    assert employer.ai_key_area and not employer.growth_tech
    assert employer.tax_registered_on == date(2020, 5, 1)
    assert employer.annual_tax == 250_000


def test_registry_fields_cannot_be_posted(client, admin):
    employer = admin.operator.employer
    client.post(URL, {**PROFILE, "name": "改名公司", "registered_district": "chaoyang"})
    employer.registry.refresh_from_db()
    assert employer.registry.registered_district == "haidian"
    assert employer.registry.name != "改名公司"


def test_category_needs_a_qualification_certificate(client, admin):
    response = client.post(URL, {**PROFILE, "category": "high_tech"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_category-error"' in html
    assert "须选择“其他”" in html
    assert 'value="250000"' in html  # the input is kept
    assert Employer.objects.get(pk=admin.operator.employer_id).category == "other"
    post_file(client, mc.QUALIFICATION_CERT)
    assert client.post(URL, {**PROFILE, "category": "high_tech"}).status_code == 302
    assert Employer.objects.get(pk=admin.operator.employer_id).category == "high_tech"


def test_negative_tax_is_a_field_error(client, admin):
    response = client.post(URL, {**PROFILE, "annual_tax": "-1"})
    assert 'id="id_annual_tax-error"' in response.content.decode()


def test_upload_then_reupload_makes_a_new_version(client, admin):
    assert post_file(client, mc.BUSINESS_LICENCE).status_code == 302
    first = Document.objects.get(material=mc.BUSINESS_LICENCE)
    assert first.employer == admin.operator.employer and first.applicant is None
    post_file(client, mc.BUSINESS_LICENCE, name="new.pdf")
    current = selectors.current_documents(admin.operator.employer)[mc.BUSINESS_LICENCE]
    assert current.version == 2 and current.replaces == first
    html = client.get(URL).content.decode()
    assert f"/materials/files/{current.public_id}/" in html
    assert f"/materials/files/{first.public_id}/" not in html


def test_integrity_statement_is_valid_to_the_end_of_the_year(client, admin):
    post_file(client, mc.EMPLOYER_INTEGRITY)
    document = Document.objects.get(material=mc.EMPLOYER_INTEGRITY)
    assert document.valid_until == date(document.uploaded_at.year, 12, 31)


def test_non_pdf_gets_the_field_message_and_keeps_the_saved_version(client, admin):
    post_file(client, mc.EMPLOYER_TAX)
    response = post_file(client, mc.EMPLOYER_TAX, content=b"\x89PNG\r\n\x1a\n....", name="tax.pdf")
    assert response.status_code == 400
    html = response.content.decode()
    assert "只能上传 PDF 文件" in html
    assert f'id="id_{mc.EMPLOYER_TAX}-file-error"' in html
    assert Document.objects.filter(material=mc.EMPLOYER_TAX).count() == 1
    assert selectors.current_documents(admin.operator.employer)[mc.EMPLOYER_TAX].version == 1


def test_oversized_upload(client, admin, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    response = post_file(client, mc.HANDLER_ID, content=b"%PDF-" + b"0" * 2000)
    assert "超过上限" in response.content.decode()
    assert not Document.objects.exists()


def test_unknown_material_is_404(client, admin):
    response = client.post("/employers/profile/documents/", {"material": "ID-PHOTO"})
    assert response.status_code == 404
