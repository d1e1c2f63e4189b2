"""BIZ-FLOW: the opinion panel at the top of a case shows the return or rejection that put the case in
its current state; once the case moved on it is no longer presented as the current opinion (the
timeline keeps it)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.testing import login_staff
from cases import selectors, services
from cases.models import State
from cases.tests import factories as f
from cases.tests.factories import World

TODAY = date(2025, 11, 20)
OPINION = "租房合同缺少出租人签字，请重新上传。"
TIP = "下次请一并上传出租人身份证复印件。"


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel("2025-11-20 10:00 +0800", tick=True):
        yield


def page_of(user, case) -> str:
    client = Client()
    if user.is_district_staff:
        login_staff(client, user)
    else:
        client.force_login(user)
    return client.get(reverse("cases:detail", args=[case.public_id])).content.decode()


def returned_case(world: World):
    case = f.accepted_case(world, TODAY)
    return services.return_case(
        world.reviewer, case, to="applicant", version=case.version, today=TODAY, opinion=OPINION, tips=TIP
    )


def test_biz_flow_returned_case_shows_the_opinion_and_the_tip_at_the_top(world: World):
    case = returned_case(world)
    shown = selectors.latest_opinion(case)
    assert shown is not None and shown.opinion == OPINION
    page = page_of(world.applicant_user, case)
    assert 'id="h-opinion"' in page and OPINION in page and TIP in page


def test_biz_flow_approved_case_no_longer_shows_an_earlier_return_as_the_current_opinion(world: World):
    case = returned_case(world)
    case = services.submit(world.applicant_user, case, version=case.version, today=TODAY)
    assert selectors.latest_opinion(case) is None  # resubmitted: the return is history
    case = services.employer_submit(world.operator, case, version=case.version, today=TODAY)
    case = services.accept(world.reviewer, case, version=case.version, today=TODAY)
    f.confirm_materials(case, world.reviewer)
    case = services.approve(world.reviewer, case, version=case.version, today=TODAY)
    assert case.state == State.AWAITING_RATIFICATION
    case = f.ratify(case, today=TODAY)
    assert case.state == State.APPROVED
    assert selectors.latest_opinion(case) is None
    page = page_of(world.applicant_user, case)
    assert 'id="h-opinion"' not in page
    assert OPINION in page and TIP in page  # still in the timeline


def test_biz_flow_employer_return_shows_the_employer_s_reason(world: World):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    case = f.fill_new_case(case, world.applicant_user, TODAY)
    case = services.submit(world.applicant_user, case, version=case.version, today=TODAY)
    case = services.employer_return(
        world.operator, case, version=case.version, today=TODAY, reason="请补充户口本本人页"
    )
    shown = selectors.latest_opinion(case)
    assert shown is not None and shown.action == "employer_return"
    page = page_of(world.applicant_user, case)
    assert "单位退回理由" in page and "请补充户口本本人页" in page


def test_biz_flow_rejected_case_keeps_the_opinion_at_the_top(world: World):
    case = f.accepted_case(world, TODAY)
    case = services.reject(world.reviewer, case, version=case.version, today=TODAY, opinion="学历不符。")
    shown = selectors.latest_opinion(case)
    assert shown is not None and shown.opinion == "学历不符。"
