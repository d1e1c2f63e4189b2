"""Fixtures of the eligibility tests: the contract examples, users of each role, a clean cache."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from accounts.models import Role
from accounts.testing import login_staff, make_user
from eligibility import services

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"


def load_examples() -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(EXAMPLES_DIR.glob("*.json"))]


def example(name: str) -> dict[str, Any]:
    return copy.deepcopy(json.loads((EXAMPLES_DIR / f"{name}.json").read_text(encoding="utf-8")))


@pytest.fixture(autouse=True)
def _fresh_state():
    cache.clear()
    services.invalidate_cache()
    yield
    cache.clear()
    services.invalidate_cache()


@pytest.fixture
def supervisor(db):
    return make_user(Role.SUPERVISOR)


@pytest.fixture
def supervisor_client(client, supervisor):
    login_staff(client, supervisor)
    return client
