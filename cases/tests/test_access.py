"""Every transition for the allowed actor and refused for everyone else; every page 404 for the wrong user."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from accounts.testing import login_staff
from cases import services
from cases.models import Case, State
from cases.tests import factories as f
from cases.tests.factories import World
from cases.workflow import TRANSITIONS, Action

TODAY = date(2025, 11, 20)


def draft(world: World) -> Case:
    case = services.start_new_case(world.applicant_user, today=TODAY)
    return f.fill_new_case(case, world.applicant_user, TODAY)


def with_employer(world: World) -> Case:
    case = draft(world)
    case = services.submit(world.applicant_user, case, version=case.version, today=TODAY)
    return f.employer_complete(case, world.operator, TODAY)


def submitted(world: World) -> Case:
    case = with_employer(world)
    return services.employer_submit(world.operator, case, version=case.version, today=TODAY)


def accepted(world: World) -> Case:
    case = submitted(world)
    case = services.accept(world.reviewer, case, version=case.version, today=TODAY)
    f.confirm_materials(case, world.reviewer)
    return case


def district_approved(world: World) -> Case:
    case = accepted(world)
    return services.approve(world.reviewer, case, version=case.version, today=TODAY)


CASES: dict[str, tuple[Callable[[World], Case], str]] = {
    Action.SUBMIT: (draft, "applicant"),
    Action.WITHDRAW: (draft, "applicant"),
    Action.EMPLOYER_SUBMIT: (with_employer, "operator"),
    Action.EMPLOYER_RETURN: (with_employer, "operator"),
    Action.ACCEPT: (submitted, "reviewer"),
    Action.APPROVE: (accepted, "reviewer"),
    Action.REJECT: (accepted, "reviewer"),
    Action.RETURN_TO_EMPLOYER: (accepted, "reviewer"),
    Action.RETURN_TO_APPLICANT: (accepted, "reviewer"),
    Action.RATIFY: (district_approved, "ratifier"),
    Action.RETURN_TO_DISTRICT: (district_approved, "ratifier"),
}
ACTORS = {
    "applicant": lambda w: w.applicant_user,
    "operator": lambda w: w.operator,
    "reviewer": lambda w: w.reviewer,
    "ratifier": lambda w: f.make_ratifier(),
    "other_applicant": lambda w: w.other_applicant.user,
    "other_operator": lambda w: w.other_operator,
    "anonymous": lambda w: AnonymousUser(),
}
TEXT: dict[str, Any] = {"reason": "理由", "opinion": "审核意见", "tips": ""}


def test_every_action_of_the_table_is_covered_here():
    assert {action for (_k, _s, action) in TRANSITIONS} == set(CASES)


@pytest.mark.parametrize("action", list(CASES))
def test_biz_flow_allowed_actor_may(world, action):
    setup, allowed = CASES[action]
    case = setup(world)
    to_state = TRANSITIONS[(case.kind, case.state, action)].to_state
    done = services.transition(
        ACTORS[allowed](world), case, action, version=case.version, today=TODAY, **TEXT
    )
    assert done.state == to_state


@pytest.mark.parametrize(
    ("action", "actor"),
    [(action, actor) for action, (_s, allowed) in CASES.items() for actor in ACTORS if actor != allowed],
)
def test_biz_flow_everyone_else_is_refused(world, action, actor):
    setup, _allowed = CASES[action]
    case = setup(world)
    before = case.state
    with pytest.raises(services.TransitionNotAllowed):
        services.transition(ACTORS[actor](world), case, action, version=case.version, today=TODAY, **TEXT)
    case.refresh_from_db()
    assert case.state == before


def test_the_employer_may_not_withdraw_a_new_case_started_by_the_applicant(world):
    case = draft(world)
    with pytest.raises(services.TransitionNotAllowed, match="无权"):
        services.withdraw(world.operator, case, version=case.version, today=TODAY)


PARTICIPANT_PAGES = ["detail", "facts", "income", "materials", "employer_check", "answers", "confirmation"]
STAFF_PAGES = ["review_detail"]


def client_for(world: World, who: str) -> Client:
    client = Client()
    if who == "anonymous":
        return client
    user = ACTORS[who](world)
    if who == "reviewer":
        login_staff(client, user)
    else:
        client.force_login(user)
    return client


@pytest.mark.parametrize("page", PARTICIPANT_PAGES)
@pytest.mark.parametrize("who", ["other_applicant", "other_operator", "reviewer"])
def test_participant_pages_are_404_for_the_wrong_user(world, page, who):
    case = submitted(world)
    response = client_for(world, who).get(reverse(f"cases:{page}", args=[case.public_id]))
    assert response.status_code == 404
    assert case.reference.encode() not in response.content


@pytest.mark.parametrize("page", PARTICIPANT_PAGES)
def test_participant_pages_send_anonymous_users_to_login(world, page):
    case = submitted(world)
    response = Client().get(reverse(f"cases:{page}", args=[case.public_id]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["applicant", "operator"])
def test_participant_pages_work_for_the_case_participants(world, who):
    case = submitted(world)
    client = client_for(world, who)
    for page in ["detail", "facts", "income", "materials", "confirmation"]:
        response = client.get(reverse(f"cases:{page}", args=[case.public_id]))
        assert response.status_code == 200, page
        assert case.reference.encode() in response.content or page != "detail"


@pytest.mark.parametrize("who", ["applicant", "operator", "other_operator"])
def test_reviewer_pages_are_404_for_non_staff(world, who):
    case = submitted(world)
    client = client_for(world, who)
    for name in ["cases:review_detail", "cases:accept", "cases:decide", "cases:override", "cases:assign"]:
        url = reverse(name, args=[case.public_id])
        response = client.post(url) if name != "cases:review_detail" else client.get(url)
        assert response.status_code == 404, name
    assert client.get(reverse("cases:queue")).status_code == 404
    case.refresh_from_db()
    assert case.state == State.SUBMITTED


def test_reviewer_pages_need_the_second_factor(world):
    case = submitted(world)
    client = Client()
    client.force_login(world.reviewer)
    response = client.get(reverse("cases:review_detail", args=[case.public_id]))
    assert response.status_code == 302 and "/accounts/otp/" in response["Location"]


def test_staff_view_of_a_case_is_logged_and_shown_in_its_history(world):
    case = submitted(world)
    client = client_for(world, "reviewer")
    client.get(reverse("cases:review_detail", args=[case.public_id]))
    response = client.get(reverse("cases:review_detail", args=[case.public_id]))
    assert response.status_code == 200
    reads = list(services_reads(case))
    assert len(reads) == 2 and reads[0].user == world.reviewer
    assert "个人信息查阅记录".encode() in response.content
    assert str(world.reviewer).encode() in response.content


def services_reads(case: Case):
    from cases.selectors import personal_data_reads

    return personal_data_reads(case)


def test_case_documents_are_readable_by_the_employer_of_the_case_only(world):
    case = submitted(world)
    link = case.documents.filter(uploader="applicant").first()
    assert link is not None
    url = reverse("materials:download", args=[link.document.public_id])
    assert client_for(world, "operator").get(url).status_code == 200
    assert client_for(world, "other_operator").get(url).status_code == 404
    assert client_for(world, "other_applicant").get(url).status_code == 404


@pytest.mark.parametrize("who", ["other_applicant", "other_operator", "reviewer"])
def test_withdraw_and_return_pages_are_404_for_the_wrong_user(world, who):
    case = with_employer(world)
    client = client_for(world, who)
    for action in (Action.WITHDRAW, Action.EMPLOYER_RETURN):
        url = reverse("cases:act", args=[case.public_id, action])
        assert client.get(url).status_code == 404
        assert client.post(url, {"version": case.version, "reason": "x"}).status_code == 404
    case.refresh_from_db()
    assert case.state == State.WITH_EMPLOYER
