"""Issue 11, production 8: one run with everything a deployment has, over real HTTP.

PostgreSQL (a fresh database), Redis as the cache, `TASKS_BACKEND=database` with a `run_worker`
process, S3 storage on a moto server at 127.0.0.1, an SMTP server (aiosmtpd), and gunicorn with the
production settings (`DJANGO_PRODUCTION=1`), all run from a venv built from `requirements.lock` only.
The test plays the TLS-terminating proxy: it adds `X-Forwarded-Proto: https` and sends the Secure
cookies back over plain HTTP on 127.0.0.1.

Then: `/readyz` is green (database, storage, cache, queue); an applicant logs in and uploads a
document, which lands in the bucket; its check runs in the worker process; an operator invites a
colleague and the mail reaches the SMTP server through the outbox.
"""

from __future__ import annotations

import mailbox
import os
import re
import time
from pathlib import Path
from typing import Any

import boto3
import requests

from faults.conftest import Processes, free_port, wait_for

VENV = Path(os.environ["DEPLOY_VENV"])
DEV_BIN = Path(__file__).resolve().parent.parent / ".venv" / "bin"


class Browser:
    """A requests session behind the pretend proxy (HTTPS towards Django, Secure cookies kept)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.session.headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"})

    def _unsecure(self) -> None:
        for cookie in self.session.cookies:
            cookie.secure = False

    def get(self, path: str) -> requests.Response:
        response = self.session.get(self.base + path, timeout=60, allow_redirects=False)
        self._unsecure()
        return response

    def post(self, path: str, data: dict[str, str], files: Any = None) -> requests.Response:
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, f"no form at {path}: {page.status_code}"
        host = self.base.split("://", 1)[1]
        response = self.session.post(
            self.base + path,
            data={**data, "csrfmiddlewaretoken": token.group(1)},
            files=files,
            headers={"Referer": f"https://{host}{path}"},
            timeout=120,
            allow_redirects=False,
        )
        self._unsecure()
        return response

    def login(self, username: str, password: str) -> None:
        response = self.post("/accounts/login/", {"username": username, "password": password})
        assert response.status_code == 302, response.text[:2000]
        assert "sessionid" in self.session.cookies


def _port_open(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _status(url: str) -> int:
    try:
        return requests.get(url, timeout=5, headers={"X-Forwarded-Proto": "https"}).status_code
    except requests.RequestException:
        return 0


def test_a_deployment_serves_uploads_checks_and_mail(processes: Processes, tmp_path: Path) -> None:
    from django_tasks_db.models import DBTaskResult

    from applicants.tests.factories import make_applicant
    from core.models import OutboxMail
    from employers.tests import factories
    from materials.models import Document
    from materials.tests import hostile

    # S3 on a moto server (the port .ci/deploy chose), with the bucket the settings name.
    endpoint = os.environ["S3_ENDPOINT_URL"]
    s3_port = int(endpoint.rsplit(":", 1)[1])
    processes.start("moto", [str(DEV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)])
    wait_for(lambda: _port_open(s3_port), 60, "the moto S3 server")
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=os.environ["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=os.environ["S3_SECRET_ACCESS_KEY"],
        region_name=os.environ["S3_REGION"],
    )
    s3.create_bucket(
        Bucket=os.environ["S3_BUCKET"],
        CreateBucketConfiguration={"LocationConstraint": os.environ["S3_REGION"]},
    )

    # SMTP server (the port .ci/deploy chose).
    smtp_port = int(os.environ["EMAIL_PORT"])
    maildir = tmp_path / "maildir"
    processes.start(
        "smtp",
        [str(DEV_BIN / "python"), "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}",
         "-c", "aiosmtpd.handlers.Mailbox", str(maildir)],
    )  # fmt: skip
    wait_for(lambda: _port_open(smtp_port), 30, "the SMTP server")

    # The service: gunicorn and a worker from the production venv, production settings.
    web_port = free_port()
    service_env = {"SITE_URL": f"https://127.0.0.1:{web_port}"}
    gunicorn = processes.start(
        "gunicorn",
        [str(VENV / "bin" / "gunicorn"), "config.wsgi", "--workers", "2",
         "--bind", f"127.0.0.1:{web_port}", "--timeout", "60"],
        env=service_env,
    )  # fmt: skip
    worker = processes.start(
        "worker",
        [str(VENV / "bin" / "python"), "manage.py", "run_worker", "--heartbeat", "1", "--interval", "0.2"],
        env=service_env,
    )
    base = f"http://127.0.0.1:{web_port}"
    wait_for(lambda: _status(f"{base}/healthz") == 200, 90, "gunicorn")

    # The worker's heartbeat makes the queue check meaningful; then every readiness check is green.
    def ready() -> Any:
        response = requests.get(f"{base}/readyz", timeout=10, headers={"X-Forwarded-Proto": "https"})
        return response.status_code == 200 and response.json()

    checks = wait_for(ready, 60, "/readyz to be green")["checks"]
    assert all(check["ok"] for check in checks.values()), checks
    assert {"database", "storage", "cache"} <= set(checks)

    # An applicant logs in over HTTP and uploads a document: it lands in the S3 bucket.
    applicant = make_applicant()
    browser = Browser(base)
    browser.login(applicant.user.email, "Test-pass-2025")
    response = browser.post(
        "/materials/mine/",
        {"material": "LEASE"},
        files={"file": ("lease.pdf", hostile.scan_pdf(2, dpi=100), "application/pdf")},
    )
    assert response.status_code in (200, 302), response.text[:2000]
    document = wait_for(lambda: Document.objects.filter(applicant=applicant).first(), 30, "the document row")
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=os.environ["S3_BUCKET"]).get("Contents", [])]
    assert document.file.name in keys, keys
    assert not any(key.startswith("staging/") for key in keys)

    # Its check runs in the worker process (not in gunicorn: TASKS_BACKEND=database).
    checked = wait_for(
        lambda: (d := Document.objects.get(pk=document.pk)).check_status != "pending" and d,
        180,
        "the worker to check the document",
    )
    assert checked.check_status in {"passed", "warning"}, (checked.check_status, checked.findings)
    task = DBTaskResult.objects.filter(task_path__startswith="materials.tasks.").get()
    assert task.status == "SUCCESSFUL" and task.worker_ids, "a worker process ran the check"

    # An operator invites a colleague: the mail goes through the outbox to the SMTP server.
    admin = factories.operator()
    operator_browser = Browser(base)
    operator_browser.login(admin.email, "Test-pass-2025")
    response = operator_browser.post("/employers/operators/", {"email": "new.colleague@example.cn"})
    assert response.status_code == 302, response.text[:2000]
    sent = wait_for(
        lambda: OutboxMail.objects.filter(to_address="new.colleague@example.cn", status="sent").first(),
        90,
        "the invitation mail to be sent",
    )
    assert sent.sent_at is not None
    messages = wait_for(lambda: list(mailbox.Maildir(str(maildir), create=False)), 10, "the maildir")
    assert [m["To"] for m in messages] == ["new.colleague@example.cn"]
    assert "https://127.0.0.1" in (messages[0].get_payload(decode=True) or b"").decode("utf-8", "replace")

    # Both processes are still up; nothing was served by the development server.
    time.sleep(0.5)
    assert gunicorn.poll() is None and worker.poll() is None
