"""Overrides (rules.md edition 2, opening principle and row "overrides"): per check, with a reason
citing the guide; to or from `fail` only with a second (supervisor's) approval; never-overridable rules
refused; every override in the acceptance snapshot and the case timeline."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from accounts.testing import login_staff
from cases import services
from cases.models import AcceptanceSnapshot, Case, CaseEvent, CheckOverride, State
from cases.tests import factories as f
from cases.tests.factories import World
from core.models import Notification

REASON = "注册资本实缴情况已核实，符合本市引进人才政策。"
CITATION = "三（一）"


def snapshot_of(case: Case) -> AcceptanceSnapshot:
    snapshot = services.latest_snapshot(case)
    assert snapshot is not None
    return snapshot


def with_low_capital(world: World, today: date) -> Case:
    """An accepted new case whose only failing check is ORG-CAPITAL (registered capital < 1,000,000)."""
    registry = world.employer.registry
    registry.registered_capital = 500_000
    registry.save()
    case = f.accepted_case(world, today)
    assert services.effective_outcomes(snapshot_of(case))[("ORG-CAPITAL", None)] == "fail"
    return case


def propose(world: World, case: Case, **kwargs) -> CheckOverride:
    case.refresh_from_db()
    values: dict[str, Any] = {
        "actor": world.reviewer,
        "case": case,
        "version": case.version,
        "rule": "ORG-CAPITAL",
        "clause": None,
        "outcome": "pass",
        "reason": REASON,
        "citation": CITATION,
    }
    values.update(kwargs)
    return services.propose_override(**values)


def test_override_of_a_fail_waits_for_a_supervisor_then_the_case_can_be_approved(world, today):
    case = with_low_capital(world, today)
    with pytest.raises(services.TransitionNotAllowed, match="ORG-CAPITAL 不符合"):
        services.approve(world.reviewer, case, version=case.version, today=today)
    override = propose(world, case)
    assert override.status == CheckOverride.Status.PROPOSED and override.needs_approval
    assert Notification.objects.filter(user=world.supervisor, subject__contains=case.reference).exists()
    case.refresh_from_db()
    # while it waits, the computed fail stands and approval is refused, naming the wait
    assert services.effective_outcomes(snapshot_of(case))[("ORG-CAPITAL", None)] == "fail"
    with pytest.raises(services.TransitionNotAllowed, match="尚待主管批准"):
        services.approve(world.reviewer, case, version=case.version, today=today)
    services.approve_override(actor=world.supervisor, override=override, note="同意，依据充分。")
    override.refresh_from_db()
    assert override.status == CheckOverride.Status.APPROVED and override.decided_by == world.supervisor
    assert Notification.objects.filter(user=world.reviewer, subject__contains="已批准").exists()
    case.refresh_from_db()
    snapshot = snapshot_of(case)
    assert services.effective_outcomes(snapshot)[("ORG-CAPITAL", None)] == "pass"
    assert services.effective_decision(snapshot) == "eligible"
    case = services.approve(world.reviewer, case, version=case.version, today=today)
    assert case.state == State.APPROVED
    actions = list(case.events.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == ["override", "override_approved", "approve"]


def test_refused_override_leaves_the_fail_and_stays_recorded(world, today):
    case = with_low_capital(world, today)
    override = propose(world, case)
    with pytest.raises(services.TransitionNotAllowed, match="意见"):
        services.refuse_override(actor=world.supervisor, override=override, note=" ")
    services.refuse_override(actor=world.supervisor, override=override, note="依据不足。")
    override.refresh_from_db()
    assert override.status == CheckOverride.Status.REFUSED
    case.refresh_from_db()
    snapshot = snapshot_of(case)
    assert services.effective_outcomes(snapshot)[("ORG-CAPITAL", None)] == "fail"
    assert list(snapshot.overrides.values_list("status", flat=True)) == ["refused"]
    with pytest.raises(services.TransitionNotAllowed, match="ORG-CAPITAL 不符合"):
        services.approve(world.reviewer, case, version=case.version, today=today)
    refused = CaseEvent.objects.get(case=case, action="override_refused")
    assert "依据不足" in refused.reason and REASON in refused.reason and CITATION in refused.reason
    # after a refusal a new proposal may be made
    assert propose(world, case).status == CheckOverride.Status.PROPOSED


def test_review_to_pass_is_in_force_at_once_without_a_second_approval(world, today):
    """A `review` (e.g. APP-TENURE short of the months: 一般应…满6个月) is decided by one person."""
    case = f.accepted_case(world, today)
    snapshot = snapshot_of(case)
    for check in snapshot.result["checks"]:
        if check["rule"] == "APP-TENURE":
            check["outcome"] = "review"
    snapshot.save()
    assert services.effective_decision(snapshot) == "needs_review"
    override = propose(world, case, rule="APP-TENURE", citation="四（一） 一般应…满6个月")
    assert override.status == CheckOverride.Status.APPROVED and not override.needs_approval
    assert override.decided_by is None
    assert services.effective_outcomes(snapshot)[("APP-TENURE", None)] == "pass"
    assert services.effective_decision(snapshot) == "eligible"
    assert not Notification.objects.filter(user=world.supervisor, subject__contains="批准").exists()
    case.refresh_from_db()
    assert services.approve(world.reviewer, case, version=case.version, today=today).state == State.APPROVED


def test_override_to_fail_also_needs_a_supervisor(world, today):
    case = f.accepted_case(world, today)
    override = propose(world, case, rule="APP-SOCIAL-INSURANCE", outcome="fail")
    assert override.original_outcome == "pass" and override.status == CheckOverride.Status.PROPOSED
    case.refresh_from_db()
    assert services.effective_outcomes(snapshot_of(case))[("APP-SOCIAL-INSURANCE", None)] == "pass"
    with pytest.raises(services.TransitionNotAllowed, match="尚待主管批准"):
        services.approve(world.reviewer, case, version=case.version, today=today)


def test_reason_citation_and_a_different_outcome_are_required(world, today):
    case = with_low_capital(world, today)
    with pytest.raises(services.TransitionNotAllowed, match="理由"):
        propose(world, case, reason="  ")
    with pytest.raises(services.TransitionNotAllowed, match="办理指南"):
        propose(world, case, citation="")
    with pytest.raises(services.TransitionNotAllowed, match="不同"):
        propose(world, case, outcome="fail")
    with pytest.raises(services.TransitionNotAllowed, match="不同"):
        propose(world, case, outcome="review")
    with pytest.raises(services.TransitionNotAllowed, match="没有该项检查"):
        propose(world, case, rule="REN-WINDOW")
    assert not CheckOverride.objects.exists()


@pytest.mark.parametrize(
    "rule", ["ORG-HAIDIAN", "ORG-PERMISSION", "ORG-SANCTION", "APP-SANCTION", "APP-HUKOU"]
)
def test_never_overridable_rules_are_refused_the_facts_are_corrected_at_source(world, today, rule):
    case = f.accepted_case(world, today)
    with pytest.raises(services.TransitionNotAllowed, match="信息来源处更正"):
        propose(world, case, rule=rule, outcome="fail")
    assert not CheckOverride.objects.exists()


def test_only_one_waiting_override_per_check(world, today):
    case = with_low_capital(world, today)
    propose(world, case)
    with pytest.raises(services.TransitionNotAllowed, match="待主管批准"):
        propose(world, case, reason="另一理由")


def test_wrong_roles_are_refused(world, today):
    case = with_low_capital(world, today)
    for outsider in (world.applicant_user, world.operator):
        with pytest.raises(services.TransitionNotAllowed, match="只有审核人员"):
            propose(world, case, actor=outsider)
    override = propose(world, case)
    # a reviewer (even another one) may propose, never approve
    for reviewer in (world.reviewer, world.other_reviewer, world.operator):
        with pytest.raises(services.TransitionNotAllowed, match="只有主管人员"):
            services.approve_override(actor=reviewer, override=override, note="同意")
    override.refresh_from_db()
    assert override.status == CheckOverride.Status.PROPOSED


def test_the_proposer_never_approves_their_own_override(world, today):
    case = with_low_capital(world, today)
    override = propose(world, case, actor=world.supervisor)
    with pytest.raises(services.TransitionNotAllowed, match="提出人以外"):
        services.approve_override(actor=world.supervisor, override=override, note="同意")
    with pytest.raises(services.TransitionNotAllowed, match="提出人以外"):
        services.refuse_override(actor=world.supervisor, override=override, note="不同意")
    second = f.make_reviewer(supervisor=True)
    services.approve_override(actor=second, override=override, note="同意")
    with pytest.raises(services.TransitionNotAllowed, match="已处理"):
        services.refuse_override(actor=second, override=override, note="再改")


def test_database_refuses_the_same_person_proposing_and_deciding(world, today):
    case = with_low_capital(world, today)
    override = propose(world, case, actor=world.supervisor)
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckOverride.objects.filter(pk=override.pk).update(status="approved", decided_by=world.supervisor)


def test_database_refuses_a_four_eyes_override_in_force_without_a_decider(world, today):
    case = with_low_capital(world, today)
    override = propose(world, case)
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckOverride.objects.filter(pk=override.pk).update(status="approved")


def test_an_override_of_a_snapshot_no_longer_in_use_cannot_be_approved(world, today):
    case = with_low_capital(world, today)
    override = propose(world, case)
    case.refresh_from_db()
    services.return_case(
        world.reviewer, case, to="employer", version=case.version, today=today, opinion="补正"
    )
    with pytest.raises(services.TransitionNotAllowed, match="不能再批准"):
        services.approve_override(actor=world.supervisor, override=override, note="同意")
    services.refuse_override(actor=world.supervisor, override=override, note="申请已退回")


def test_overrides_only_on_accepted_cases(world, today):
    case = f.new_case_with_authority(world, today)
    with pytest.raises(services.TransitionNotAllowed, match="已受理"):
        propose(world, case)


# --- pages ---------------------------------------------------------------------------------------


def logged_in(user) -> Client:
    client = Client()
    if user.is_district_staff:
        login_staff(client, user)
    else:
        client.force_login(user)
    return client


def test_review_page_shows_every_override_in_the_snapshot_and_the_timeline(world, today):
    case = with_low_capital(world, today)
    client = logged_in(world.reviewer)
    page = reverse("cases:review_detail", args=[case.public_id])
    assert "不可人工改判" in client.get(page).content.decode()  # ORG-HAIDIAN etc.
    response = client.post(
        reverse("cases:override", args=[case.public_id]),
        {
            "version": case.version,
            "rule": "ORG-CAPITAL",
            "clause": "",
            "outcome": "pass",
            "reason": REASON,
            "citation": CITATION,
        },
    )
    assert response.status_code == 302
    html = client.get(page).content.decode()
    assert REASON in html and "待主管批准" in html and "尚待主管批准" in html
    assert "提出人工判定" in html  # timeline
    # the applicant's timeline never shows it
    applicant_page = logged_in(world.applicant_user).get(reverse("cases:detail", args=[case.public_id]))
    assert REASON not in applicant_page.content.decode()


def test_a_post_without_citation_is_refused_with_a_message(world, today):
    case = with_low_capital(world, today)
    client = logged_in(world.reviewer)
    response = client.post(
        reverse("cases:override", args=[case.public_id]),
        {"version": case.version, "rule": "ORG-CAPITAL", "clause": "", "outcome": "pass", "reason": REASON},
        follow=True,
    )
    assert "办理指南" in response.content.decode()
    assert not CheckOverride.objects.exists()


def test_supervisor_queue_lists_and_approves(world, today):
    case = with_low_capital(world, today)
    override = propose(world, case)
    client = logged_in(world.supervisor)
    queue = client.get(reverse("cases:override_queue")).content.decode()
    assert case.reference in queue and REASON in queue and CITATION in queue
    home = client.get(reverse("core:home")).content.decode()
    assert "待批准的人工判定" in home and case.reference in home
    url = reverse("cases:override_decide", args=[override.pk])
    client.post(url, {"decision": "approve", "note": ""})
    override.refresh_from_db()
    assert override.status == CheckOverride.Status.PROPOSED  # the note is required
    client.post(url, {"decision": "approve", "note": "同意"})
    override.refresh_from_db()
    assert override.status == CheckOverride.Status.APPROVED


def test_supervisor_queue_offers_no_form_for_ones_own_proposal(world, today):
    case = with_low_capital(world, today)
    override = propose(world, case, actor=world.supervisor)
    client = logged_in(world.supervisor)
    html = client.get(reverse("cases:override_queue")).content.decode()
    assert reverse("cases:override_decide", args=[override.pk]) not in html
    response = client.post(
        reverse("cases:override_decide", args=[override.pk]),
        {"decision": "approve", "note": "同意"},
        follow=True,
    )
    assert "提出人以外" in response.content.decode()
    override.refresh_from_db()
    assert override.status == CheckOverride.Status.PROPOSED


def test_queue_and_decision_refuse_everyone_but_supervisors(world, today):
    case = with_low_capital(world, today)
    override = propose(world, case)
    queue = reverse("cases:override_queue")
    decide = reverse("cases:override_decide", args=[override.pk])
    anonymous = Client()
    assert anonymous.get(queue).status_code in (302, 403, 404)
    assert anonymous.post(decide, {"decision": "approve", "note": "x"}).status_code in (302, 403, 404)
    for user in (world.reviewer, world.other_reviewer, world.applicant_user, world.operator):
        client = logged_in(user)
        response = client.get(queue)
        assert response.status_code in (403, 404)
        assert case.reference not in response.content.decode()
        assert client.post(decide, {"decision": "approve", "note": "x"}).status_code in (403, 404)
    no_second_factor = Client()
    no_second_factor.force_login(world.supervisor)
    response = no_second_factor.post(decide, {"decision": "approve", "note": "x"})
    assert response.status_code == 302 and "/accounts/otp/" in response["Location"]
    override.refresh_from_db()
    assert override.status == CheckOverride.Status.PROPOSED
    assert (
        logged_in(world.supervisor).post(reverse("cases:override_decide", args=[99999]), {}).status_code
        == 404
    )


def test_proposing_is_refused_to_applicant_operator_and_anonymous(world, today):
    case = with_low_capital(world, today)
    url = reverse("cases:override", args=[case.public_id])
    data = {
        "version": case.version,
        "rule": "ORG-CAPITAL",
        "clause": "",
        "outcome": "pass",
        "reason": "x",
        "citation": "y",
    }
    assert Client().post(url, data).status_code in (302, 403, 404)
    for user in (world.applicant_user, world.operator):
        assert logged_in(user).post(url, data).status_code in (403, 404)
    assert not CheckOverride.objects.exists()
    # another reviewer (not assigned) may propose
    logged_in(world.other_reviewer).post(url, data)
    assert CheckOverride.objects.get().by == world.other_reviewer
