"""Nothing lost when a worker, the database, the mail server or the storage fails (issue 15).

These are the unit-level checks; `make faults` (`.ci/faults`) repeats them with real processes.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.testing import login_staff, make_user
from core import outbox, recovery
from core.files import STAGING, clean_upload_temp_dir, sweep_orphans
from core.models import MailStatus, OutboxMail, WorkerHeartbeat


@pytest.fixture
def locmem_mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def database_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


# --- outbox -----------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_mail_is_written_with_the_event_and_sent_after_commit(locmem_mail: None) -> None:
    user = make_user()
    with transaction.atomic():
        row = outbox.queue_mail(user, "主题", "正文")
        assert mail.outbox == []
    row.refresh_from_db()
    assert row.status == MailStatus.SENT and row.attempts == 1 and row.sent_at is not None
    assert [m.to for m in mail.outbox] == [[user.email]]


@pytest.mark.django_db(transaction=True)
def test_rolled_back_event_leaves_no_mail(locmem_mail: None) -> None:
    user = make_user()
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.queue_mail(user, "s", "b")
        raise RuntimeError
    assert not OutboxMail.objects.exists() and mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_failed_mail_is_retried_with_backoff_and_logged_by_user_id(
    locmem_mail: None, settings: Any, caplog: Any
) -> None:
    settings.MAIL_RETRY_BASE_SECONDS = 10
    settings.MAIL_MAX_ATTEMPTS = 3
    user = make_user(email="zhang.san@example.cn")
    refused = ConnectionRefusedError(111, "Connection refused")
    with mock.patch("core.outbox.send_mail", side_effect=refused), caplog.at_level(logging.WARNING):
        row = outbox.queue_mail(user, "s", "b")
    row.refresh_from_db()
    assert (row.status, row.attempts) == (MailStatus.PENDING, 1)
    assert "ConnectionRefusedError" in row.last_error
    first_delay = row.next_attempt_at - timezone.now()
    assert timedelta(seconds=8) < first_delay <= timedelta(seconds=10)
    assert f"user {user.pk}" in caplog.text and "zhang.san" not in caplog.text
    # Not due yet: the periodic pass leaves it alone.
    assert outbox.deliver_due() == 0
    OutboxMail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    with mock.patch("core.outbox.send_mail", side_effect=refused):
        outbox.deliver_due()
    row.refresh_from_db()
    assert row.attempts == 2
    assert timedelta(seconds=18) < row.next_attempt_at - timezone.now() <= timedelta(seconds=20), "doubles"
    # The server is back: the next pass sends it.
    OutboxMail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert outbox.deliver_due() == 1
    row.refresh_from_db()
    assert row.status == MailStatus.SENT and row.sent_at is not None and len(mail.outbox) == 1
    assert outbox.deliver(row.pk) == MailStatus.SENT and len(mail.outbox) == 1, "never sent twice"


@pytest.mark.django_db(transaction=True)
def test_after_the_last_retry_the_mail_is_failed_and_the_address_is_not_kept_in_the_error(
    locmem_mail: None, settings: Any
) -> None:
    settings.MAIL_MAX_ATTEMPTS = 1
    user = make_user(email="li.si@example.cn")
    error = smtplib.SMTPRecipientsRefused({"li.si@example.cn": (550, b"no such user")})
    with mock.patch("core.outbox.send_mail", side_effect=error):
        row = outbox.queue_mail(user, "s", "b")
    row.refresh_from_db()
    assert row.status == MailStatus.FAILED and "li.si" not in row.last_error
    assert outbox.undelivered() == [row]


@pytest.mark.django_db(transaction=True)
def test_supervisor_page_lists_undelivered_mail_and_resends(locmem_mail: None, settings: Any) -> None:
    settings.MAIL_MAX_ATTEMPTS = 1
    user = make_user()
    with mock.patch("core.outbox.send_mail", side_effect=OSError("down")):
        row = outbox.queue_mail(user, "审核结果通知", "b")
    supervisor = make_user(Role.SUPERVISOR)
    client = Client()
    login_staff(client, supervisor)
    url = reverse("core:undelivered_mail")
    page = client.get(url).content.decode()
    assert "审核结果通知" in page and user.email not in page and f"用户编号 {user.pk}" in page
    response = client.post(reverse("core:resend_mail", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == MailStatus.SENT and len(mail.outbox) == 1
    assert "审核结果通知" not in client.get(url).content.decode()
    assert client.post(reverse("core:resend_mail", args=[row.pk])).status_code == 404, "only failed mail"


@pytest.mark.django_db
def test_undelivered_mail_page_refuses_other_users(client: Client) -> None:
    url = reverse("core:undelivered_mail")
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for role in (Role.APPLICANT, Role.OPERATOR):
        other = Client()
        other.force_login(make_user(role))
        assert other.get(url).status_code == 404
        assert other.post(reverse("core:resend_mail", args=[1])).status_code == 404
    reviewer = Client()
    login_staff(reviewer, make_user(Role.REVIEWER))  # staff with TOTP, but not a supervisor
    assert reviewer.get(url).status_code == 404
    assert reviewer.post(reverse("core:resend_mail", args=[1])).status_code == 404
    unverified = Client()
    unverified.force_login(make_user(Role.SUPERVISOR))
    response = unverified.get(url)
    assert response.status_code == 302 and "/accounts/otp/" in response["Location"], "TOTP required"


# --- recovery of tasks --------------------------------------------------------------------------------


def _stored_lease(applicant: Any, *, check: bool = True) -> Any:
    """A one-page colour lease scan stored for `applicant` (checked in the background unless told)."""
    from materials.services import store_upload
    from materials.tests import hostile
    from materials.tests.conftest import as_upload

    return store_upload(
        uploaded_file=as_upload(hostile.scan_pdf(1, dpi=150)),
        material="LEASE",
        uploaded_by=applicant.user,
        applicant=applicant,
        check=check,
    )


def _running_task(worker_id: str, started_ago: timedelta, path: str = "core.outbox.deliver_mail") -> Any:
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - started_ago,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path=path,
        worker_ids=[worker_id],
        backend_name="default",
        run_after=get_date_max(),
    )


@pytest.mark.django_db(transaction=True)
def test_task_of_a_dead_worker_is_handed_back_and_a_live_ones_is_not(settings: Any) -> None:
    settings.WORKER_HEARTBEAT_TIMEOUT = 30
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="rw-dead", seen_at=now - timedelta(seconds=31))
    WorkerHeartbeat.objects.create(worker_id="rw-alive", seen_at=now - timedelta(seconds=2))
    dead = _running_task("rw-dead", timedelta(minutes=1))
    alive = _running_task("rw-alive", timedelta(minutes=1))
    plain_young = _running_task("db-worker-x", timedelta(minutes=1))
    plain_old = _running_task("db-worker-y", timedelta(minutes=6))  # deliver_mail's limit is 5 minutes
    assert recovery.requeue_stale() == 2
    statuses = {task.worker_ids[0]: task.status for task in type(dead).objects.all()}
    assert statuses == {
        "rw-dead": "READY",
        "rw-alive": "RUNNING",
        "db-worker-x": "RUNNING",
        "db-worker-y": "READY",
    }
    assert alive and plain_young and plain_old


@pytest.mark.django_db(transaction=True)
def test_a_worker_hands_back_its_own_task_after_losing_the_database() -> None:
    WorkerHeartbeat.objects.create(worker_id="rw-me", seen_at=timezone.now())
    task = _running_task("rw-me", timedelta(seconds=1))
    assert recovery.requeue_stale() == 0
    assert recovery.requeue_stale(own_worker_id="rw-me") == 1
    task.refresh_from_db()
    assert task.status == "READY"


@pytest.mark.django_db(transaction=True)
def test_after_the_last_attempt_a_document_check_gives_up_with_a_finding(settings: Any) -> None:
    from applicants.tests.factories import make_applicant

    applicant = make_applicant()
    document = _stored_lease(applicant, check=False)
    task = _running_task("rw-gone", timedelta(hours=1), path="materials.tasks.check_document")
    task.args_kwargs = {"args": [str(document.public_id)], "kwargs": {}}
    task.worker_ids = ["rw-1", "rw-2", "rw-3", "rw-4", "rw-gone"]
    task.save()
    recovery.requeue_stale()
    task.refresh_from_db()
    document.refresh_from_db()
    assert task.status == "FAILED"
    assert document.check_status == "failed" and document.findings[0]["code"] == "UNCHECKABLE"


@pytest.mark.django_db(transaction=True)
def test_document_status_says_the_check_is_delayed_when_its_task_was_handed_back(
    database_tasks: None,
) -> None:
    from django_tasks_db.models import DBTaskResult

    from applicants.tests.factories import make_applicant

    applicant = make_applicant()
    document = _stored_lease(applicant)
    client = Client()
    client.force_login(applicant.user)
    url = reverse("materials:status", args=[document.public_id])
    assert "检查延迟" not in client.get(url).content.decode()
    DBTaskResult.objects.filter(task_path="materials.tasks.check_document").update(worker_ids=["rw-dead"])
    body = client.get(url).content.decode()
    assert "检查延迟，正在重试" in body and 'hx-trigger="every 5s"' in body


@pytest.mark.django_db(transaction=True)
def test_an_interrupted_inspection_is_queued_again_without_a_click(database_tasks: None) -> None:
    from django_tasks_db.models import DBTaskResult

    from oversight import services

    supervisor = make_user(Role.SUPERVISOR)
    inspection = services.start_inspection(supervisor, as_of=timezone.localdate(), today=timezone.localdate())
    DBTaskResult.objects.all().delete()  # the worker's task vanished (or failed for good)
    assert services.resume_stalled_inspections(grace_seconds=0) == 1
    assert services.resume_stalled_inspections(grace_seconds=0) == 0, "one task at a time"
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [inspection.pk]


# --- files ---------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_upload_is_staged_until_commit_and_removed_on_rollback() -> None:
    from applicants.tests.factories import make_applicant

    applicant = make_applicant()
    with transaction.atomic():
        document = _stored_lease(applicant, check=False)
        assert not default_storage.exists(document.file.name)
        assert default_storage.exists(f"{STAGING}/{document.file.name}")
    assert default_storage.exists(document.file.name)
    assert not default_storage.exists(f"{STAGING}/{document.file.name}")

    from core.files import discard_unfinished

    with pytest.raises(RuntimeError), transaction.atomic():
        lost = _stored_lease(applicant, check=False)
        raise RuntimeError
    assert default_storage.exists(f"{STAGING}/{lost.file.name}")
    assert discard_unfinished() == 1  # what the middleware does at the end of the request
    assert not default_storage.exists(f"{STAGING}/{lost.file.name}")


@pytest.mark.django_db
def test_sweeper_removes_old_unreferenced_files_and_finishes_committed_staged_ones() -> None:
    from applicants.tests.factories import make_applicant
    from materials.models import Document

    applicant = make_applicant()
    kept = _stored_lease(applicant, check=False)
    orphan = default_storage.save("documents/2020/01/orphan.pdf", ContentFile(b"%PDF-1.4"))
    crashed = default_storage.save(f"{STAGING}/documents/2020/01/crashed.pdf", ContentFile(b"x"))
    # A row committed but the process died before moving its staged file into place.
    moved = Document.objects.get(pk=kept.pk)
    default_storage.delete(moved.file.name)
    default_storage.save(f"{STAGING}/{moved.file.name}", ContentFile(b"%PDF-1.4 kept"))
    assert sweep_orphans(max_age_seconds=3600)["removed"] == 0, "young files are left alone"
    counts = sweep_orphans(max_age_seconds=0)
    assert counts["removed"] == 2 and counts["finalized"] == 1
    assert not default_storage.exists(orphan) and not default_storage.exists(crashed)
    assert default_storage.open(moved.file.name).read() == b"%PDF-1.4 kept"
    assert sweep_orphans(max_age_seconds=0)["removed"] == 0, "safe to run twice"


def test_upload_temp_dir_is_dedicated_and_cleaned(settings: Any, tmp_path: Any) -> None:
    import os
    import time

    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    assert clean_upload_temp_dir() == 0
    stale = tmp_path / "upload-tmp" / "abc.upload"
    stale.write_bytes(b"x")
    fresh = tmp_path / "upload-tmp" / "def.upload"
    fresh.write_bytes(b"y")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    assert clean_upload_temp_dir() == 1 and fresh.exists() and not stale.exists()


# --- errors and health ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_read_only_storage_gives_a_clear_503_and_nothing_half_written(settings: Any, tmp_path: Any) -> None:
    from applicants.tests.factories import make_applicant
    from materials.models import Document
    from materials.tests import hostile
    from materials.tests.conftest import as_upload

    applicant = make_applicant()
    client = Client(raise_request_exception=False)
    client.force_login(applicant.user)
    read_only = PermissionError(13, "Read-only file system")
    with mock.patch("django.core.files.storage.FileSystemStorage._save", side_effect=read_only):
        response = client.post(
            reverse("materials:mine"), {"material": "LEASE", "file": as_upload(hostile.scan_pdf(1, dpi=150))}
        )
    assert response.status_code == 503
    assert "文件暂时无法保存，请稍后再试" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_healthz_is_liveness_and_readyz_checks_dependencies(client: Client, settings: Any) -> None:
    assert client.get(reverse("core:healthz")).json() == {"status": "ok"}
    ready = client.get(reverse("core:readyz"))
    assert ready.status_code == 200
    assert set(ready.json()["checks"]) == {"database", "storage", "cache", "queue"}
    with mock.patch("core.views.storage_writable", return_value=(False, "PermissionError")):
        down = client.get(reverse("core:readyz"))
    assert down.status_code == 503 and down.json()["checks"]["storage"] == {
        "ok": False,
        "error": "PermissionError",
    }


@pytest.mark.django_db(transaction=True)
def test_readyz_reports_an_old_queued_task(client: Client, database_tasks: None, settings: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from core.outbox import deliver_mail

    settings.READY_MAX_QUEUE_AGE_SECONDS = 60
    deliver_mail.enqueue(1)
    assert client.get(reverse("core:readyz")).status_code == 200
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(seconds=61))
    body = client.get(reverse("core:readyz"))
    assert body.status_code == 503 and body.json()["checks"]["queue"]["ok"] is False


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "text"), [("zh-hans", "页面不存在"), ("en", "Page not found")])
def test_friendly_404_in_both_languages(client: Client, settings: Any, language: str, text: str) -> None:
    settings.DEBUG = False
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and text in response.content.decode()


@pytest.mark.parametrize(
    ("language", "text"), [("zh-hans", "系统暂时出现问题"), ("en", "Something went wrong")]
)
def test_friendly_500_in_both_languages(language: str, text: str) -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(language):
        assert text in render_to_string("500.html")


@pytest.mark.django_db(transaction=True)
def test_a_task_failed_on_a_lost_connection_runs_again_but_not_forever() -> None:
    task = _running_task("rw-me", timedelta(seconds=1))
    type(task).objects.filter(pk=task.pk).update(
        status="FAILED", finished_at=timezone.now(), exception_class_path="django.db.utils.OperationalError"
    )
    WorkerHeartbeat.objects.create(worker_id="rw-me", seen_at=timezone.now())
    assert recovery.requeue_stale() == 1
    task.refresh_from_db()
    assert task.status == "READY"
    type(task).objects.filter(pk=task.pk).update(
        status="FAILED", finished_at=timezone.now(), worker_ids=["rw-me"] * 20
    )
    assert recovery.requeue_stale() == 0
    task.refresh_from_db()
    assert task.status == "FAILED"
