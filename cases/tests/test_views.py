"""Pages: task list, facts, income, materials, check your answers, confirmation, reviewer workbench."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.testing import login_staff
from cases import services
from cases.models import Case, OpinionTemplate, State, TipTemplate
from cases.tests import factories as f
from cases.tests.factories import World

TODAY = date(2025, 11, 20)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel("2025-11-20 10:00 +0800", tick=True):
        yield


def logged_in(user) -> Client:
    """A client signed in as `user`; staff and the ratifier also pass the second factor."""
    client = Client()
    if user.needs_second_factor:
        login_staff(client, user)
    else:
        client.force_login(user)
    return client


def test_applicant_starts_a_case_and_sees_the_task_list(world: World):
    client = logged_in(world.applicant_user)
    response = client.post(reverse("cases:start_new"))
    case = Case.objects.get(applicant=world.applicant)
    assert response["Location"] == reverse("cases:detail", args=[case.public_id])
    page = client.get(response["Location"]).content.decode()
    assert case.reference in page
    assert "办理事项" in page and "待完成" in page
    assert "请选择申报条款" in page  # the problem links to where to fix it
    assert reverse("cases:facts", args=[case.public_id]) + "#id_claimed_clause" in page


def test_facts_form_saves_and_a_stale_form_is_refused_at_the_field_summary(world: World):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    client = logged_in(world.applicant_user)
    url = reverse("cases:facts", args=[case.public_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"version": case.version, "claimed_clause": "1", "employed_since": "2023-03-01"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.claimed_clause == 1
    stale = client.post(url, {"version": case.version - 1, "claimed_clause": "2"})
    assert stale.status_code == 200
    assert "旧版本" in stale.content.decode()
    case.refresh_from_db()
    assert case.claimed_clause == 1


def test_facts_form_errors_are_shown_at_the_field(world: World):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    response = logged_in(world.applicant_user).post(
        reverse("cases:facts", args=[case.public_id]), {"version": case.version, "claimed_clause": "3"}
    )
    page = response.content.decode()
    assert 'href="#id_award_level"' in page and "以条款3申报的" in page


def test_income_page_prefills_recent_months_and_saves(world: World):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    client = logged_in(world.applicant_user)
    url = reverse("cases:income", args=[case.public_id])
    page = client.get(url).content.decode()
    assert 'value="2025-05"' in page and 'value="2025-10"' in page
    data: dict[str, object] = {
        "version": case.version,
        "m-TOTAL_FORMS": 2,
        "m-INITIAL_FORMS": 0,
        "a-TOTAL_FORMS": 0,
        "a-INITIAL_FORMS": 0,
    }
    data.update(
        {"m-0-month": "2025-09", "m-0-amount": "20000", "m-1-month": "2025-10", "m-1-amount": "21000"}
    )
    assert client.post(url, data).status_code == 302
    assert list(case.income_records.values_list("amount", flat=True)) == [20000, 21000]


def test_materials_page_lists_the_checklist_and_uploads(world: World):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    client = logged_in(world.applicant_user)
    url = reverse("cases:materials", args=[case.public_id])
    page = client.get(url).content.decode()
    assert "申请人诚信声明" in page and "m-APPLICANT-INTEGRITY-None" in page
    response = client.post(
        url, {"material": "APPLICANT-INTEGRITY", "uploader": "applicant", "child": "", "file": f.pdf()}
    )
    assert response.status_code == 302
    assert case.documents.filter(material="APPLICANT-INTEGRITY").exists()
    bad = client.post(
        url,
        {
            "material": "LEASE",
            "uploader": "applicant",
            "child": "",
            "file": f.SimpleUploadedFile("x.pdf", b"not a pdf"),
        },
        follow=True,
    )
    assert "PDF" in bad.content.decode()
    # The employer's materials are not the applicant's to upload.
    client.post(url, {"material": "EMPLOYER-TAX", "uploader": "employer", "child": "", "file": f.pdf()})
    assert not case.documents.filter(material="EMPLOYER-TAX").exists()


def test_check_your_answers_lists_every_problem_then_submits_to_the_confirmation(world: World):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    client = logged_in(world.applicant_user)
    url = reverse("cases:answers", args=[case.public_id])
    page = client.get(url).content.decode()
    assert "还有" in page and "材料未上传" in page and "请选择申报条款" in page
    response = client.post(url, {"version": case.version})
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    case = f.fill_new_case(case, world.applicant_user, TODAY)
    response = client.post(url, {"version": case.version})
    assert response["Location"] == reverse("cases:confirmation", args=[case.public_id])
    confirmation = client.get(response["Location"]).content.decode()
    assert case.reference in confirmation and "申请单位将对您的全部信息及材料进行核查" in confirmation


def test_employer_checks_and_submits_to_the_authority_through_the_pages(world: World):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    case = f.fill_new_case(case, world.applicant_user, TODAY)
    case = services.submit(world.applicant_user, case, version=case.version, today=TODAY)
    f.upload_all(case, world.operator, TODAY, "employer")
    case.refresh_from_db()
    client = logged_in(world.operator)
    check = reverse("cases:employer_check", args=[case.public_id])
    page = client.get(check).content.decode()
    assert world.applicant.name in page and world.applicant.id_number not in page  # masked
    partial = client.post(check, {"version": case.version, "contract": "on", "checked": ["profile"]})
    assert partial.status_code == 200 and "全部勾选" in partial.content.decode()
    data = {
        "version": case.version,
        "contract": "on",
        "tax_withholding": "on",
        "social_insurance": "on",
        "social_insurance_continuous": "on",
        "checked": ["profile", "facts", "income", "materials"],
    }
    assert client.post(check, data).status_code == 302
    case.refresh_from_db()
    response = client.post(reverse("cases:answers", args=[case.public_id]), {"version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.SUBMITTED
    page = client.get(reverse("cases:confirmation", args=[case.public_id])).content.decode()
    # BIZ-TIME-LIMIT (六 办理时限): the applicant is told of 核准 within P-RATIFY-WORKING-DAYS after the
    # district's approval and the slip after it; the district's own review target is not promised.
    assert "自审核通过之日起20个工作日内核准" in page and "核准后，申请人可自行在线打印" in page
    assert "2025-12-18" not in page


def test_refused_transition_is_a_message_not_a_500(world: World):
    case = f.new_case_with_authority(world, TODAY)
    response = logged_in(world.applicant_user).post(
        reverse("cases:act", args=[case.public_id, "withdraw"]),
        {"version": case.version - 1, "reason": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert "旧版本" in response.content.decode()
    case.refresh_from_db()
    assert case.state == State.SUBMITTED


def test_employer_return_needs_a_reason_on_the_page(world: World):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    case = f.fill_new_case(case, world.applicant_user, TODAY)
    case = services.submit(world.applicant_user, case, version=case.version, today=TODAY)
    client = logged_in(world.operator)
    url = reverse("cases:act", args=[case.public_id, "employer_return"])
    assert client.post(url, {"version": case.version, "reason": ""}).status_code == 200
    client.post(url, {"version": case.version, "reason": "请补充户口本本人页"})
    case.refresh_from_db()
    assert case.state == State.RETURNED_TO_APPLICANT


def test_reviewer_accepts_sees_checks_beside_facts_and_returns_with_template_opinion_and_tip(world: World):
    case = f.new_case_with_authority(world, TODAY)
    opinion = OpinionTemplate.objects.create(
        title="租房合同", text="租房合同须有出租人签字。", updated_by=world.supervisor
    )
    tip = TipTemplate.objects.create(title="收入", text="收入材料须逐页盖章。", updated_by=world.supervisor)
    client = logged_in(world.reviewer)
    url = reverse("cases:review_detail", args=[case.public_id])
    client.post(reverse("cases:accept", args=[case.public_id]), {"version": case.version})
    case.refresh_from_db()
    assert case.state == State.ACCEPTED
    page = client.get(url).content.decode()
    assert "APP-INCOME-RECENT" in page and "threshold_total" in page and "105846" in page
    client.post(
        reverse("cases:decide", args=[case.public_id]),
        {
            "version": case.version,
            "decision": "return_to_applicant",
            "opinion_template": opinion.pk,
            "opinion": "另请补充出租人身份证。",
            "tip_template": tip.pk,
        },
    )
    case.refresh_from_db()
    assert case.state == State.RETURNED_TO_APPLICANT
    event = case.events.get(action="return_to_applicant")
    assert event.opinion == "租房合同须有出租人签字。\n另请补充出租人身份证。"
    assert event.tips == "收入材料须逐页盖章。"
    applicant_page = (
        logged_in(world.applicant_user).get(reverse("cases:detail", args=[case.public_id])).content.decode()
    )
    assert "审核意见" in applicant_page and "温馨提示（仅供参考，不作为审核意见）" in applicant_page
    assert "收入材料须逐页盖章。" in applicant_page
    employer_page = (
        logged_in(world.operator).get(reverse("cases:detail", args=[case.public_id])).content.decode()
    )
    assert "另请补充出租人身份证。" in employer_page


def test_return_without_opinion_is_refused_on_the_page(world: World):
    case = f.accepted_case(world, TODAY)
    client = logged_in(world.reviewer)
    response = client.post(
        reverse("cases:decide", args=[case.public_id]),
        {"version": case.version, "decision": "reject", "opinion": ""},
        follow=True,
    )
    assert "必须填写审核意见" in response.content.decode()
    case.refresh_from_db()
    assert case.state == State.ACCEPTED


def make_queue(count: int) -> list[Case]:
    world = f.make_world()
    cases: list[Case] = []
    for index in range(count):
        case = f.new_case_with_authority(world, TODAY) if index == 0 else clone(cases[0], index)
        cases.append(case)
    return cases


def clone(case: Case, index: int) -> Case:
    """Copies of a submitted case with other due dates and clauses (the queue only reads the row)."""
    copy = Case.objects.get(pk=case.pk)
    copy.pk = None
    copy.public_id = __import__("uuid").uuid4()
    copy.reference = f"HD2025{900000 + index}"
    copy.due_on = date(2025, 11, 1 + index)
    copy.claimed_clause = 1 + index % 8
    copy.kind = "new" if index % 2 else "renewal"
    copy.save()
    return copy


def test_reviewer_queue_overdue_first_filters_and_keyset_pages_with_a_fixed_number_of_queries(world: World):
    cases = make_queue(30)
    client = logged_in(world.reviewer)
    url = reverse("cases:queue")
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        page = client.get(url).content.decode()
    refs = [c.reference for c in sorted(cases, key=lambda c: (c.due_on, c.pk))]
    assert page.index(refs[0]) < page.index(refs[1])
    assert "已超期" in page  # 2025-11-01 is overdue on 2025-11-20
    assert refs[25] not in page and "after=" in page
    cursor = page.split("after=")[1].split('"')[0]
    with CaptureQueriesContext(connection) as second:
        next_page = client.get(f"{url}?after={cursor}").content.decode()
    assert refs[25] in next_page and refs[0] not in next_page
    assert len(first.captured_queries) == len(second.captured_queries)
    assert not any("OFFSET" in q["sql"].upper() for q in second.captured_queries)
    filtered = client.get(url, {"kind": "renewal", "clause": "3"}).content.decode()
    expected = [c.reference for c in cases if c.kind == "renewal" and c.claimed_clause == 3]
    assert expected and all(ref in filtered for ref in expected)
    assert all(c.reference not in filtered for c in cases if c.reference not in expected)
    overdue = client.get(url, {"overdue": "on"}).content.decode()
    assert cases[0].reference not in overdue  # due 2025-12-18, not overdue
    soon = client.get(url, {"days_left": "0"}).content.decode()
    assert cases[0].reference not in soon and cases[1].reference in soon


def test_bulk_accept_requires_a_reason_and_a_confirmation_step(world: World):
    cases = [f.new_case_with_authority(world, TODAY), f.new_case_with_authority(f.make_world(), TODAY)]
    client = logged_in(world.reviewer)
    ids = [str(c.public_id) for c in cases]
    no_reason = client.post(reverse("cases:bulk"), {"cases": ids, "action": "accept", "reason": ""})
    assert no_reason.status_code == 200 and "error-summary" in no_reason.content.decode()
    confirm = client.post(reverse("cases:bulk"), {"cases": ids, "action": "accept", "reason": "材料齐全"})
    assert "确认执行" in confirm.content.decode()
    assert all(Case.objects.get(pk=c.pk).state == State.SUBMITTED for c in cases)
    client.post(
        reverse("cases:bulk"), {"cases": ids, "action": "accept", "reason": "材料齐全", "confirmed": "1"}
    )
    assert all(Case.objects.get(pk=c.pk).state == State.ACCEPTED for c in cases)


def test_supervisor_maintains_templates_reviewers_cannot(world: World):
    reviewer = logged_in(world.reviewer)
    assert reviewer.get(reverse("cases:templates")).status_code == 404
    supervisor = logged_in(world.supervisor)
    assert supervisor.get(reverse("cases:templates")).status_code == 200
    supervisor.post(
        reverse("cases:template_new", args=["tip"]), {"title": "盖章", "text": "逐页盖章。", "active": "on"}
    )
    tip = TipTemplate.objects.get()
    supervisor.post(
        reverse("cases:template_edit", args=["tip", tip.pk]), {"title": "盖章", "text": "每页盖章。"}
    )
    tip.refresh_from_db()
    assert tip.text == "每页盖章。" and tip.active is False


def test_operator_starts_a_renewal_from_the_page(world: World):
    from permits.models import Permit
    from permits.services import next_number

    Permit.objects.create(
        number=next_number(2023),
        holder=world.applicant,
        employer=world.employer,
        issued_on=date(2023, 1, 10),
        expires_on=date(2026, 1, 10),
    )
    client = logged_in(world.operator)
    url = reverse("cases:start_employer")
    assert world.applicant.name in client.get(url).content.decode()
    response = client.post(url, {"applicant": str(world.applicant.public_id), "kind": "renewal"})
    case = Case.objects.get(kind="renewal")
    assert response["Location"] == reverse("cases:detail", args=[case.public_id])
    assert case.permit_expires_on == date(2026, 1, 10)


def test_home_panel_lists_what_waits(world: World):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    page = logged_in(world.applicant_user).get("/").content.decode()
    assert case.reference in page and "待您处理" in page


def test_case_pages_in_english(world: World):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    client = logged_in(world.applicant_user)
    client.cookies["django_language"] = "en"
    page = client.get(
        reverse("cases:detail", args=[case.public_id]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Tasks" in page and "Choose the clause you apply under." in page
    materials = client.get(reverse("cases:materials", args=[case.public_id]), HTTP_ACCEPT_LANGUAGE="en")
    from django.utils.html import escape

    from policy.materials_catalogue import CATALOGUE

    assert escape(CATALOGUE["APPLICANT-INTEGRITY"].en) in materials.content.decode()
