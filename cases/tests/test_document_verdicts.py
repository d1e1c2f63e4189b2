"""DOC-STAMPED, DOC-FORMAT on the reviewer's page: each document of the case with its version, its
check findings, what changed since the last return, and the reviewer's append-only verdict; problem
verdicts prefill the binding opinion of a return or rejection (BIZ-FLOW)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.testing import login_staff
from cases import selectors, services
from cases.models import Case
from cases.tests import factories as f
from cases.tests.factories import World
from materials.models import Document, DocumentVerdict, Verdict
from materials.services import record_verdict

TODAY = date(2025, 11, 20)
PROBLEM = "未逐页加盖财务章"


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel("2025-11-20 10:00 +0800", tick=True):
        yield


def staff_client(user) -> Client:
    client = Client()
    login_staff(client, user)
    return client


def document_of(case: Case, material: str) -> Document:
    return services.current_documents(case)[(material, None)]


def verdict_url(case: Case, document: Document) -> str:
    return reverse("cases:document_verdict", args=[case.public_id, document.public_id])


def post_verdict(client: Client, case: Case, document: Document, **data: str):
    prefix = str(document.public_id)
    return client.post(verdict_url(case, document), {f"{prefix}-{key}": value for key, value in data.items()})


def test_doc_stamped_reviewer_records_a_problem_with_its_reason_and_sees_it(world: World):
    case = f.accepted_case(world, TODAY, confirm=False)
    document = document_of(case, "INCOME-RECORDS")
    client = staff_client(world.reviewer)
    response = post_verdict(client, case, document, verdict=Verdict.PROBLEM, reason=PROBLEM)
    assert response.status_code == 302
    verdict = DocumentVerdict.objects.get(document=document)
    assert (verdict.verdict, verdict.reason, verdict.reviewer) == (Verdict.PROBLEM, PROBLEM, world.reviewer)
    page = client.get(reverse("cases:review_detail", args=[case.public_id])).content.decode()
    assert f'id="doc-{document.public_id}"' in page
    assert 'data-verdict="problem"' in page and PROBLEM in page and str(world.reviewer) in page


def test_doc_stamped_problem_without_a_reason_is_refused_at_the_field(world: World):
    case = f.accepted_case(world, TODAY, confirm=False)
    document = document_of(case, "LEASE")
    response = post_verdict(staff_client(world.reviewer), case, document, verdict=Verdict.PROBLEM, reason=" ")
    assert response.status_code == 400
    assert "请填写材料存在的问题。" in response.content.decode()
    assert f'href="#id_{document.public_id}-reason"' in response.content.decode()
    assert not DocumentVerdict.objects.filter(document=document).exists()


def test_doc_stamped_accepting_income_records_without_the_stamp_confirmation_is_refused(world: World):
    case = f.accepted_case(world, TODAY, confirm=False)
    document = document_of(case, "INCOME-RECORDS")
    client = staff_client(world.reviewer)
    response = post_verdict(client, case, document, verdict=Verdict.ACCEPTED)
    assert response.status_code == 400
    page = response.content.decode()
    assert "未核对申请单位财务章及“经核真实有效”等签注的，不能确认材料无误。" in page
    assert f'href="#id_{document.public_id}-stamp_confirmed"' in page
    assert not DocumentVerdict.objects.filter(document=document).exists()
    response = post_verdict(client, case, document, verdict=Verdict.ACCEPTED, stamp_confirmed="on")
    assert response.status_code == 302
    verdict = DocumentVerdict.objects.get(document=document)
    assert verdict.verdict == Verdict.ACCEPTED and verdict.stamp_confirmed is True


def test_doc_stamped_other_materials_are_accepted_without_a_stamp_checkbox(world: World):
    case = f.accepted_case(world, TODAY, confirm=False)
    document = document_of(case, "LEASE")
    client = staff_client(world.reviewer)
    page = client.get(reverse("cases:review_detail", args=[case.public_id])).content.decode()
    assert f'name="{document.public_id}-stamp_confirmed"' not in page
    stamped = document_of(case, "EMPLOYER-TAX")
    assert f'name="{stamped.public_id}-stamp_confirmed"' in page
    assert post_verdict(client, case, document, verdict=Verdict.ACCEPTED).status_code == 302
    assert DocumentVerdict.objects.get(document=document).stamp_confirmed is None


def test_verdicts_are_appended_and_the_latest_one_is_shown(world: World):
    case = f.accepted_case(world, TODAY, confirm=False)
    document = document_of(case, "LEASE")
    client = staff_client(world.reviewer)
    post_verdict(client, case, document, verdict=Verdict.PROBLEM, reason="出租人未签字")
    post_verdict(client, case, document, verdict=Verdict.ACCEPTED)
    assert DocumentVerdict.objects.filter(document=document).count() == 2
    rows = {row["material"]: row for row in selectors.review_documents(case)}
    assert rows["LEASE"]["verdict"].verdict == Verdict.ACCEPTED


def test_biz_flow_decision_form_opinion_is_prefilled_from_problem_verdicts(world: World):
    case = f.accepted_case(world, TODAY, confirm=False)
    income = document_of(case, "INCOME-RECORDS")
    lease = document_of(case, "LEASE")
    record_verdict(world.reviewer, income, Verdict.PROBLEM, reason=PROBLEM, stamp_confirmed=False)
    record_verdict(world.reviewer, lease, Verdict.ACCEPTED)
    response = staff_client(world.reviewer).get(reverse("cases:review_detail", args=[case.public_id]))
    form = response.context["decision_form"]
    assert form.initial["opinion"] == f"《应税收入材料》：{PROBLEM}"  # the accepted lease is not listed
    assert f"《应税收入材料》：{PROBLEM}</textarea>" in response.content.decode()


def test_biz_flow_a_problem_later_accepted_leaves_the_opinion_empty(world: World):
    case = f.accepted_case(world, TODAY, confirm=False)
    income = document_of(case, "INCOME-RECORDS")
    record_verdict(world.reviewer, income, Verdict.PROBLEM, reason=PROBLEM, stamp_confirmed=False)
    record_verdict(world.reviewer, income, Verdict.ACCEPTED, stamp_confirmed=True)
    response = staff_client(world.reviewer).get(reverse("cases:review_detail", args=[case.public_id]))
    assert response.context["decision_form"].initial["opinion"] == ""


def test_verdict_is_refused_to_anyone_but_staff(world: World):
    case = f.accepted_case(world, TODAY, confirm=False)
    document = document_of(case, "INCOME-RECORDS")
    data = {f"{document.public_id}-verdict": Verdict.PROBLEM, f"{document.public_id}-reason": "x"}
    url = verdict_url(case, document)
    for user in (world.other_operator, world.operator, world.other_applicant.user, world.applicant_user):
        client = Client()
        client.force_login(user)
        assert client.post(url, data).status_code == 404
    anonymous = Client().post(url, data)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert not DocumentVerdict.objects.filter(document=document).exists()


def test_verdict_on_a_document_of_another_case_is_404(world: World):
    case = f.accepted_case(world, TODAY, confirm=False)
    stranger = Document.objects.exclude(case_links__case=case).first()
    if stranger is None:
        other = services.start_new_case(world.other_applicant.user, today=TODAY)
        f.fill_new_case(other, world.other_applicant.user, TODAY)
        stranger = Document.objects.exclude(case_links__case=case).first()
    assert stranger is not None
    response = staff_client(world.reviewer).post(
        verdict_url(case, stranger), {f"{stranger.public_id}-verdict": Verdict.ACCEPTED}
    )
    assert response.status_code == 404
    assert not DocumentVerdict.objects.filter(document=stranger).exists()


def test_doc_format_changed_since_return_appears_after_a_re_upload(world: World):
    case = f.accepted_case(world, TODAY, confirm=False)
    client = staff_client(world.reviewer)
    url = reverse("cases:review_detail", args=[case.public_id])
    assert "data-since-return" not in client.get(url).content.decode()
    case = services.return_case(
        world.reviewer,
        case,
        to="applicant",
        version=case.version,
        today=TODAY,
        opinion="租房合同请重新上传。",
    )
    assert "data-since-return" not in client.get(url).content.decode()  # nothing re-uploaded yet
    old = document_of(case, "LEASE")
    bigger = SimpleUploadedFile(
        "lease-v2.pdf", f.PDF + b"%" + b"0" * 500 + b"\n", content_type="application/pdf"
    )
    services.attach_document(
        world.applicant_user,
        case,
        material="LEASE",
        uploader="applicant",
        child=None,
        uploaded_file=bigger,
        valid_until=date(2028, 1, 31),
    )
    new = document_of(case, "LEASE")
    assert new.pk != old.pk and new.version == old.version + 1
    rows = {row["material"]: row for row in selectors.review_documents(case)}
    since = rows["LEASE"]["since_return"]
    assert since is not None and since["changes"]["size"]["change"] == new.size - old.size != 0
    assert rows["INCOME-RECORDS"]["since_return"] is None
    page = client.get(url).content.decode()
    assert page.count("data-since-return") == 1
    assert f"第 {old.version} 版 → 第 {new.version} 版" in page


def test_biz_flow_returned_with_the_prefilled_opinion_the_applicant_sees_the_problem(world: World):
    case = f.accepted_case(world, TODAY, confirm=False)
    income = document_of(case, "INCOME-RECORDS")
    record_verdict(world.reviewer, income, Verdict.PROBLEM, reason=PROBLEM, stamp_confirmed=False)
    client = staff_client(world.reviewer)
    form = client.get(reverse("cases:review_detail", args=[case.public_id])).context["decision_form"]
    response = client.post(
        reverse("cases:decide", args=[case.public_id]),
        {"decision": "return_to_applicant", "version": case.version, "opinion": form.initial["opinion"]},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "returned_to_applicant"
    applicant = Client()
    applicant.force_login(world.applicant_user)
    page = applicant.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert f"《应税收入材料》：{PROBLEM}" in page


def test_biz_flow_approval_is_refused_while_a_current_document_is_marked_problem(world: World):
    case = f.accepted_case(world, TODAY, confirm=False)
    income = document_of(case, "INCOME-RECORDS")
    record_verdict(world.reviewer, income, Verdict.PROBLEM, reason=PROBLEM, stamp_confirmed=False)
    client = staff_client(world.reviewer)
    url = reverse("cases:decide", args=[case.public_id])
    response = client.post(url, {"decision": "approve", "version": case.version}, follow=True)
    assert "不能审核通过" in response.content.decode() and PROBLEM in response.content.decode()
    case.refresh_from_db()
    assert case.state == "accepted"
    record_verdict(world.reviewer, income, Verdict.ACCEPTED, stamp_confirmed=True)
    f.confirm_materials(case, world.reviewer)
    client.post(url, {"decision": "approve", "version": case.version})
    case.refresh_from_db()
    assert case.state == "awaiting_ratification"
