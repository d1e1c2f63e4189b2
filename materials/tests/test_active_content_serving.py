"""Issue 11, Low: a PDF flagged ACTIVE-CONTENT (DOC-FORMAT) is never rendered inline by the service:
it is served as an attachment under `Content-Security-Policy: sandbox`, with nosniff. A clean file
is still shown inline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.testing import login_staff
from materials.models import CheckStatus, Document
from materials.tests import hostile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("build", [hostile.javascript_pdf, hostile.launch_pdf, hostile.xfa_pdf])
def test_active_content_pdf_is_an_attachment_in_a_sandbox(
    upload: Callable[..., Document], applicant: Any, reviewer: Any, build: Callable[[], bytes]
) -> None:
    document = upload(build())
    assert [item["code"] for item in document.findings] == ["ACTIVE-CONTENT"]
    url = reverse("materials:download", args=[document.public_id])
    owner = Client()
    owner.force_login(applicant.user)
    staff = Client()
    login_staff(staff, reviewer)
    for client in (owner, staff):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        policy = response["Content-Security-Policy"]
        assert policy.split(";")[0].strip() == "sandbox"
        assert "allow-scripts" not in policy
        assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_not_yet_checked_is_not_rendered_either(
    upload: Callable[..., Document], applicant: Any
) -> None:
    document = upload()
    Document.objects.filter(pk=document.pk).update(check_status=CheckStatus.PENDING, findings=[])
    client = Client()
    client.force_login(applicant.user)
    response = client.get(reverse("materials:download", args=[document.public_id]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_a_clean_pdf_is_still_shown_inline_under_the_site_policy(
    upload: Callable[..., Document], applicant: Any
) -> None:
    document = upload()
    assert document.check_status == CheckStatus.PASSED
    client = Client()
    client.force_login(applicant.user)
    response = client.get(reverse("materials:download", args=[document.public_id]))
    assert response["Content-Disposition"].startswith("inline;")
    assert "object-src 'none'" in response["Content-Security-Policy"]
    # The reviewer's workbench frames the file (issue 10, item 7): framed by this site only.
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" not in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
