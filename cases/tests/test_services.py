"""BIZ-FLOW through the services: new case from draft to decision, history, snapshot, permits."""

from __future__ import annotations

import re
from datetime import date

import pytest

from cases import services
from cases.models import AcceptanceSnapshot, Case, CaseEvent, State
from cases.tests import factories as f
from cases.workflow import Action
from core.models import Notification
from permits.models import Permit


def actions(case: Case) -> list[tuple[str, str, str]]:
    return list(case.events.order_by("id").values_list("action", "from_state", "to_state"))


def test_biz_flow_new_case_from_draft_to_approval_issues_a_permit(world, today):
    case = services.start_new_case(world.applicant_user, today=today)
    assert case.state == State.DRAFT
    assert re.fullmatch(r"HD2025\d{6}", case.reference)
    case = f.fill_new_case(case, world.applicant_user, today)
    case = services.submit(world.applicant_user, case, version=case.version, today=today)
    assert case.state == State.WITH_EMPLOYER
    case = f.employer_complete(case, world.operator, today)
    case = services.employer_submit(world.operator, case, version=case.version, today=today)
    assert case.state == State.SUBMITTED
    assert case.submitted_on == today
    # P-LEAD-WORKING-DAYS: 20 working days after Thu 2025-11-20 (the day itself not counted).
    assert case.due_on == date(2025, 12, 18)
    assert case.due_estimated is False
    case = services.accept(world.reviewer, case, version=case.version, today=today)
    f.confirm_materials(case, world.reviewer)
    assert case.state == State.ACCEPTED
    assert case.accepted_on == today
    case = services.approve(world.reviewer, case, version=case.version, today=today)
    # BIZ-TIME-LIMIT: the district's approval goes to 核准, due P-RATIFY-WORKING-DAYS after it; no
    # permit yet.
    assert case.state == State.AWAITING_RATIFICATION
    assert case.district_approved_on == today
    assert case.ratify_due_on == date(2025, 12, 18)  # 20 working days after Thu 2025-11-20
    assert not Permit.objects.filter(holder=world.applicant).exists()
    ratifier = f.make_ratifier()
    case = f.ratify(case, ratifier, today=date(2025, 11, 24))
    assert case.state == State.APPROVED
    assert case.decided_by == ratifier
    permit = Permit.objects.get(holder=world.applicant)
    assert permit.employer == world.employer
    assert actions(case) == [
        ("create", "", "draft"),
        ("submit", "draft", "with_employer"),
        ("employer_submit", "with_employer", "submitted"),
        ("accept", "submitted", "accepted"),
        ("approve", "accepted", "awaiting_ratification"),
        ("ratify", "awaiting_ratification", "approved"),
    ]


def test_references_are_sequential_per_year(world, today):
    first = services.start_new_case(world.applicant_user, today=today)
    second = services.start_new_case(world.other_applicant.user, today=today)
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1


def test_acceptance_fixes_facts_parameters_engine_and_result_on_the_acceptance_day(world, today):
    """四（九）: the criteria are judged on the acceptance day."""
    case = f.accepted_case(world, today)
    snapshot = AcceptanceSnapshot.objects.get(case=case)
    assert snapshot.as_of == today
    assert snapshot.facts["as_of"] == "2025-11-20"
    assert snapshot.facts["applicant"]["monthly_income"][-1] == {
        "month": "2025-10",
        "amount": 21000,
        "corrected": False,
    }
    assert snapshot.result["decision"] == "eligible"
    assert snapshot.result["as_of"] == "2025-11-20"
    assert len(snapshot.parameters_hash) >= 16
    assert snapshot.engine_version
    assert snapshot.parameters
    # Later changes to the case do not alter what was judged.
    case.income_records.update(amount=1)
    snapshot.refresh_from_db()
    assert snapshot.facts["applicant"]["monthly_income"][0]["amount"] == 21000


def test_return_with_opinion_and_tips_then_resubmission_keeps_the_whole_history(world, today):
    case = f.accepted_case(world, today)
    case = services.return_case(
        world.reviewer,
        case,
        to="applicant",
        version=case.version,
        today=today,
        opinion="租房合同缺少出租人签字。",
        tips="下次请同时上传出租人身份证复印件。",
    )
    assert case.state == State.RETURNED_TO_APPLICANT
    event = case.events.get(action=Action.RETURN_TO_APPLICANT)
    assert event.opinion == "租房合同缺少出租人签字。"
    assert event.tips == "下次请同时上传出租人身份证复印件。"
    # The applicant corrects (re-uploads the lease) and resubmits; the employer submits again.
    services.attach_document(
        world.applicant_user, case, material="LEASE", uploader="applicant", child=None, uploaded_file=f.pdf()
    )
    case.refresh_from_db()
    assert case.employer_checked == []  # the replaced file resets the employer's check (issue 10)
    case = services.submit(world.applicant_user, case, version=case.version, today=today)
    case = f.employer_complete(case, world.operator, today)
    case = services.employer_submit(world.operator, case, version=case.version, today=today)
    case = services.accept(world.reviewer, case, version=case.version, today=today)
    f.confirm_materials(case, world.reviewer)
    case = services.approve(world.reviewer, case, version=case.version, today=today)
    assert case.state == State.AWAITING_RATIFICATION
    case = f.ratify(case, today=today)
    assert case.state == State.APPROVED
    assert [a for a, _f, _t in actions(case)] == [
        "create",
        "submit",
        "employer_submit",
        "accept",
        "return_to_applicant",
        "employer_check_reset",
        "submit",
        "employer_submit",
        "accept",
        "approve",
        "ratify",
    ]
    assert case.snapshots.count() == 2  # one per acceptance
    # The re-uploaded lease is a new version of the first one.
    leases = case.documents.filter(material="LEASE").order_by("id")
    assert [link.document.version for link in leases] == [1, 2]


def test_return_to_employer_then_employer_resubmits(world, today):
    case = f.new_case_with_authority(world, today)
    case = services.return_case(
        world.reviewer, case, to="employer", version=case.version, today=today, opinion="单位纳税材料未盖章。"
    )
    assert case.state == State.RETURNED_TO_EMPLOYER
    case = services.employer_submit(world.operator, case, version=case.version, today=today)
    assert case.state == State.SUBMITTED


def test_employer_returns_to_applicant_with_a_reason(world, today):
    case = services.start_new_case(world.applicant_user, today=today)
    case = f.fill_new_case(case, world.applicant_user, today)
    case = services.submit(world.applicant_user, case, version=case.version, today=today)
    with pytest.raises(services.TransitionNotAllowed, match="理由"):
        services.employer_return(world.operator, case, version=case.version, today=today, reason="  ")
    case = services.employer_return(
        world.operator, case, version=case.version, today=today, reason="收入记录缺页"
    )
    assert case.state == State.RETURNED_TO_APPLICANT
    assert case.events.get(action=Action.EMPLOYER_RETURN).reason == "收入记录缺页"
    assert Notification.objects.filter(user=world.applicant_user, body__contains="收入记录缺页").exists()


def test_reject_needs_an_opinion(world, today):
    case = f.accepted_case(world, today)
    with pytest.raises(services.TransitionNotAllowed, match="审核意见"):
        services.reject(world.reviewer, case, version=case.version, today=today, opinion="")
    case = services.reject(world.reviewer, case, version=case.version, today=today, opinion="提供虚假材料。")
    assert case.state == State.REJECTED
    assert not Permit.objects.filter(holder=world.applicant).exists()


def test_applicant_withdraws_before_acceptance_but_not_after(world, today):
    case = f.new_case_with_authority(world, today)
    case = services.withdraw(world.applicant_user, case, version=case.version, today=today)
    assert case.state == State.WITHDRAWN
    other = f.accepted_case(f.make_world(), today)
    with pytest.raises(services.TransitionNotAllowed, match="已受理"):
        services.withdraw(other.applicant.user, other, version=other.version, today=today)


def test_a_transition_the_table_does_not_allow_is_refused_with_the_state_in_the_message(world, today):
    case = services.start_new_case(world.applicant_user, today=today)
    with pytest.raises(services.TransitionNotAllowed) as refused:
        services.approve(world.reviewer, case, version=case.version, today=today)
    assert "填写中" in refused.value.message
    assert case.events.count() == 1


def test_stale_version_never_overwrites_newer_data(world, today):
    case = services.start_new_case(world.applicant_user, today=today)
    stale_version = case.version
    services.save_case_facts(world.applicant_user, case, version=stale_version, data={"claimed_clause": 2})
    with pytest.raises(services.StaleCase):
        services.save_case_facts(
            world.applicant_user, case, version=stale_version, data={"claimed_clause": 3}
        )
    case.refresh_from_db()
    assert case.claimed_clause == 2


def test_submission_blocked_lists_every_missing_item_at_once_with_links(world, today):
    world.applicant.hukou_address = ""
    world.applicant.save()
    case = services.start_new_case(world.applicant_user, today=today)
    with pytest.raises(services.SubmissionBlocked) as blocked:
        services.submit(world.applicant_user, case, version=case.version, today=today)
    messages = [p.message for p in blocked.value.problems]
    assert any("户口所在地" in m for m in messages)
    assert any("申报条款" in m for m in messages)
    assert any("月度应税收入" in m for m in messages)
    assert any("材料未上传" in m and "诚信声明" in m for m in messages)
    assert all(p.url for p in blocked.value.problems)
    case.refresh_from_db()
    assert case.state == State.DRAFT


def test_employer_submit_blocked_until_the_employer_checked_and_uploaded(world, today):
    case = services.start_new_case(world.applicant_user, today=today)
    case = f.fill_new_case(case, world.applicant_user, today)
    case = services.submit(world.applicant_user, case, version=case.version, today=today)
    with pytest.raises(services.SubmissionBlocked) as blocked:
        services.employer_submit(world.operator, case, version=case.version, today=today)
    sections = {p.section for p in blocked.value.problems}
    assert sections == {"materials", "check"}


def test_org_permission_receive_only_employer_cannot_file_new(world, today):
    world.employer.rights_kind = "receive_only"
    world.employer.save()
    with pytest.raises(services.TransitionNotAllowed, match="ORG-PERMISSION"):
        services.start_new_case(world.applicant_user, today=today)


def test_biz_one_employer_no_case_without_an_approved_association(db, today):
    applicant = f.make_applicant()
    f.associate(applicant, f.make_employer(), status="pending")
    with pytest.raises(services.TransitionNotAllowed, match="BIZ-ONE-EMPLOYER"):
        services.start_new_case(applicant.user, today=today)


def test_only_one_open_case_of_a_kind(world, today):
    services.start_new_case(world.applicant_user, today=today)
    with pytest.raises(services.TransitionNotAllowed, match="未办结"):
        services.start_new_case(world.applicant_user, today=today)


def test_assigned_case_is_decided_only_by_its_reviewer_or_a_supervisor(world, today):
    case = f.new_case_with_authority(world, today)
    case = services.assign(world.reviewer, case, reviewer=world.reviewer)
    with pytest.raises(services.TransitionNotAllowed, match="已分配"):
        services.accept(world.other_reviewer, case, version=case.version, today=today)
    case = services.accept(world.supervisor, case, version=case.version, today=today)
    assert case.state == State.ACCEPTED
    with pytest.raises(services.TransitionNotAllowed):
        services.assign(world.other_reviewer, case, reviewer=world.other_reviewer)
    case = services.assign(world.supervisor, case, reviewer=world.other_reviewer)
    assert case.assigned_to == world.other_reviewer
    assert Notification.objects.filter(user=world.other_reviewer).exists()


def test_bulk_accept_and_return_need_a_reason_and_report_refusals(world, today):
    first = f.new_case_with_authority(world, today)
    second = f.new_case_with_authority(f.make_world(), today)
    draft = services.start_new_case(world.other_applicant.user, today=today)
    with pytest.raises(services.TransitionNotAllowed, match="理由"):
        services.bulk_transition(world.reviewer, [first], Action.ACCEPT, today=today, reason=" ")
    result = services.bulk_transition(
        world.reviewer, [first, second, draft], Action.ACCEPT, today=today, reason="材料齐全"
    )
    assert {c.pk for c in result.done} == {first.pk, second.pk}
    assert [c.pk for c, _msg in result.refused] == [draft.pk]
    result = services.bulk_transition(
        world.reviewer,
        [first],
        Action.RETURN_TO_EMPLOYER,
        today=today,
        reason="请补充单位纳税材料",
        tips="提示",
    )
    first.refresh_from_db()
    assert first.state == State.RETURNED_TO_EMPLOYER
    assert first.events.get(action=Action.RETURN_TO_EMPLOYER).opinion == "请补充单位纳税材料"


def test_case_events_are_append_only(world, today):
    case = services.start_new_case(world.applicant_user, today=today)
    event = CaseEvent.objects.get(case=case)
    event.reason = "changed"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_templates_are_maintained_by_supervisors_only(world):
    from cases.models import OpinionTemplate

    with pytest.raises(services.TransitionNotAllowed):
        services.save_template(world.reviewer, OpinionTemplate, pk=None, title="t", text="x", active=True)
    template = services.save_template(
        world.supervisor, OpinionTemplate, pk=None, title="缺少材料", text="请补充材料。", active=True
    )
    services.save_template(
        world.supervisor, OpinionTemplate, pk=template.pk, title="缺少材料", text="请补充。", active=False
    )
    template.refresh_from_db()
    assert template.text == "请补充。" and template.active is False
