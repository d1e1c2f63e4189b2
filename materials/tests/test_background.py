"""The checks as a background task: with the database backend (TASKS_BACKEND=database) the upload
stays pending, the status fragment keeps polling, and a `db_worker` run checks it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from materials.models import CheckStatus, Document
from materials.services import run_document_checks, store_upload
from materials.tests import hostile
from materials.tests.conftest import as_upload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_checks_queued_then_run_by_the_db_worker(database_tasks: None, applicant: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    document = store_upload(
        uploaded_file=as_upload(hostile.scan_pdf(2, dpi=150, colour=False)),
        material="LEASE",
        uploaded_by=applicant.user,
        applicant=applicant,
    )
    assert DBTaskResult.objects.filter(task_path="materials.tasks.check_document").count() == 1
    client = Client()
    client.force_login(applicant.user)
    url = reverse("materials:status", args=[document.public_id])
    assert 'hx-trigger="every 1s"' in client.get(url).content.decode()

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    document.refresh_from_db()
    assert document.check_status == CheckStatus.FAILED
    assert (document.check_done, document.check_total) == (2, 2)
    body = client.get(url).content.decode()
    assert "hx-trigger" not in body and "第 2 页是黑白/灰度扫描" in body


def test_missing_stored_file_fails_with_a_finding_not_a_stuck_poll(applicant: Any) -> None:
    document = store_upload(
        uploaded_file=as_upload(hostile.scan_pdf(1, dpi=72)),
        material="LEASE",
        uploaded_by=applicant.user,
        applicant=applicant,
        check=False,
    )
    document.file.storage.delete(document.file.name)
    assert run_document_checks(str(document.public_id)) == CheckStatus.FAILED
    document = Document.objects.get(pk=document.pk)
    assert [item["code"] for item in document.findings] == ["UNCHECKABLE"]
    assert "无法读取已存储的文件" in document.findings[0]["message_zh"]
