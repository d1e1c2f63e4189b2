"""Guards of the district's approval and of submission, through the services (cases.guards):
DOC-STAMPED confirmations, problem verdicts, DOC-FORMAT failed checks accepted only with a reason,
unreadable files refused at submission, failing checks warned about."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.testing import login_staff
from cases import guards, services
from cases.models import Case, State
from cases.tests import factories as f
from cases.tests.factories import World
from materials.checks.findings import finding
from materials.models import CheckStatus, Document, Verdict
from materials.services import STAMPED_MATERIALS, record_verdict
from policy.materials_catalogue import STAMPED_MATERIALS as POLICY_STAMPED

TODAY = date(2025, 11, 20)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel("2025-11-20 10:00 +0800", tick=True):
        yield


def doc(case: Case, material: str) -> Document:
    return services.current_documents(case)[(material, None)]


def fail_check(document: Document, code: str = "GREYSCALE", page: int | None = 1) -> None:
    params = {"detail": ("文件已损坏", "broken")} if code == "BROKEN" else {}
    Document.objects.filter(pk=document.pk).update(
        check_status=CheckStatus.FAILED, findings=[finding(code, page=page, **params)]
    )
    document.refresh_from_db()


def accept_all_but(case: Case, reviewer, *skip: str) -> None:
    for material, _child, document in guards.current_slots(case):
        if material in skip:
            continue
        record_verdict(
            reviewer,
            document,
            Verdict.ACCEPTED,
            stamp_confirmed=True if material in STAMPED_MATERIALS else None,
        )


def approve(world: World, case: Case) -> Case:
    case.refresh_from_db()
    return services.approve(world.reviewer, case, version=case.version, today=TODAY)


def test_doc_stamped_set_lives_in_policy_and_names_the_guide_s_materials():
    assert STAMPED_MATERIALS == POLICY_STAMPED
    assert {"EMPLOYER-TAX", "INCOME-RECORDS", "INCOME-RECORDS-3Y", "TITLE-CERT", "IP-CERTS"} <= POLICY_STAMPED


def test_doc_stamped_approval_refused_until_each_stamped_material_is_confirmed(world: World):
    case = f.accepted_case(world, TODAY, confirm=False)
    accept_all_but(case, world.reviewer, "EMPLOYER-TAX", "INCOME-RECORDS")
    with pytest.raises(services.ApprovalBlocked) as refused:
        approve(world, case)
    assert len(refused.value.blockers) == 2
    assert any("单位纳税材料" in b and "盖章" in b for b in refused.value.blockers)
    case.refresh_from_db()
    assert case.state == State.ACCEPTED
    record_verdict(world.reviewer, doc(case, "EMPLOYER-TAX"), Verdict.ACCEPTED, stamp_confirmed=True)
    with pytest.raises(services.ApprovalBlocked) as refused:
        approve(world, case)
    assert [b for b in refused.value.blockers if "应税收入材料" in b]
    record_verdict(world.reviewer, doc(case, "INCOME-RECORDS"), Verdict.ACCEPTED, stamp_confirmed=True)
    assert approve(world, case).state != State.ACCEPTED


def test_doc_stamped_a_replaced_stamped_file_needs_a_new_confirmation(world: World):
    case = f.accepted_case(world, TODAY)
    assert guards.stamp_blockers(case) == []
    income = doc(case, "INCOME-RECORDS")
    replacement = f.pdf("income-v2.pdf")
    from materials.services import store_upload

    new = store_upload(
        uploaded_file=replacement,
        material="INCOME-RECORDS",
        uploaded_by=world.applicant_user,
        applicant=world.applicant,
        replaces=income,
        check=False,
    )
    from cases.models import CaseDocument

    CaseDocument.objects.create(
        case=case,
        material="INCOME-RECORDS",
        uploader="applicant",
        document=new,
        added_by=world.applicant_user,
    )
    assert len(guards.stamp_blockers(case)) == 1


def test_biz_flow_a_problem_verdict_refuses_approval_in_the_service(world: World):
    case = f.accepted_case(world, TODAY)
    lease = doc(case, "LEASE")
    record_verdict(world.reviewer, lease, Verdict.PROBLEM, reason="租赁合同缺少签字页")
    with pytest.raises(services.ApprovalBlocked) as refused:
        approve(world, case)
    assert "租赁合同缺少签字页" in refused.value.message
    record_verdict(world.reviewer, lease, Verdict.ACCEPTED)
    assert approve(world, case).state != State.ACCEPTED


def test_doc_format_a_failed_check_refuses_approval_until_accepted_with_a_reason(world: World):
    case = f.accepted_case(world, TODAY, confirm=False)
    lease = doc(case, "LEASE")
    fail_check(lease)
    accept_all_but(case, world.reviewer, "LEASE")
    with pytest.raises(services.ApprovalBlocked) as refused:
        approve(world, case)
    assert refused.value.blockers == guards.failed_check_blockers(case)
    assert "未通过自动检查" in refused.value.blockers[0]
    # An ordinary acceptance is refused: the reviewer must accept the failed check explicitly ...
    with pytest.raises(ValidationError) as error:
        record_verdict(world.reviewer, lease, Verdict.ACCEPTED)
    assert "accept_failed_check" in error.value.message_dict
    # ... and with a reason.
    with pytest.raises(ValidationError) as error:
        record_verdict(world.reviewer, lease, Verdict.ACCEPTED, accept_failed_check=True)
    assert "reason" in error.value.message_dict
    verdict = record_verdict(
        world.reviewer, lease, Verdict.ACCEPTED, reason="原件为黑白打印件，内容清晰", accept_failed_check=True
    )
    assert verdict.failed_check_accepted is True
    assert guards.failed_check_blockers(case) == []
    assert approve(world, case).state != State.ACCEPTED


def test_doc_format_an_unreadable_file_cannot_be_accepted(world: World):
    case = f.accepted_case(world, TODAY, confirm=False)
    lease = doc(case, "LEASE")
    fail_check(lease, "BROKEN", page=None)
    with pytest.raises(ValidationError):
        record_verdict(world.reviewer, lease, Verdict.ACCEPTED, reason="看过了", accept_failed_check=True)


def test_doc_format_submission_refuses_an_unreadable_file_and_warns_about_a_failed_check(world: World):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    case = f.fill_new_case(case, world.applicant_user, TODAY)
    fail_check(doc(case, "LEASE"), "BROKEN", page=None)
    with pytest.raises(services.SubmissionBlocked) as refused:
        services.submit(world.applicant_user, case, version=case.version, today=TODAY)
    assert any("无法打开" in p.message for p in refused.value.problems)
    fail_check(doc(case, "LEASE"), "GREYSCALE", page=1)
    warnings = services.submission_warnings(case, "submit")
    assert len(warnings) == 1 and "未通过自动检查" in warnings[0].message
    case = services.submit(world.applicant_user, case, version=case.version, today=TODAY)
    assert case.state == State.WITH_EMPLOYER


def test_biz_flow_bulk_operations_cannot_approve(world: World):
    case = f.accepted_case(world, TODAY, confirm=False)
    with pytest.raises(services.TransitionNotAllowed):
        services.bulk_transition(world.reviewer, [case], "approve", today=TODAY, reason="批量")


def test_review_page_lists_the_blocking_reasons_beside_the_decision(world: World):
    case = f.accepted_case(world, TODAY, confirm=False)
    client = Client()
    login_staff(client, world.reviewer)
    page = client.get(reverse("cases:review_detail", args=[case.public_id])).content.decode()
    decision = page[page.index('id="h-decide"') :]
    assert "尚不能审核通过" in decision and "尚未核对盖章及签注" in decision
    response = client.post(
        reverse("cases:decide", args=[case.public_id]),
        {"decision": "approve", "version": case.version},
        follow=True,
    )
    assert "不能审核通过" in response.content.decode()
    case.refresh_from_db()
    assert case.state == State.ACCEPTED


def test_review_page_offers_accepting_a_failed_check_with_a_reason(world: World):
    case = f.accepted_case(world, TODAY, confirm=False)
    lease = doc(case, "LEASE")
    fail_check(lease)
    client = Client()
    login_staff(client, world.reviewer)
    url = reverse("cases:document_verdict", args=[case.public_id, lease.public_id])
    prefix = str(lease.public_id)
    refused = client.post(url, {f"{prefix}-verdict": "accepted", f"{prefix}-reason": ""})
    assert refused.status_code == 400
    response = client.post(
        url,
        {
            f"{prefix}-verdict": "accepted",
            f"{prefix}-reason": "内容清晰",
            f"{prefix}-accept_failed_check": "on",
        },
    )
    assert response.status_code == 302
    assert lease.verdicts.get().failed_check_accepted
