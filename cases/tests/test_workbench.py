"""The reviewer's workbench (issue 10, item 7): documents with a failing check (DOC-FORMAT) or a
problem verdict first, then those without a verdict, accepted last; the document being viewed beside
the facts and checks; the decision panel on the page; only for district staff with TOTP."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cases import guards, selectors
from cases.models import Case
from cases.tests import factories as f
from cases.tests.factories import World
from cases.tests.test_views import logged_in
from materials.models import CheckStatus, Document
from materials.services import STAMPED_MATERIALS, record_verdict

TODAY = date(2025, 11, 20)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel("2025-11-20 10:00 +0800", tick=True):
        yield


@pytest.fixture
def case(world: World) -> Case:
    return f.accepted_case(world, TODAY, confirm=False)


def documents(case: Case) -> list[Document]:
    return [document for _m, _c, document in guards.current_slots(case)]


def arrange(world: World, case: Case) -> tuple[Document, Document, Document]:
    """One document accepted, one with a problem verdict, one whose automatic check failed."""
    accepted, problem, failing = documents(case)[:3]
    record_verdict(
        world.reviewer,
        accepted,
        "accepted",
        stamp_confirmed=True if accepted.material in STAMPED_MATERIALS else None,
        accept_failed_check=accepted.check_status == CheckStatus.FAILED,
        reason="已核对",
    )
    record_verdict(world.reviewer, problem, "problem", reason="缺少签字")
    Document.objects.filter(pk=failing.pk).update(check_status=CheckStatus.FAILED)
    return accepted, problem, failing


def test_documents_needing_attention_come_first(world: World, case: Case):
    accepted, problem, failing = arrange(world, case)
    rows = selectors.workbench_documents(selectors.review_documents(case))
    ranks = [row["attention"] for row in rows]
    assert ranks == sorted(ranks)
    by_id = {row["document"].pk: row["attention"] for row in rows}
    assert by_id[problem.pk] == 0 and by_id[failing.pk] == 0 and by_id[accepted.pk] == 2
    assert rows[-1]["document"].pk == accepted.pk
    assert {row["attention"] for row in rows} == {0, 1, 2}


def test_a_failed_check_accepted_with_a_reason_no_longer_needs_attention(world: World, case: Case):
    document = documents(case)[0]
    Document.objects.filter(pk=document.pk).update(check_status=CheckStatus.FAILED)
    document.refresh_from_db()
    record_verdict(
        world.reviewer,
        document,
        "accepted",
        reason="原件清晰",
        stamp_confirmed=True if document.material in STAMPED_MATERIALS else None,
        accept_failed_check=True,
    )
    rows = selectors.workbench_documents(selectors.review_documents(case))
    assert next(r for r in rows if r["document"].pk == document.pk)["attention"] == 2


def test_the_page_lists_attention_first_and_views_the_first_document(world: World, case: Case):
    arrange(world, case)
    url = reverse("cases:review_detail", args=[case.public_id])
    page = logged_in(world.reviewer).get(url).content.decode()
    queue = page[page.index('id="h-wb-docs"') : page.index('id="viewer"')]
    assert [int(n) for n in re.findall(r'data-attention="(\d)"', queue)] == sorted(
        int(n) for n in re.findall(r'data-attention="(\d)"', queue)
    )
    viewer = page[page.index('id="viewer"') : page.index('class="wb-facts"')]
    first = selectors.workbench_documents(selectors.review_documents(case))[0]["document"]
    assert reverse("materials:download", args=[first.public_id]) in viewer
    assert f'id="doc-{first.public_id}"' in viewer  # its verdict form is in the viewer pane
    # Every document's verdict form is on the page exactly once.
    for document in documents(case):
        assert page.count(f'id="doc-{document.public_id}"') == 1
    # Facts and checks, the decision panel and the history are all still there.
    for marker in ('id="h-checks"', 'id="h-decide"', 'id="h-a-applicant"', 'id="h-timeline"', 'id="h-reads"'):
        assert marker in page
    assert 'aria-current="page"' in queue
    # No inline style or script (CSP): the layout is in the static file.
    assert "style=" not in page and "<script>" not in page
    assert "cases/cases.css" in page


def test_choosing_a_document_shows_it_in_the_viewer(world: World, case: Case):
    accepted, _problem, _failing = arrange(world, case)
    url = reverse("cases:review_detail", args=[case.public_id])
    client = logged_in(world.reviewer)
    page = client.get(url, {"doc": str(accepted.public_id)}).content.decode()
    viewer = page[page.index('id="viewer"') : page.index('class="wb-facts"')]
    assert reverse("materials:download", args=[accepted.public_id]) in viewer
    # An unknown id falls back to the first document, never an error.
    assert client.get(url, {"doc": "nonsense"}).status_code == 200


def test_a_verdict_returns_to_the_same_document(world: World, case: Case):
    document = next(d for d in documents(case) if d.material not in STAMPED_MATERIALS)
    prefix = str(document.public_id)
    response = logged_in(world.reviewer).post(
        reverse("cases:document_verdict", args=[case.public_id, document.public_id]),
        {
            f"{prefix}-verdict": "accepted",
            f"{prefix}-reason": "已核对",
            f"{prefix}-accept_failed_check": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?doc={document.public_id}#doc-{document.public_id}")


def test_the_viewed_file_may_be_framed_by_the_same_site_only(world: World, case: Case):
    document = documents(case)[0]
    response = logged_in(world.reviewer).get(reverse("materials:download", args=[document.public_id]))
    assert response.status_code == 200 and response["X-Frame-Options"] == "SAMEORIGIN"


def test_the_workbench_is_for_district_staff_with_totp_only(world: World, case: Case):
    url = reverse("cases:review_detail", args=[case.public_id])
    for user in (world.applicant_user, world.operator, world.other_operator, world.other_applicant.user):
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code in (403, 404) or "/login" in response.get("Location", "")
        assert case.reference not in response.content.decode()
    staff_without_totp = Client()
    staff_without_totp.force_login(world.reviewer)
    response = staff_without_totp.get(url)
    assert response.status_code in (302, 403) and case.reference not in response.content.decode()
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
