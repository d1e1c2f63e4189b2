"""Deployment-shaped run (`.ci/deploy`, issue 11 production 8): the service started as a deployment
starts it, from a virtual environment built from the runtime lock alone.

`.ci/deploy` creates a fresh PostgreSQL database, builds the production venv (`DEPLOY_VENV`), migrates
and collects static files with it, and exports the production environment; this pytest process (the
development venv, without pytest-django) plays the client and the operator: it starts moto's S3
server, an aiosmtpd server, gunicorn and a worker, and inspects the database and the bucket.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

if not os.environ.get("DEPLOY_VENV"):
    raise pytest.UsageError("run the deployment check through .ci/deploy")

from faults.conftest import Processes  # sets Django up on the same database


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    logs = Path(os.environ.get("DEPLOY_LOG_DIR", str(tmp_path)))
    logs.mkdir(parents=True, exist_ok=True)
    procs = Processes(logs)
    yield procs
    procs.stop_all()


@pytest.fixture(autouse=True)
def _private_media() -> None:
    """Overrides the unit tests' fixture: the storage is the S3 bucket from the environment."""
