"""Issue 12: per-page query budgets. Each page is rendered over N and over 3N rows (cases, events,
notifications, permits) and must make the same number of queries: a page whose query count grows
with the data (a query per row) fails here long before it fails under load."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cases.models import Case, CaseEvent, State
from cases.tests import factories as f
from cases.tests.factories import World
from cases.tests.test_views import logged_in
from core.models import Notification

TODAY = date(2025, 11, 20)
N = 3
STATES = [
    State.SUBMITTED,
    State.ACCEPTED,
    State.DRAFT,
    State.APPROVED,
    State.RETURNED_TO_EMPLOYER,
    State.WITHDRAWN,
]


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel("2025-11-20 10:00 +0800", tick=True):
        yield


class Data:
    """Rows added to the world: cases of its employer and applicant in every state (with events),
    notifications for the applicant and the operator, permits of the employer in every status."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.template = f.new_case_with_authority(world, TODAY)
        self.count = 0

    def grow(self, n: int) -> None:
        from permits.models import PermitStatus
        from permits.tests.factories import make_permit

        statuses = [
            PermitStatus.VALID,
            PermitStatus.RENEWAL_DUE,
            PermitStatus.EXPIRED,
            PermitStatus.CANCELLED,
        ]
        for _ in range(n):
            index = self.count
            self.count += 1
            copy = Case.objects.get(pk=self.template.pk)
            copy.pk = None
            copy.public_id = uuid.uuid4()
            copy.reference = f"HD2025{800000 + index}"
            copy.state = STATES[index % len(STATES)]
            copy.due_on = TODAY + timedelta(days=index % 40 - 10)
            copy.claimed_clause = 3 if index % 2 else 1
            copy.kind = "renewal" if index % 2 else "new"
            copy.save()
            CaseEvent.objects.create(case=copy, actor=self.world.operator, action="employer_submit")
            for user in (self.world.applicant_user, self.world.operator):
                Notification.objects.create(user=user, subject=f"通知{index}", body="正文", url="/")
            make_permit(
                employer=self.world.employer,
                issued_on=date(2023, 1, 1) + timedelta(days=index),
                expires_on=date(2026, 1, 1) + timedelta(days=index),
                status=statuses[index % len(statuses)],
            )


def _queries(client: Client, url: str) -> int:
    client.get(url)  # warm: first-request work (sessions, caches) is not the page's budget
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries.captured_queries)


PAGES: list[tuple[str, str, Callable[[World], object]]] = [
    ("reviewer queue", "/cases/review/", lambda w: w.reviewer),
    ("reviewer queue, kind + clause", "/cases/review/?kind=renewal&clause=3", lambda w: w.reviewer),
    ("reviewer queue, accepted", "/cases/review/?state=accepted", lambda w: w.reviewer),
    ("employer case list", "/cases/", lambda w: w.operator),
    ("employer home", "/", lambda w: w.operator),
    ("employer permits (by employer, newest first)", "/permits/", lambda w: w.operator),
    ("applicant home", "/", lambda w: w.applicant_user),
    ("applicant case list", "/cases/", lambda w: w.applicant_user),
    ("inbox", "/inbox/", lambda w: w.applicant_user),
]


@pytest.mark.django_db
def test_page_query_counts_do_not_grow_with_the_data(world: World):
    data = Data(world)
    data.grow(N)
    before = {label: _queries(logged_in(user(world)), url) for label, url, user in PAGES}
    data.grow(2 * N)
    after = {label: _queries(logged_in(user(world)), url) for label, url, user in PAGES}
    assert after == before


@pytest.mark.django_db
def test_long_lists_are_keyset_paginated_without_offset(world: World):
    """The employer's case list and permits are read a page at a time (no OFFSET), next page by cursor."""
    data = Data(world)
    data.grow(55)
    client = logged_in(world.operator)
    for url in ("/cases/", "/permits/"):
        page = client.get(url).content.decode()
        assert 'href="?after=' in page, url
        cursor = page.split('href="?after=')[1].split('"')[0]
        with CaptureQueriesContext(connection) as queries:
            second = client.get(f"{url}?after={cursor}")
        assert second.status_code == 200
        assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)
        assert 'href="?after=' not in second.content.decode()  # 56 rows: two pages
    first = client.get("/cases/").content.decode()
    cursor = first.split('href="?after=')[1].split('"')[0]
    seen = first + client.get(f"/cases/?after={cursor}").content.decode()
    assert all(c.reference in seen for c in Case.objects.filter(employer=world.employer))
    assert client.get("/cases/?after=garbage").status_code == 200
    assert client.get("/permits/?after=garbage").status_code == 200
