"""BIZ-TIME-LIMIT (六 办理时限): the district's approval goes to the municipal authority's 核准 queue,
due P-RATIFY-WORKING-DAYS working days after it; the permit is issued (and the slip printable) only
at 核准; the ratifier may return it to the district with a reason. Every new route refuses the wrong
user."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.testing import login_staff
from cases import engine, services
from cases.models import Case, State
from cases.tests import factories as f
from cases.tests.factories import World
from cases.workflow import Action
from permits.models import Permit

TODAY = date(2025, 11, 20)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel("2025-11-20 10:00 +0800", tick=True):
        yield


def approved(world: World) -> Case:
    case = f.accepted_case(world, TODAY)
    return services.approve(world.reviewer, case, version=case.version, today=TODAY)


def ratifier_client(ratifier=None) -> Client:
    client = Client()
    login_staff(client, ratifier or f.make_ratifier())
    return client


def test_biz_time_limit_ratify_due_date_is_p_ratify_working_days_after_the_approval(world: World):
    case = approved(world)
    assert case.state == State.AWAITING_RATIFICATION
    assert engine.ratify_working_days(TODAY) == 20
    # 20 working days after Thu 2025-11-20, the day itself not counted.
    assert case.ratify_due_on == date(2025, 12, 18) and case.ratify_due_estimated is False
    assert not Permit.objects.filter(holder=world.applicant).exists()


def test_biz_time_limit_no_permit_and_no_slip_before_ratification(world: World):
    case = approved(world)
    applicant = Client()
    applicant.force_login(world.applicant_user)
    page = applicant.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "已报市级主管部门核准" in page and "2025-12-18" in page and "核准前证件尚未签发" in page
    case = f.ratify(case, today=date(2025, 11, 25))
    assert case.state == State.APPROVED
    permit = Permit.objects.get(holder=world.applicant)
    page = applicant.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "已签发" in page
    assert permit.employer == world.employer


def test_biz_time_limit_the_approval_mail_tells_of_ratification_and_the_ratification_mail_of_the_slip(
    world: World, django_capture_on_commit_callbacks
):
    case = f.accepted_case(world, TODAY)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = services.approve(world.reviewer, case, version=case.version, today=TODAY)
    texts = [m.body for m in mail.outbox]
    assert any("20个工作日内核准" in t and "核准后，申请人可自行在线打印" in t for t in texts)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        f.ratify(case, today=TODAY)
    assert any("已签发" in m.body for m in mail.outbox)


def test_ratifier_returns_to_the_district_only_with_a_reason(world: World):
    case = approved(world)
    ratifier = f.make_ratifier()
    with pytest.raises(services.TransitionNotAllowed):
        services.return_to_district(ratifier, case, version=case.version, today=TODAY, reason=" ")
    case = services.return_to_district(
        ratifier, case, version=case.version, today=TODAY, reason="学历认证材料与学信网记录不一致"
    )
    assert case.state == State.ACCEPTED and case.ratify_due_on is None
    event = case.events.get(action=Action.RETURN_TO_DISTRICT)
    assert event.reason == "学历认证材料与学信网记录不一致"
    assert not Permit.objects.filter(holder=world.applicant).exists()


def test_bulk_ratify_needs_a_confirmation_step_then_issues_each_permit(world: World):
    first = approved(world)
    client = ratifier_client()
    queue = client.get(reverse("cases:ratify_queue")).content.decode()
    assert first.reference in queue and "2025-12-18" in queue
    url = reverse("cases:ratify_bulk")
    confirm = client.post(url, {"cases": [str(first.public_id)]})
    assert confirm.status_code == 200 and "确认核准" in confirm.content.decode()
    first.refresh_from_db()
    assert first.state == State.AWAITING_RATIFICATION
    done = client.post(url, {"cases": [str(first.public_id)], "confirmed": "1"})
    assert done.status_code == 302
    first.refresh_from_db()
    assert first.state == State.APPROVED
    assert Permit.objects.filter(holder=world.applicant).exists()


def test_bulk_ratify_refuses_anyone_but_a_ratifier_in_the_service(world: World):
    case = approved(world)
    for user in (world.reviewer, world.supervisor, world.operator, world.applicant_user):
        with pytest.raises(services.TransitionNotAllowed):
            services.bulk_ratify(user, [case], today=TODAY)
    case.refresh_from_db()
    assert case.state == State.AWAITING_RATIFICATION


def test_ratify_detail_return_form_keeps_the_page_on_a_missing_reason(world: World):
    case = approved(world)
    client = ratifier_client()
    url = reverse("cases:ratify_detail", args=[case.public_id])
    response = client.post(url, {"version": case.version, "reason": ""})
    assert response.status_code == 400
    response = client.post(url, {"version": case.version, "reason": "请核对社保缴纳记录"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.ACCEPTED


def test_a_case_not_waiting_for_ratification_is_404_to_the_ratifier(world: World):
    case = f.accepted_case(world, TODAY)
    client = ratifier_client()
    assert client.get(reverse("cases:ratify_detail", args=[case.public_id])).status_code == 404
    client.post(reverse("cases:ratify_bulk"), {"cases": [str(case.public_id)], "confirmed": "1"})
    case.refresh_from_db()
    assert case.state == State.ACCEPTED


@pytest.mark.parametrize("who", ["anonymous", "applicant", "operator", "reviewer", "supervisor", "no_totp"])
def test_every_ratification_route_refuses_the_wrong_user(world: World, who: str):
    case = approved(world)
    client = Client()
    if who == "applicant":
        client.force_login(world.applicant_user)
    elif who == "operator":
        client.force_login(world.operator)
    elif who == "reviewer":
        login_staff(client, world.reviewer)
    elif who == "supervisor":
        login_staff(client, world.supervisor)
    elif who == "no_totp":
        client.force_login(f.make_ratifier())  # password only, second factor not passed
    routes = [
        ("get", reverse("cases:ratify_queue"), {}),
        ("get", reverse("cases:ratify_detail", args=[case.public_id]), {}),
        (
            "post",
            reverse("cases:ratify_detail", args=[case.public_id]),
            {"version": case.version, "reason": "x"},
        ),
        ("post", reverse("cases:ratify_bulk"), {"cases": [str(case.public_id)], "confirmed": "1"}),
    ]
    for method, url, data in routes:
        response = getattr(client, method)(url, data)
        if who in ("anonymous", "no_totp"):
            assert response.status_code == 302, url
            target = "/accounts/otp/" if who == "no_totp" else "login"
            assert target in response["Location"], url
        else:
            assert response.status_code == 404, url
        assert case.reference not in response.content.decode()
    case.refresh_from_db()
    assert case.state == State.AWAITING_RATIFICATION


def test_ratifier_sees_the_ratification_panel_and_not_the_district_workbench(world: World):
    client = ratifier_client()
    assert client.get(reverse("cases:queue")).status_code == 404
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("cases:ratify_queue") in home
