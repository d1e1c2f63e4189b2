"""Two reviewers deciding the same case at the same moment: exactly one decision is recorded."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection

from cases import services
from cases.models import Case, State
from cases.tests import factories as f

TODAY = date(2025, 11, 20)


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_deciding_at_once_record_exactly_one_decision():
    world = f.make_world()
    case = f.accepted_case(world, TODAY)
    version = case.version
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}
    copies = {name: Case.objects.get(pk=case.pk) for name in ("first", "second")}

    def decide(name: str, action: str) -> None:
        reviewer = world.reviewer if name == "first" else world.other_reviewer
        try:
            fresh = copies[name]
            barrier.wait(timeout=10)
            if action == "approve":
                services.approve(reviewer, fresh, version=version, today=TODAY)
            else:
                services.reject(reviewer, fresh, version=version, today=TODAY, opinion="不符合条件")
            outcomes[name] = "done"
        except services.CaseError as exc:
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=("first", "approve")),
        threading.Thread(target=decide, args=("second", "reject")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    done = [name for name, outcome in outcomes.items() if outcome == "done"]
    refused = [outcome for outcome in outcomes.values() if isinstance(outcome, services.CaseError)]
    assert len(done) == 1 and len(refused) == 1
    assert refused[0].message  # a clear message, not a crash
    case.refresh_from_db()
    assert case.state in (State.AWAITING_RATIFICATION, State.REJECTED)  # approval hands over to 核准
    assert case.events.filter(action__in=["approve", "reject"]).count() == 1
    assert case.version == version + 1


def test_a_stale_decision_form_is_refused(world):
    case = f.accepted_case(world, TODAY)
    stale = case.version
    services.assign(world.supervisor, case, reviewer=world.reviewer)  # someone changed the case
    with pytest.raises(services.StaleCase):
        services.approve(world.reviewer, case, version=stale, today=TODAY)
    case.refresh_from_db()
    assert case.state == State.ACCEPTED
