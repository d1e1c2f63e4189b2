"""`manage.py run_worker`: django-tasks-db's worker that survives the database and recovers work.

- waits and reconnects with exponential backoff (1 s doubling up to 30 s) when the database is away,
  instead of exiting as `db_worker` does;
- refreshes a heartbeat row every few seconds (a thread), so tasks of a worker killed mid-task are
  handed to another worker (`core.recovery`);
- runs periodic jobs: hand back stale tasks, send due outbox mail, resume stalled inspections, sweep
  orphan files (`core.recovery.periodic_jobs`).

Run several under a supervisor that restarts them (deploy/permits-worker@.service, Procfile).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connections
from django.db.utils import InterfaceError, OperationalError
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks_db.management.commands.db_worker import Worker

from core import recovery

logger = logging.getLogger("core.worker")
DATABASE_ERRORS = (OperationalError, InterfaceError)
MAX_BACKOFF = 30.0


class Command(BaseCommand):
    help = "Run a background worker that reconnects to the database and recovers interrupted tasks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue-name", default="default", help="queues, comma-separated ('*' for all)")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls when idle")
        parser.add_argument("--heartbeat", type=float, default=5.0, help="seconds between heartbeats")
        parser.add_argument(
            "--worker-id", default="", help="unique id (default: host, pid and a random part)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        hostname = socket.gethostname()
        worker_id = options["worker_id"] or f"rw-{hostname[:30]}-{os.getpid()}-{get_random_string(6)}"
        worker = Worker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        stop = threading.Event()
        thread = threading.Thread(
            target=self.maintain,
            args=(worker_id, hostname, options["heartbeat"], stop),
            name="worker-maintenance",
            daemon=True,
        )
        thread.start()
        worker.configure_signals()
        logger.info("worker %s started (pid %s)", worker_id, os.getpid())
        try:
            self.supervise(worker, worker_id)
        finally:
            stop.set()
            thread.join(timeout=10)
            with contextlib.suppress(*DATABASE_ERRORS):
                recovery.forget(worker_id)
            logger.info("worker %s stopped", worker_id)

    def supervise(self, worker: Worker, worker_id: str) -> None:
        """Run the worker loop; on a database error wait (backoff), reconnect and go on."""
        backoff = 1.0
        while worker.running:
            started = time.monotonic()
            try:
                recovery.requeue_stale(
                    own_worker_id=worker_id
                )  # tasks this process was running when it lost the database
                worker.run()
                return
            except DATABASE_ERRORS as exc:
                if time.monotonic() - started > 60:
                    backoff = 1.0
                logger.warning(
                    "worker %s: database unavailable (%s); retrying in %.0f s",
                    worker_id,
                    type(exc).__name__,
                    backoff,
                )
                worker.running_task = False
                connections.close_all()
                self.sleep(worker, backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)

    @staticmethod
    def sleep(worker: Worker, seconds: float) -> None:
        end = time.monotonic() + seconds
        while worker.running and time.monotonic() < end:
            time.sleep(0.2)

    def maintain(self, worker_id: str, hostname: str, every: float, stop: threading.Event) -> None:
        """Heartbeat and periodic jobs, in a thread with its own database connection."""
        jobs = [(path, interval, 0.0) for path, interval in recovery.periodic_jobs()]
        while not stop.is_set():
            close_old_connections()
            try:
                recovery.beat(worker_id, hostname=hostname, pid=os.getpid())
            except Exception as exc:  # database away: the main loop waits for it too
                logger.warning("worker %s: heartbeat failed (%s)", worker_id, type(exc).__name__)
                connections.close_all()
                stop.wait(every)
                continue
            now = time.monotonic()
            for index, (path, interval, last) in enumerate(jobs):
                if now - last < interval:
                    continue
                jobs[index] = (path, interval, now)
                try:
                    import_string(path)()
                except Exception:
                    logger.exception("worker %s: periodic job %s failed", worker_id, path)
                    connections.close_all()
            stop.wait(every)
        connections.close_all()
