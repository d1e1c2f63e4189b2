"""Income printouts read into the case (issue 13): the uploader sees the table beside the page,
corrects and accepts it into the monthly income (APP-INCOME-INTEGRITY); the reviewer sees the
findings with their boxes (APP-SAME-EMPLOYER, DOC-STAMPED hints); every wrong user gets 404."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.testing import login_staff
from cases import services
from cases.models import Case
from cases.tests import factories as f
from cases.tests.factories import World
from materials.extraction import run_document_extraction
from materials.models import Document, Extraction
from materials.ocr import corpus
from materials.ocr.crosscheck import yuan

TODAY = date(2025, 11, 20)
pytestmark = pytest.mark.ocr


def _case_with_scan(world: World) -> tuple[Case, Document, corpus.Sample]:
    """A draft with six months entered, and a text-layer income record of the same months uploaded;
    the months and the agent match the employer, one amount entered differs from the record."""
    case = services.start_new_case(world.applicant_user, today=TODAY)
    case = f.fill_new_case(case, world.applicant_user, TODAY)
    sample = corpus.sample(
        11, months=6, last=date(2025, 10, 1), text_layer=True, agent=world.employer.registry.name
    )
    entered = [
        (date.fromisoformat(t["month"] + "-01"), yuan(t["amount"]) or 0, False) for t in sample.expected_rows
    ]
    entered[2] = (entered[2][0], entered[2][1] + 100, False)  # one typo
    case = services.save_income(world.applicant_user, case, version=case.version, monthly=entered)
    link = services.attach_document(
        world.applicant_user,
        case,
        material="INCOME-RECORDS",
        child=None,
        uploaded_file=SimpleUploadedFile("income.pdf", sample.pdf, content_type="application/pdf"),
        today=TODAY,
    )
    assert run_document_extraction(str(link.document.public_id)) == "done"
    case.refresh_from_db()
    return case, link.document, sample


def _url(case: Case, document: Document) -> str:
    return reverse("cases:income_scan", args=[case.public_id, document.public_id])


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post_all(sample: corpus.Sample, case: Case, **changes: str) -> dict[str, str]:
    data = {"version": str(case.version)}
    for i, truth in enumerate(sample.expected_rows):
        data[f"r{i}-include"] = "on"
        data[f"r{i}-month"] = truth["month"]
        data[f"r{i}-amount"] = changes.get(f"r{i}-amount", truth["amount"])
    return data


def test_the_applicant_sees_the_table_beside_the_page_with_the_differing_amount_flagged(world):
    case, document, sample = _case_with_scan(world)
    response = _client(world.applicant_user).get(_url(case, document))
    assert response.status_code == 200
    body = response.content.decode()
    for truth in sample.expected_rows:
        assert f'value="{truth["month"]}"' in body and f'value="{truth["amount"]}"' in body
    assert body.count('data-flag="AMOUNT-DIFFERS"') == 1
    assert reverse("materials:preview", args=[document.public_id, 1]) in body
    assert 'class="scan-box" id="box-' in body
    assert "style=" not in body and "<script>" not in body
    income_page = _client(world.applicant_user).get(reverse("cases:income", args=[case.public_id]))
    assert _url(case, document).encode() in income_page.content


def test_accepting_writes_the_monthly_income_with_history_and_the_corrections(world):
    case, document, sample = _case_with_scan(world)
    client = _client(world.applicant_user)
    corrected = "12,345.50"
    response = client.post(_url(case, document), _post_all(sample, case, **{"r0-amount": corrected}))
    assert response.status_code == 302
    case.refresh_from_db()
    amounts = [r.amount for r in case.income_records.order_by("month")]
    assert amounts[0] == 12345  # jiao and fen dropped, as the income import does
    assert amounts[1:] == [yuan(t["amount"]) for t in sample.expected_rows[1:]]
    assert case.events.filter(action="income_from_scan").count() == 1
    extraction = Extraction.objects.get(document=document)
    assert extraction.accepted_by == world.applicant_user and extraction.accepted_case == case.public_id
    assert extraction.corrections == [
        {"row": 0, "field": "amount", "from": sample.expected_rows[0]["amount"], "to": "12345.50"}
    ]


def test_a_bad_amount_is_refused_at_its_cell_and_nothing_is_saved(world):
    case, document, sample = _case_with_scan(world)
    before = list(case.income_records.values_list("month", "amount"))
    response = _client(world.applicant_user).post(
        _url(case, document), _post_all(sample, case, **{"r1-amount": "12x"})
    )
    assert response.status_code == 200
    assert "请填写有效的金额" in response.content.decode()
    assert 'value="12x"' in response.content.decode()
    assert list(case.income_records.values_list("month", "amount")) == before


@pytest.mark.parametrize("who", ["other_applicant", "other_operator", "reviewer_without_totp"])
def test_the_scan_page_and_its_previews_are_404_for_the_wrong_user(world, who):
    case, document, sample = _case_with_scan(world)
    user = {
        "other_applicant": world.other_applicant.user,
        "other_operator": world.other_operator,
        "reviewer_without_totp": world.reviewer,
    }[who]
    client = _client(user)
    before = list(case.income_records.values_list("month", "amount"))
    page = client.get(_url(case, document))
    assert page.status_code in (302, 404)
    assert sample.expected_rows[0]["amount"].encode() not in page.content
    assert client.post(_url(case, document), _post_all(sample, case)).status_code in (302, 404)
    assert list(case.income_records.values_list("month", "amount")) == before
    assert not Extraction.objects.get(document=document).accepted_at
    preview = client.get(reverse("materials:preview", args=[document.public_id, 1]))
    assert preview.status_code != 200


def test_anonymous_users_are_sent_to_login(world):
    case, document, _sample = _case_with_scan(world)
    for url in (_url(case, document), reverse("materials:preview", args=[document.public_id, 1])):
        response = Client().get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_employer_cannot_accept_into_an_applicant_started_draft(world):
    case, document, sample = _case_with_scan(world)
    before = list(case.income_records.values_list("month", "amount"))
    response = _client(world.operator).post(_url(case, document), _post_all(sample, case))
    assert response.status_code in (302, 404)
    assert list(case.income_records.values_list("month", "amount")) == before
    with pytest.raises(services.TransitionNotAllowed):
        services.accept_extracted_income(
            world.operator,
            case,
            version=case.version,
            document_id=document.public_id,
            rows=[],
            corrections=[],
        )


def test_another_document_cannot_be_accepted_through_the_case(world):
    case, _document, _sample = _case_with_scan(world)
    other_case, other_document, _ = _case_with_scan_for_other(world)
    with pytest.raises(services.CaseError):
        services.accept_extracted_income(
            world.applicant_user,
            case,
            version=case.version,
            document_id=other_document.public_id,
            rows=[],
            corrections=[],
        )
    assert _client(world.applicant_user).get(_url(case, other_document)).status_code == 404
    assert other_case.pk != case.pk


def _case_with_scan_for_other(world: World) -> tuple[Case, Document, corpus.Sample]:
    other = World(**{**world.__dict__, "applicant": world.other_applicant})
    other.employer = world.other_employer
    other.operator = world.other_operator
    return _case_with_scan(other)


def test_the_reviewer_sees_the_table_and_the_findings_with_their_boxes(world):
    case, document, sample = _case_with_scan(world)
    case = services.submit(world.applicant_user, case, version=case.version, today=TODAY)
    case = f.employer_complete(case, world.operator, TODAY)
    case = services.employer_submit(world.operator, case, version=case.version, today=TODAY)
    client = Client()
    login_staff(client, world.reviewer)
    response = client.get(reverse("cases:review_detail", args=[case.public_id]))
    body = response.content.decode()
    assert response.status_code == 200
    assert f'data-income-scan="{document.public_id}"' in body
    assert 'data-finding="AMOUNT-DIFFERS"' in body
    assert 'class="scan-mark" id="mark-' in body  # the finding's box drawn on the page
    assert sample.expected_rows[2]["amount"] in body
    assert reverse("materials:preview", args=[document.public_id, 1]) in body
    preview = client.get(reverse("materials:preview", args=[document.public_id, 1]))
    assert preview.status_code == 200 and preview["Content-Type"] == "image/jpeg"
    assert b"".join(preview.streaming_content)[:3] == b"\xff\xd8\xff"  # type: ignore[attr-defined]
