"""Pages a role cannot change at the case's current state are read-only for it, and the services refuse
the change too (issue 10, item 4; BIZ-FLOW, DOC-CHECKLIST `uploader`)."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cases import services
from cases.models import Kind
from cases.tests import factories as f
from cases.tests.factories import World
from cases.tests.test_renewal_and_changes import give_permit

TODAY = date(2025, 11, 20)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel("2025-11-20 10:00 +0800", tick=True):
        yield


def renewal_uploaded(world: World):
    """The employer started a renewal and entered the income; the holder uploaded their materials."""
    give_permit(world, date(2026, 1, 10))
    case = services.start_employer_case(
        world.operator, applicant=world.applicant, kind=Kind.RENEWAL, today=TODAY
    )
    case = services.save_income(
        world.operator,
        case,
        version=case.version,
        monthly=[(m, 20_000, False) for m in f.recent_months(TODAY, 36)],
    )
    f.upload_all(case, world.applicant_user, TODAY, "applicant")
    case.refresh_from_db()
    return case


def editable_inputs(page: str) -> list[str]:
    """Inputs a person could type into (hidden inputs and the language switcher's form excluded)."""
    main = page.split("<main", 1)[-1].split("</main>", 1)[0]
    inputs = re.findall(r"<(?:input|textarea|select)\b[^>]*>", main)
    return [i for i in inputs if 'type="hidden"' not in i]


def test_the_holder_sees_the_renewal_s_facts_and_income_read_only_with_wait_for_the_employer(world):
    case = renewal_uploaded(world)
    client = Client()
    client.force_login(world.applicant_user)
    income = client.get(reverse("cases:income", args=[case.public_id])).content.decode()
    assert 'data-read-only="income"' in income and "等待单位提交" in income
    assert editable_inputs(income) == [] and "保存" not in income.split("<main", 1)[-1]
    assert income.count("<tr>") >= 36  # the months entered by the employer, read-only
    facts = client.get(reverse("cases:facts", args=[case.public_id])).content.decode()
    assert 'data-read-only="facts"' in facts and editable_inputs(facts) == []
    assert case.permit_number in facts
    materials = client.get(reverse("cases:materials", args=[case.public_id])).content.decode()
    assert "等待单位提交" in materials


def test_the_services_refuse_the_holder_s_changes_to_the_employer_s_renewal(world):
    case = renewal_uploaded(world)
    with pytest.raises(services.TransitionNotAllowed):
        services.save_income(
            world.applicant_user, case, version=case.version, monthly=[(date(2025, 10, 1), 1, False)]
        )
    with pytest.raises(services.TransitionNotAllowed):
        services.save_case_facts(
            world.applicant_user, case, version=case.version, data={"employed_since": date(2020, 1, 1)}
        )
    with pytest.raises(services.TransitionNotAllowed):
        services.save_employer_check(
            world.applicant_user,
            case,
            version=case.version,
            contract=True,
            tax_withholding=True,
            social_insurance=True,
            social_insurance_continuous=True,
            checked=services.EMPLOYER_CHECK_SECTIONS,
        )
    case.refresh_from_db()
    assert case.income_records.count() == 36 and case.employer_checked == []


def test_after_submission_the_operator_s_check_is_read_only_and_refused(world):
    case = f.new_case_with_authority(world, TODAY)
    client = Client()
    client.force_login(world.operator)
    url = reverse("cases:employer_check", args=[case.public_id])
    page = client.get(url).content.decode()
    assert 'data-read-only="employer-check"' in page and editable_inputs(page) == []
    response = client.post(url, {"version": case.version, "contract": "on", "checked": ["facts"]})
    assert response.status_code == 302
    case.refresh_from_db()
    assert set(case.employer_checked) == set(services.EMPLOYER_CHECK_SECTIONS)
    with pytest.raises(services.TransitionNotAllowed):
        services.save_employer_check(
            world.operator,
            case,
            version=case.version,
            contract=False,
            tax_withholding=False,
            social_insurance=False,
            social_insurance_continuous=False,
            checked=[],
        )
    with pytest.raises(services.TransitionNotAllowed):
        services.save_case_facts(world.applicant_user, case, version=case.version, data={"claimed_clause": 2})
    item = services.checklist_items(case, TODAY)[0]
    with pytest.raises(services.TransitionNotAllowed):
        services.attach_document(
            world.applicant_user,
            case,
            material=item.id,
            child=item.child,
            uploaded_file=f.pdf("late.pdf"),
            today=TODAY,
        )
    income = client.get(reverse("cases:income", args=[case.public_id])).content.decode()
    assert editable_inputs(income) == []


def test_the_editable_pages_keep_their_forms(world):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    client = Client()
    client.force_login(world.applicant_user)
    page = client.get(reverse("cases:income", args=[case.public_id])).content.decode()
    assert editable_inputs(page) and "保存" in page and 'data-read-only="income"' not in page


def test_after_the_district_s_approval_document_verdicts_are_read_only_and_refused(world):
    from accounts.testing import login_staff
    from materials.models import DocumentVerdict

    case = f.accepted_case(world, TODAY)
    case = services.approve(world.reviewer, case, version=case.version, today=TODAY)
    document = next(iter(services.current_documents(case).values()))
    before = DocumentVerdict.objects.count()
    with pytest.raises(services.TransitionNotAllowed):
        services.record_document_verdict(world.reviewer, case, document, "problem", reason="看不清")
    client = Client()
    login_staff(client, world.reviewer)
    page = client.get(reverse("cases:review_detail", args=[case.public_id])).content.decode()
    assert "记录审核结论" not in page
    url = reverse("cases:document_verdict", args=[case.public_id, document.public_id])
    response = client.post(
        url, {f"{document.public_id}-verdict": "problem", f"{document.public_id}-reason": "x"}
    )
    assert response.status_code == 400
    assert DocumentVerdict.objects.count() == before
