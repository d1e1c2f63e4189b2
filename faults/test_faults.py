"""Issue 15: each of the six failures recovers with nothing lost, with real processes.

1. a worker killed with SIGKILL mid-check: the check completes after another worker starts;
2. the SMTP server (aiosmtpd) stopped, then started: the mail arrives afterwards;
3. PostgreSQL connections dropped (pg_terminate_backend): the worker keeps running and finishes;
4. an interrupted annual inspection finishes without a click;
5. a process killed before its upload commits leaves no orphan file;
6. a read-only storage directory: a clear 503 page, nothing half-written, /readyz reports it.
"""

from __future__ import annotations

import mailbox
import os
import re
import signal
import subprocess
import tempfile
import textwrap
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from faults.conftest import PYTHON, ROOT, Processes, free_port, wait_for

PAGES = 45


@pytest.fixture(scope="module")
def long_pdf() -> bytes:
    from materials.tests import hostile

    return hostile.scan_pdf(PAGES, dpi=150)


def _upload(data: bytes) -> Any:
    from applicants.tests.factories import make_applicant
    from materials.services import store_upload
    from materials.tests.conftest import as_upload

    applicant = make_applicant()
    with transaction.atomic():
        document = store_upload(
            uploaded_file=as_upload(data, "lease.pdf"),
            material="LEASE",
            uploaded_by=applicant.user,
            applicant=applicant,
        )
    return document


def _document(public_id: Any) -> Any:
    from materials.models import Document

    return Document.objects.get(public_id=public_id)


def test_check_completes_after_its_worker_is_killed(processes: Processes, long_pdf: bytes) -> None:
    document = _upload(long_pdf)
    first = processes.worker("worker-a")
    wait_for(lambda: _document(document.public_id).check_done >= 3, 120, "the check to reach page 3")
    processes.kill(first)  # SIGKILL to the worker and its checking child
    stuck = _document(document.public_id)
    assert stuck.check_status == "pending" and stuck.check_done < PAGES
    processes.worker("worker-b")
    wait_for(
        lambda: _document(document.public_id).check_delayed, 60, "the status to say the check is retried"
    )
    done = wait_for(
        lambda: (d := _document(document.public_id)).check_status != "pending" and d,
        180,
        "the check to finish",
    )
    assert done.check_status == "passed" and (done.check_done, done.check_total) == (PAGES, PAGES)
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult.objects.get(task_path="materials.tasks.check_document")
    assert task.status == "SUCCESSFUL" and len(task.worker_ids) == 2


def _smtp(processes: Processes, port: int, maildir: Path) -> Any:
    server = processes.start(
        "smtp",
        [
            PYTHON,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Mailbox",
            str(maildir),
        ],
    )
    wait_for(lambda: _port_open(port), 30, "the SMTP server")
    return server


def _port_open(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_mail_arrives_after_the_smtp_server_returns(processes: Processes, tmp_path: Path) -> None:
    from accounts.testing import make_user
    from core.models import OutboxMail
    from core.notifications import notify

    port = free_port()
    maildir = tmp_path / "maildir"
    os.environ.update({"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)})
    try:
        worker = processes.worker("worker-mail")
    finally:
        del os.environ["EMAIL_HOST"], os.environ["EMAIL_PORT"]
    user = make_user(email="wang.wu@example.cn")
    with transaction.atomic():
        notify(
            [user], "case_returned_to_applicant", {"kind": "新办", "reference": "HD-FAULTS-1"}, url="/cases/"
        )
    wait_for(lambda: OutboxMail.objects.get(user=user).attempts >= 2, 60, "two failed attempts")
    failing = OutboxMail.objects.get(user=user)
    assert failing.status == "pending" and "Connection" in failing.last_error and failing.sent_at is None
    _smtp(processes, port, maildir)
    sent = wait_for(lambda: (m := OutboxMail.objects.get(user=user)).status == "sent" and m, 90, "the mail")
    assert sent.sent_at is not None and sent.attempts >= 3
    messages = list(mailbox.Maildir(str(maildir), create=False))
    assert len(messages) == 1 and messages[0]["To"] == user.email
    log = Path(worker.log_path).read_text(errors="replace")
    assert f"user {user.pk}" in log and user.email not in log
    assert worker.poll() is None


def _terminate_backends(stop: threading.Event, counter: list[int]) -> None:
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname="postgres", autocommit=True
    ) as admin:
        while not stop.is_set():
            rows = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [db["NAME"]],
            ).fetchall()
            counter[0] += sum(1 for (ok,) in rows if ok)
            stop.wait(0.3)


def test_worker_keeps_running_when_connections_are_dropped(processes: Processes, long_pdf: bytes) -> None:
    worker = processes.worker("worker-pg")
    wait_for(lambda: _heartbeats() >= 1, 60, "the worker's heartbeat")
    document = _upload(long_pdf)
    connection.close()
    wait_for(lambda: _document(document.public_id).check_done >= 2, 120, "the check to start")
    connection.close()
    stop, dropped = threading.Event(), [0]
    dropper = threading.Thread(target=_terminate_backends, args=(stop, dropped))
    dropper.start()
    time.sleep(6)
    stop.set()
    dropper.join()
    assert dropped[0] >= 3, "connections were really dropped"
    assert worker.poll() is None, "the worker survived"
    connection.close()
    done = wait_for(
        lambda: (d := _document(document.public_id)).check_status != "pending" and d,
        240,
        "the check to finish",
    )
    assert done.check_status == "passed" and done.check_done == PAGES
    second = _upload(long_pdf)
    wait_for(lambda: _document(second.public_id).check_status != "pending", 240, "a check queued afterwards")
    assert worker.poll() is None, "still the same worker process"


def _heartbeats() -> int:
    from core.models import WorkerHeartbeat

    connection.close()
    return WorkerHeartbeat.objects.count()


def test_interrupted_inspection_finishes_without_a_click(processes: Processes) -> None:
    from django_tasks_db.models import DBTaskResult

    from accounts.models import Role
    from accounts.testing import make_user
    from oversight import inspection as job
    from oversight import services
    from oversight.models import Inspection
    from permits.models import PermitStatus
    from permits.tests.factories import make_employer, make_permit

    as_of = date(2026, 6, 1)
    with transaction.atomic():
        employer = make_employer()
        for index in range(12):
            make_permit(employer=employer, expires_on=as_of + timedelta(days=-30 + 15 * index))
        make_permit(employer=employer, status=PermitStatus.EXPIRED, expires_on=date(2026, 1, 1))
        supervisor = make_user(Role.SUPERVISOR)
    with transaction.atomic():
        interrupted = services.start_inspection(supervisor, as_of=as_of, today=as_of)
    # A worker claimed the task, classified two ranges and was killed (no heartbeat any more).
    DBTaskResult.objects.filter(task_path="oversight.tasks.run_inspection").update(
        status="RUNNING", started_at=timezone.now(), worker_ids=["rw-killed-mid-inspection"]
    )
    job.run(interrupted.pk, chunk=1, stop_after=2)
    assert Inspection.objects.get(pk=interrupted.pk).status == "running"
    processes.worker("worker-inspection")
    finished = wait_for(
        lambda: (i := Inspection.objects.get(pk=interrupted.pk)).status == "classified" and i,
        120,
        "the inspection",
    )
    assert finished.processed == finished.total
    with transaction.atomic():
        reference = services.start_inspection(supervisor, as_of=as_of, today=as_of)
    wait_for(lambda: Inspection.objects.get(pk=reference.pk).status == "classified", 120, "the reference run")
    pairs = set(finished.findings.values_list("permit_id", "reason"))
    assert pairs and pairs == set(reference.findings.values_list("permit_id", "reason"))
    assert finished.findings.count() == len(pairs), "no finding recorded twice"


CRASH = textwrap.dedent(
    """
    import os, signal
    from django.db import transaction
    from applicants.tests.factories import make_applicant
    from materials.services import store_upload
    from materials.tests.conftest import as_upload
    from materials.tests import hostile
    import itertools
    from datetime import date
    from applicants.tests import factories
    factories._seq = itertools.count(900)  # another process: another identity and e-mail
    applicant = make_applicant(birth=date(1985, 3, 3))
    with transaction.atomic():
        document = store_upload(uploaded_file=as_upload(hostile.scan_pdf(1, dpi=150)), material="LEASE",
                                uploaded_by=applicant.user, applicant=applicant)
        print("STAGED", document.public_id, document.file.name, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """
)


def test_no_orphan_file_after_a_crash_before_commit(processes: Processes) -> None:
    from materials.models import Document

    crashed = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", CRASH], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert crashed.returncode == -signal.SIGKILL
    found = re.search(r"^STAGED (\S+) (\S+)$", crashed.stdout, re.MULTILINE)
    assert found, crashed.stdout + crashed.stderr
    public_id, name = found.groups()
    assert not Document.objects.filter(public_id=public_id).exists()
    staged = f"staging/{name}"
    assert default_storage.exists(staged) and not default_storage.exists(name)
    processes.worker("worker-sweeper")
    wait_for(lambda: not default_storage.exists(staged), 60, "the sweeper")
    assert not default_storage.exists(name)


def test_read_only_storage_gives_a_clear_page_and_readyz_reports_it(
    processes: Processes, request: pytest.FixtureRequest
) -> None:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from applicants.tests.factories import make_applicant
    from materials.models import Document
    from materials.tests import hostile

    base_dir = Path(tempfile.mkdtemp(prefix="faults-storage-"))
    media = base_dir / "media"
    media.mkdir()
    spool = base_dir / "upload-tmp"
    spool.mkdir()
    # A read-only file system under the storage directory (root ignores permission bits).
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m,ro", "tmpfs", str(media)], check=True)
    request.addfinalizer(lambda: subprocess.run(["umount", "-l", str(media)], check=False))
    port = free_port()
    server = processes.start(
        "gunicorn",
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"],
        env={"MEDIA_ROOT": str(media), "FILE_UPLOAD_TEMP_DIR": str(spool), "VAR_DIR": str(base_dir)},
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: _get(f"{base}/healthz") == 200, 60, "gunicorn")
    ready = requests.get(f"{base}/readyz", timeout=10)
    assert ready.status_code == 503 and ready.json()["checks"]["storage"]["ok"] is False
    assert ready.json()["checks"]["database"]["ok"] is True

    applicant = make_applicant()
    session = SessionStore()
    session[SESSION_KEY] = str(applicant.user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = applicant.user.get_session_auth_hash()
    session.save()
    browser = requests.Session()
    browser.cookies.set("sessionid", session.session_key)
    form = browser.get(f"{base}/materials/mine/", timeout=30)
    assert form.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token
    response = browser.post(
        f"{base}/materials/mine/",
        data={"material": "LEASE", "csrfmiddlewaretoken": token.group(1)},
        files={"file": ("lease.pdf", hostile.scan_pdf(1, dpi=150), "application/pdf")},
        timeout=60,
    )
    assert response.status_code == 503 and "文件暂时无法保存，请稍后再试" in response.text
    assert not Document.objects.filter(applicant=applicant).exists(), "no row"
    assert not any(path.is_file() for path in media.rglob("*")), "no file"

    subprocess.run(["mount", "-o", "remount,rw", str(media)], check=True)
    healthy = requests.get(f"{base}/readyz", timeout=10)
    assert healthy.status_code == 200, healthy.text
    assert server.poll() is None


def _get(url: str) -> int:
    try:
        return requests.get(url, timeout=5).status_code
    except requests.RequestException:
        return 0
