"""Issue 10 (9): 退回率 counts the returns in each case's history, not the cases returned today.

A case the authority returned (to the applicant or to the employer) and that was then resubmitted is
back in `submitted`/`accepted`: counting by the current state found 0 returns (退回率 0.0%)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from cases import services
from cases.tests import factories as f
from oversight import stats

pytestmark = pytest.mark.django_db
TODAY = date(2025, 11, 20)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _compute() -> stats.Stats:
    return stats.compute(date(2000, 1, 1), timezone.localdate(), expiring_from=TODAY)


def test_a_case_returned_then_resubmitted_counts_as_a_return():
    world = f.make_world()
    case = f.accepted_case(world, TODAY)
    case = services.return_case(
        world.reviewer, case, to="applicant", version=case.version, today=TODAY, opinion="租房合同缺少签字。"
    )
    case = services.submit(world.applicant_user, case, version=case.version, today=TODAY)
    case = services.employer_submit(world.operator, case, version=case.version, today=TODAY)
    assert case.state == "submitted"  # back with the authority: nothing in its state says "returned"
    result = _compute()
    assert (result.returned, result.submitted) == (1, 1)
    assert result.return_rate == 100.0


def test_a_return_to_the_employer_counts_and_an_employer_return_does_not():
    world = f.make_world()
    returned = f.new_case_with_authority(world, TODAY)
    returned = services.return_case(
        world.reviewer, returned, to="employer", version=returned.version, today=TODAY, opinion="未盖章。"
    )
    services.employer_submit(world.operator, returned, version=returned.version, today=TODAY)
    # A second case, returned by the employer to its applicant (before the authority saw it): the
    # authority's 退回率 is about the authority's returns only.
    other = services.start_new_case(world.other_applicant.user, today=TODAY)
    other = f.fill_new_case(other, world.other_applicant.user, TODAY)
    other = services.submit(world.other_applicant.user, other, version=other.version, today=TODAY)
    other_operator = world.other_operator
    other = f.employer_complete(other, other_operator, TODAY)
    other = services.employer_return(
        other_operator, other, version=other.version, today=TODAY, reason="合同页缺失。"
    )
    other = services.submit(world.other_applicant.user, other, version=other.version, today=TODAY)
    services.employer_submit(other_operator, other, version=other.version, today=TODAY)
    result = _compute()
    assert (result.returned, result.submitted) == (1, 2)
    assert result.return_rate == 50.0
