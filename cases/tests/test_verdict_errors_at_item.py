"""Issue 10 (3, 9): on the reviewer's per-material verdict forms, an error sits beside its own item:
the error summary is inside that item's form and links to the field, nothing typed is lost, and the
other items' forms show no error."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from cases import services
from cases.tests import factories as f
from cases.tests.factories import World
from cases.tests.test_views import logged_in as staff_client

TODAY = date(2025, 11, 20)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel("2025-11-20 10:00 +0800", tick=True):
        yield


def test_a_refused_verdict_is_reported_at_its_item_with_what_was_typed(world: World):
    case = f.accepted_case(world, TODAY, confirm=False)
    documents = services.current_documents(case)
    lease = documents[("LEASE", None)]
    tax = documents[("EMPLOYER-TAX", None)]  # DOC-STAMPED: accepting needs the seal confirmed
    client = staff_client(world.reviewer)
    prefix = str(tax.public_id)
    response = client.post(
        reverse("cases:document_verdict", args=[case.public_id, tax.public_id]),
        {f"{prefix}-verdict": "accepted", f"{prefix}-reason": "核对原件一致"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    item_start = body.index(f'id="doc-{tax.public_id}"')
    item_end = body.index("</article>", item_start)
    item = body[item_start:item_end]
    # The summary and the message are inside the item, linking to its field.
    assert body.count('class="error-summary"') == 1
    assert 'class="error-summary"' in item
    assert f'href="#id_{prefix}-stamp_confirmed"' in item
    assert "未核对申请单位财务章" in item
    # What was typed is kept.
    assert "核对原件一致" in item
    assert 'value="accepted"' in item and "checked" in item
    # The form posts back to its own item, so the browser lands on it, not at the top of the page.
    action = reverse("cases:document_verdict", args=[case.public_id, tax.public_id])
    assert f'action="{action}#doc-{tax.public_id}"' in item
    # The other items carry no error.
    lease_start = body.index(f'id="doc-{lease.public_id}"')
    lease_item = body[lease_start : body.index("</article>", lease_start)]
    assert "error" not in lease_item.replace("error-message", "")
    # Nothing above the document announces an error (no banner at the top of the page); on the
    # reviewer's workbench the refused document is the one in the viewer pane.
    top = body[: body.index('id="viewer"')]
    assert "error" not in top.replace("error-message", "").replace("form_errors", "")
    assert 'role="alert"' not in top
