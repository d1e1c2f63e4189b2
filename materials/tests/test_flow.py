"""Uploads end to end: checks queued on commit, the status fragment, the row include, versions, no
deletion, document facts (DOC-VALIDITY / DOC-RECENCY) and reviewer verdicts (DOC-STAMPED)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse

from accounts.models import Role
from accounts.testing import login_staff, make_user
from applicants.tests.factories import make_applicant
from materials import selectors
from materials.models import CheckStatus, Document, DocumentVerdict
from materials.services import record_verdict, run_document_checks, store_upload
from materials.tests import hostile
from materials.tests.conftest import as_upload

pytestmark = pytest.mark.django_db


def test_doc_format_checks_run_on_commit_and_store_findings(upload: Callable[..., Document]) -> None:
    good = upload(hostile.scan_pdf(2, dpi=150))
    assert good.check_status == CheckStatus.PASSED
    assert good.pages == 2 and good.check_done == 2 and good.check_total == 2
    assert good.checked_at is not None
    grey = upload(hostile.scan_pdf(1, dpi=150, colour=False))
    assert grey.check_status == CheckStatus.FAILED
    assert grey.findings[0]["code"] == "GREYSCALE"
    warned = upload(hostile.scan_pdf(2, dpi=150, blank_pages=(2,)))
    assert warned.check_status == CheckStatus.WARNING


def test_checks_wait_for_the_commit(applicant: Any) -> None:
    """Inside the transaction the document is pending; nothing runs until the commit."""
    document = store_upload(
        uploaded_file=as_upload(hostile.scan_pdf(1, dpi=72)),
        material="LEASE",
        uploaded_by=applicant.user,
        applicant=applicant,
    )
    document.refresh_from_db()
    assert document.check_status == CheckStatus.PENDING
    assert run_document_checks(str(document.public_id)) == CheckStatus.WARNING  # 72 dpi: low resolution


def test_store_upload_keeps_its_signature_and_stores_dates(applicant: Any) -> None:
    document = store_upload(
        uploaded_file=as_upload(hostile.scan_pdf(1, dpi=72)),
        material="LABOUR-CONTRACT",
        uploaded_by=applicant.user,
        employer=None,
        applicant=applicant,
        replaces=None,
        valid_until=date(2028, 2, 28),
        issued_on=date(2025, 11, 1),
    )
    assert (document.valid_until, document.issued_on) == (date(2028, 2, 28), date(2025, 11, 1))
    assert document.content_type == "application/pdf" and len(document.sha256) == 64


# -- the status fragment and the row include ---------------------------------------------------------


def test_status_fragment_polls_while_pending_and_shows_findings(
    applicant: Any, upload: Callable[..., Document]
) -> None:
    client = Client()
    client.force_login(applicant.user)
    pending = store_upload(
        uploaded_file=as_upload(hostile.scan_pdf(1, dpi=150)), material="LEASE", uploaded_by=applicant.user
    )
    Document.objects.filter(pk=pending.pk).update(check_done=1, check_total=4)
    response = client.get(reverse("materials:status", args=[pending.public_id]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'hx-trigger="every 1s"' in body and "检查中" in body and "已检查 1 / 4 页" in body
    assert response["Cache-Control"] == "private, no-store"

    grey = upload(hostile.scan_pdf(1, dpi=150, colour=False))
    body = client.get(reverse("materials:status", args=[grey.public_id])).content.decode()
    assert "hx-trigger" not in body, "no polling once checked"
    assert "未通过检查" in body and "第 1 页是黑白/灰度扫描" in body and 'data-code="GREYSCALE"' in body


def test_status_fragment_in_english(applicant: Any, upload: Callable[..., Document]) -> None:
    grey = upload(hostile.scan_pdf(1, dpi=150, colour=False))
    client = Client()
    client.force_login(applicant.user)
    body = client.get(reverse("materials:status", args=[grey.public_id]), HTTP_ACCEPT_LANGUAGE="en").content
    assert "greyscale scan; a colour scan is required" in body.decode()


def test_status_and_download_wrong_user_gets_404_anonymous_login(upload: Callable[..., Document]) -> None:
    document = upload()
    other = make_applicant()
    operator = make_user(Role.OPERATOR)
    for name in ("materials:status", "materials:download", "materials:versions"):
        url = reverse(name, args=[document.public_id])
        for user in (other.user, operator):
            client = Client()
            client.force_login(user)
            assert client.get(url).status_code == 404
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_staff_may_read_and_the_read_is_audited(upload: Callable[..., Document], reviewer: Any) -> None:
    from core.models import PersonalDataAccess

    document = upload()
    client = Client()
    login_staff(client, reviewer)
    response = client.get(reverse("materials:download", args=[document.public_id]))
    assert response.status_code == 200
    assert response.getvalue().startswith(b"%PDF-")
    assert PersonalDataAccess.objects.filter(user=reviewer, object_id=str(document.pk)).exists()


def test_document_row_include(upload: Callable[..., Document]) -> None:
    document = upload(hostile.scan_pdf(1, dpi=150, colour=False), name="租房合同.pdf")
    request = RequestFactory().get("/")
    html = render_to_string("materials/includes/document_row.html", {"document": document}, request=request)
    assert "房屋租赁合同或协议" in html and "租房合同.pdf" in html and "第 1 版" in html
    assert reverse("materials:download", args=[document.public_id]) in html
    assert "tag-fail" in html and "彩色扫描件" in html


# -- versions --------------------------------------------------------------------------------------


def test_versions_history_and_changes_since(upload: Callable[..., Document]) -> None:
    first = upload(hostile.scan_pdf(1, dpi=150, colour=False))
    data = hostile.scan_pdf(2, dpi=150)
    second = upload(data, replaces=first)
    third = upload(data, replaces=second)
    assert [d.version for d in selectors.history(first)] == [1, 2, 3]
    assert selectors.history(third) == selectors.history(first)
    assert selectors.latest_version(first) == third
    changes = selectors.changes_since(second, 1)
    assert changes["pages"] == {"from": 1, "to": 2}
    assert changes["size"]["change"] == second.size - first.size
    assert changes["sha256"] == {"from": first.sha256, "to": second.sha256}
    assert changes["findings_resolved"] == [["GREYSCALE", 1]] and changes["findings_added"] == []
    assert changes["check_status"] == {"from": "failed", "to": "passed"}
    assert selectors.changes_since(third, 2)["same_file"] is True
    assert selectors.changes_since(third, 1)["same_file"] is False
    with pytest.raises(Document.DoesNotExist):
        selectors.changes_since(third, 7)


def test_versions_stale_or_other_material_refused(upload: Callable[..., Document]) -> None:
    first = upload()
    upload(replaces=first)
    with pytest.raises(ValidationError, match="已有更新的版本"):
        upload(replaces=first)
    latest = selectors.latest_version(first)
    with pytest.raises(ValidationError, match="同一种材料"):
        upload(replaces=latest, material="HUKOU-PAGES")


def test_versions_page_lists_every_version(applicant: Any, upload: Callable[..., Document]) -> None:
    first = upload(hostile.scan_pdf(1, dpi=150, colour=False))
    second = upload(replaces=first)
    client = Client()
    client.force_login(applicant.user)
    body = client.get(reverse("materials:versions", args=[second.public_id])).content.decode()
    assert "第 1 版" in body and "第 2 版" in body and "已解决 1 项" in body


def test_no_file_is_ever_deleted(upload: Callable[..., Document]) -> None:
    first = upload()
    second = upload(replaces=first)
    storage = first.file.storage
    assert storage.exists(first.file.name) and storage.exists(second.file.name)
    with pytest.raises(PermissionDenied):
        first.delete()
    assert Document.objects.count() == 2 and storage.exists(first.file.name)
    for name in ("delete", "remove"):
        with pytest.raises(NoReverseMatch):
            reverse(f"materials:{name}", args=[first.public_id])


# -- document facts --------------------------------------------------------------------------------


def test_documents_facts_for_doc_validity_and_recency(upload: Callable[..., Document]) -> None:
    old = upload(material="LEASE", valid_until=date(2026, 1, 31))
    lease = upload(material="LEASE", replaces=old, valid_until=date(2026, 12, 31))
    contract = upload(material="LABOUR-CONTRACT", valid_until=date(2028, 2, 28))
    integrity = upload(material="APPLICANT-INTEGRITY", issued_on=date(2025, 11, 1))
    facts = selectors.documents_facts([old, lease, contract, integrity])
    assert facts == [
        {"kind": "applicant_integrity", "valid_until": None, "issued_on": "2025-11-01"},
        {"kind": "labour_contract", "valid_until": "2028-02-28", "issued_on": None},
        {"kind": "lease", "valid_until": "2026-12-31", "issued_on": None},
    ]
    from policy.facts import parse_facts

    parsed = parse_facts({"business": "new", "as_of": "2025-11-20", "documents": facts})
    assert [d.kind for d in parsed.documents] == ["applicant_integrity", "labour_contract", "lease"]


# -- reviewer verdicts (DOC-STAMPED) ------------------------------------------------------------------


def test_record_verdict_staff_only(upload: Callable[..., Document], applicant: Any) -> None:
    document = upload()
    with pytest.raises(PermissionDenied):
        record_verdict(applicant.user, document, "accepted")
    with pytest.raises(PermissionDenied):
        record_verdict(make_user(Role.OPERATOR), document, "accepted")


def test_record_verdict_problem_needs_reason(upload: Callable[..., Document], reviewer: Any) -> None:
    document = upload()
    with pytest.raises(ValidationError) as error:
        record_verdict(reviewer, document, "problem", "  ")
    assert "reason" in error.value.message_dict
    verdict = record_verdict(reviewer, document, "problem", "租期不足3个月", stamp_confirmed=True)
    assert verdict.stamp_confirmed is None, "not a DOC-STAMPED material"


@pytest.mark.parametrize("material", ["EMPLOYER-TAX", "INCOME-RECORDS", "INCOME-RECORDS-3Y"])
def test_doc_stamped_accept_needs_stamp_confirmation(
    upload: Callable[..., Document], reviewer: Any, material: str
) -> None:
    document = upload(material=material)
    with pytest.raises(ValidationError) as missing:
        record_verdict(reviewer, document, "accepted")
    assert "stamp_confirmed" in missing.value.message_dict
    with pytest.raises(ValidationError):
        record_verdict(reviewer, document, "accepted", stamp_confirmed=False)
    problem = record_verdict(reviewer, document, "problem", "未逐页加盖财务章", stamp_confirmed=False)
    accepted = record_verdict(reviewer, document, "accepted", stamp_confirmed=True)
    assert list(selectors.verdicts(document)) == [accepted, problem]
    assert selectors.latest_verdict(document) == accepted


def test_verdicts_are_append_only(upload: Callable[..., Document], reviewer: Any) -> None:
    verdict = record_verdict(reviewer, upload(), "accepted")
    verdict.reason = "changed"
    with pytest.raises(PermissionDenied):
        verdict.save()
    with pytest.raises(PermissionDenied):
        verdict.delete()
    assert DocumentVerdict.objects.get().reason == ""


# -- the uploader's own page -----------------------------------------------------------------------


def test_my_documents_upload_replace_and_errors(
    applicant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    client.force_login(applicant.user)
    url = reverse("materials:mine")
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"material": "LEASE", "file": as_upload(hostile.scan_pdf(1, dpi=150, colour=False), "lease.pdf")},
        )
    assert response.status_code == 302
    first = Document.objects.get()
    assert first.applicant == applicant and first.check_status == CheckStatus.FAILED
    page = client.get(url).content.decode()
    assert "lease.pdf" in page and "黑白/灰度扫描" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                "material": "LEASE",
                "replaces": str(first.public_id),
                "file": as_upload(hostile.scan_pdf(1, dpi=150)),
            },
        )
    second = Document.objects.get(replaces=first)
    assert second.version == 2 and second.check_status == CheckStatus.PASSED
    page = client.get(url).content.decode()
    assert "第 2 版" in page and "lease.pdf" not in page, "only the current version is listed"
    refused = client.post(url, {"material": "LEASE", "file": as_upload(hostile.jpeg_bytes(), "scan.pdf")})
    assert refused.status_code == 200 and "只能上传 PDF 文件" in refused.content.decode()
    assert Document.objects.count() == 2


def test_my_documents_cannot_replace_someone_elses(upload: Callable[..., Document]) -> None:
    theirs = upload()
    intruder = make_applicant()
    client = Client()
    client.force_login(intruder.user)
    response = client.post(
        reverse("materials:mine"),
        {
            "material": "LEASE",
            "replaces": str(theirs.public_id),
            "file": as_upload(hostile.scan_pdf(1, dpi=72)),
        },
    )
    assert response.status_code == 404
    assert Document.objects.count() == 1


def test_home_panel_lists_materials_to_fix(applicant: Any, upload: Callable[..., Document]) -> None:
    upload(hostile.scan_pdf(1, dpi=150, colour=False))
    client = Client()
    client.force_login(applicant.user)
    body = client.get("/").content.decode()
    assert "需要更正的材料" in body and "房屋租赁合同或协议" in body and "检查未通过，请上传新版本" in body
    stranger = Client()
    stranger.force_login(make_applicant().user)
    other = stranger.get("/").content.decode()
    assert "房屋租赁合同或协议" not in other and "已上传的材料均已通过检查。" in other
