"""Issue 11, Low: starting a case was check-then-insert without a lock, so two clicks at once could
open two cases of one kind for one applicant. The applicant's row is locked first, so the second
start sees the first's case and gets the usual clear message.

Threads need a database with real row locks: run with DATABASE_URL=postgres://…"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection

from cases import services
from cases.models import Case, Kind
from cases.tests import factories as f

TODAY = date(2025, 11, 20)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _race(start: Callable[[], Case]) -> list[object]:
    outcomes: list[object] = []

    def run() -> None:
        try:
            outcomes.append(start())
        except services.CaseError as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _meet_before_checking(monkeypatch: Any) -> None:
    """Both starts meet after their checks would have begun: without the lock both pass the check."""
    barrier = threading.Barrier(2)
    original = services._refuse_if_open

    def slow_check(applicant: Any, kind: str) -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=3)  # with the lock the second start never gets here in time
        original(applicant, kind)

    monkeypatch.setattr(services, "_refuse_if_open", slow_check)


def test_two_simultaneous_new_case_starts_open_exactly_one_case(monkeypatch):
    world = f.make_world()
    _meet_before_checking(monkeypatch)
    outcomes = _race(lambda: services.start_new_case(world.applicant.user, today=TODAY))
    started = [o for o in outcomes if isinstance(o, Case)]
    refused = [o for o in outcomes if isinstance(o, services.CaseError)]
    assert len(started) == 1 and len(refused) == 1, outcomes
    assert "未办结" in refused[0].message
    assert Case.objects.filter(applicant=world.applicant, kind=Kind.NEW).count() == 1
