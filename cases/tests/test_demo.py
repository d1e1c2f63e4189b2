"""Demo cases load after the other contexts' demo data and are idempotent."""

from __future__ import annotations

import pytest

from cases import demo
from cases.models import Case, CheckOverride, State


@pytest.mark.django_db
def test_demo_cases_in_several_states_and_idempotent():
    from accounts import demo as accounts_demo
    from applicants import demo as applicants_demo
    from employers import demo as employers_demo

    accounts_demo.load()
    applicants_demo.load()
    employers_demo.load()
    logins = demo.load()
    states = {
        case.applicant.user.username: case.state for case in Case.objects.select_related("applicant__user")
    }
    assert states == {
        "applicant1": State.SUBMITTED,
        "applicant5": State.RETURNED_TO_APPLICANT,
        "applicant6": State.DRAFT,
        "applicant7": State.ACCEPTED,
    }
    returned = Case.objects.get(applicant__user__username="applicant5")
    event = returned.events.get(action="return_to_applicant")
    assert event.opinion and event.tips
    assert {login.username for login in logins} >= {"applicant1", "applicant5", "applicant6", "applicant7"}
    waiting = CheckOverride.objects.get(snapshot__case__applicant__user__username="applicant7")
    assert waiting.status == CheckOverride.Status.PROPOSED and waiting.by.username == "reviewer"
    count = Case.objects.count()
    demo.load()
    assert Case.objects.count() == count
    assert CheckOverride.objects.count() == 1
