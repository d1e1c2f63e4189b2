"""Who acts next (issue 10, item 4): the table covers every state of the state machine for every role
that can see the case, agrees with the transition table, and the banner shows the due date that
concerns the viewer (BIZ-FLOW, BIZ-TIME-LIMIT, REN-DEADLINE, CHG-DEADLINE)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from cases import engine, services
from cases import next_step as ns
from cases.models import Kind, State
from cases.tests import factories as f
from cases.tests.factories import World
from cases.tests.test_views import logged_in
from cases.workflow import APPLICANT, OPERATOR, RATIFIER, REVIEWER, Action, actions_from
from permits.models import Permit
from permits.services import next_number

TODAY = date(2025, 11, 20)
GUIDE_EXPIRY = date(2022, 8, 6)  # REN-DEADLINE example: latest working day Fri 2022-07-08


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel("2025-11-20 10:00 +0800", tick=True):
        yield


# --- the table ----------------------------------------------------------------------------------


def test_every_state_of_the_transition_table_has_a_step_for_every_role_that_can_see_it():
    states = ns.states_in_table()
    assert states == {str(s) for s in State.values}
    for kind in Kind.values:
        flow = ns.flow_of(kind)
        for state in states:
            for role in ns.roles_that_see(state):
                assert (flow, state, role) in ns.STEPS, (kind, state, role)


def test_the_ratifier_sees_only_cases_waiting_for_ratification():
    for state in State.values:
        assert (RATIFIER in ns.roles_that_see(state)) == (state == State.AWAITING_RATIFICATION)


def test_the_actor_named_is_the_one_the_state_machine_lets_act():
    """BIZ-FLOW: the step names as next actor a role with a move other than withdrawing; closed
    states name nobody."""
    for kind in Kind.values:
        flow = ns.flow_of(kind)
        for state in ns.states_in_table():
            for role in ns.roles_that_see(state):
                step = ns.STEPS[(flow, state, role)]
                moves = [a for a in actions_from(kind, state, step.actor) if a != Action.WITHDRAW]
                if step.actor == ns.NOBODY:
                    assert not any(
                        a != Action.WITHDRAW for r in ns.ALL_ROLES for a in actions_from(kind, state, r)
                    )
                else:
                    assert moves, (kind, state, role, step.actor)
                own = [a for a in actions_from(kind, state, role) if a != Action.WITHDRAW]
                if own:  # whoever can move the case on is told it is their turn
                    assert step.actor == role, (kind, state, role)


# --- due dates ----------------------------------------------------------------------------------


def give_permit(world: World, expires_on: date) -> Permit:
    return Permit.objects.create(
        number=next_number(2020),
        holder=world.applicant,
        employer=world.employer,
        issued_on=date(2020, 1, 1),
        expires_on=expires_on,
    )


def test_ren_deadline_the_renewal_banner_gives_the_latest_submission_day(world):
    give_permit(world, GUIDE_EXPIRY)
    day = date(2022, 6, 6)
    case = services.start_employer_case(
        world.operator, applicant=world.applicant, kind=Kind.RENEWAL, today=day
    )
    step = ns.next_step(case, OPERATOR, day)
    assert step.you_act and step.title == "请核查并提交主管部门"
    expected = engine.latest_day(engine.case_deadlines(GUIDE_EXPIRY, day))
    assert step.due_on == expected == date(2022, 7, 8)
    holder = ns.next_step(case, APPLICANT, day, applicant_uploads_missing=True)
    assert holder.you_act and holder.title == "请上传您本人的材料" and holder.due_on == expected
    waiting = ns.next_step(case, APPLICANT, day, applicant_uploads_missing=False)
    assert not waiting.you_act and waiting.title == "等待单位提交" and waiting.actor == OPERATOR


def test_submitted_case_applicants_see_the_public_time_limit_staff_the_review_due(world):
    case = f.new_case_with_authority(world, TODAY)
    assert case.due_on is not None
    for role in (APPLICANT, OPERATOR):
        step = ns.next_step(case, role, TODAY)
        assert step.title == "等待主管部门受理" and step.actor == REVIEWER
        assert step.due_on is None  # the district's internal review due is not theirs
        days = engine.ratify_working_days(TODAY)
        assert f"{days}个工作日" in step.due_text
    staff = ns.next_step(case, REVIEWER, TODAY)
    assert staff.you_act and staff.due_on == case.due_on and staff.due_label == "审核期限"


def test_biz_time_limit_everyone_sees_the_ratification_due(world):
    case = f.accepted_case(world, TODAY)
    case = services.approve(world.reviewer, case, version=case.version, today=TODAY)
    assert case.state == State.AWAITING_RATIFICATION
    for role in (APPLICANT, OPERATOR, REVIEWER, RATIFIER):
        step = ns.next_step(case, role, TODAY)
        assert step.due_on == case.ratify_due_on and step.actor == RATIFIER
    assert ns.next_step(case, RATIFIER, TODAY).you_act
    case = f.ratify(case, today=TODAY)
    assert ns.next_step(case, APPLICANT, TODAY).title == "已核准，可打印确认单"


# --- pages --------------------------------------------------------------------------------------


def test_applicant_page_shows_who_acts_next_without_the_internal_review_due(world):
    case = f.new_case_with_authority(world, TODAY)
    assert case.due_on is not None
    page = (
        logged_in(world.applicant_user).get(reverse("cases:detail", args=[case.public_id])).content.decode()
    )
    assert 'data-next-step="submitted"' in page and "等待主管部门受理" in page
    assert "审核期限" not in page and str(case.due_on) not in page
    assert "自主管部门审核通过之日起" in page
    staff = (
        logged_in(world.reviewer).get(reverse("cases:review_detail", args=[case.public_id])).content.decode()
    )
    assert "请受理" in staff and str(case.due_on) in staff


def test_operator_pages_and_home_panel_say_it_is_their_turn(world):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    case = f.fill_new_case(case, world.applicant_user, TODAY)
    case = services.submit(world.applicant_user, case, version=case.version, today=TODAY)
    operator = logged_in(world.operator)
    for name in ("cases:detail", "cases:facts", "cases:materials", "cases:employer_check", "cases:income"):
        page = operator.get(reverse(name, args=[case.public_id])).content.decode()
        assert "请核查并提交主管部门" in page, name
    home = operator.get("/").content.decode()
    assert "待您处理：请核查并提交主管部门" in home
    applicant_home = logged_in(world.applicant_user).get("/").content.decode()
    assert "等待单位提交" in applicant_home


def test_ratifier_page_shows_the_ratification_step(world):
    case = f.accepted_case(world, TODAY)
    case = services.approve(world.reviewer, case, version=case.version, today=TODAY)
    page = (
        logged_in(f.make_ratifier())
        .get(reverse("cases:ratify_detail", args=[case.public_id]))
        .content.decode()
    )
    assert "请核准或退回区级复核" in page and str(case.ratify_due_on) in page
