"""Fault injection with real processes (`make faults`, `.ci/faults`): workers, gunicorn, an SMTP server.

`.ci/faults` creates a fresh PostgreSQL database, migrates it and exports the environment below;
this pytest process uses the same database (without pytest-django: `-p no:django`), so the rows it
writes are the ones the worker processes see.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")

if "DATABASE_URL" not in os.environ or not os.environ["DATABASE_URL"].startswith("postgres"):
    raise pytest.UsageError("run the fault tests through .ci/faults (a fresh PostgreSQL database)")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["TASKS_BACKEND"] = "database"

import django  # noqa: E402

django.setup()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(condition: Callable[[], Any], timeout: float, what: str, every: float = 0.2) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class Processes:
    """Child processes of one test, each in its own process group (killed with its children)."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, argv: list[str], env: dict[str, str] | None = None, **kwargs: Any) -> Any:
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            **kwargs,
        )
        process.log_path = self.logs / f"{name}.log"  # type: ignore[attr-defined]
        self.started.append(process)
        return process

    def worker(self, name: str) -> Any:
        return self.start(name, [PYTHON, "manage.py", "run_worker", "--heartbeat", "1", "--interval", "0.2"])

    @staticmethod
    def kill(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        process.wait(timeout=30)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                self.kill(process, signal.SIGTERM)
        for process in self.started:
            if process.poll() is None:
                self.kill(process)


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    logs = Path(os.environ.get("FAULTS_LOG_DIR", str(tmp_path)))
    logs.mkdir(parents=True, exist_ok=True)
    procs = Processes(logs)
    yield procs
    procs.stop_all()


@pytest.fixture(autouse=True)
def _private_media() -> None:
    """Overrides the unit tests' fixture: here every process shares MEDIA_ROOT from the environment."""


@pytest.fixture(autouse=True)
def _fresh_queue() -> Iterator[None]:
    """Each scenario starts with an empty queue and no heartbeats (the database is shared)."""
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    from core.models import WorkerHeartbeat

    connections.close_all()
    DBTaskResult.objects.all().delete()
    WorkerHeartbeat.objects.all().delete()
    yield
    connections.close_all()


print(f"fault tests on {sys.version.split()[0]}, database {os.environ['DATABASE_URL'].rsplit('/', 1)[-1]}")
