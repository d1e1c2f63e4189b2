"""The state machine as data (BIZ-FLOW): shape of the transition table."""

from __future__ import annotations

from cases.models import EMPLOYER_STARTED_KINDS, FINAL_STATES, Kind, State
from cases.workflow import APPLICANT, OPERATOR, REVIEWER, TRANSITIONS, Action, actions_from

AUTHORITY_ACTIONS = {
    Action.ACCEPT,
    Action.APPROVE,
    Action.REJECT,
    Action.RETURN_TO_EMPLOYER,
    Action.RETURN_TO_APPLICANT,
}


def test_every_kind_reaches_a_decision_through_the_authority():
    for kind in Kind.values:
        assert (kind, State.SUBMITTED, Action.ACCEPT) in TRANSITIONS
        assert (kind, State.ACCEPTED, Action.APPROVE) in TRANSITIONS
        assert (kind, State.ACCEPTED, Action.REJECT) in TRANSITIONS


def test_nothing_leaves_a_final_state():
    assert not [key for key in TRANSITIONS if key[1] in FINAL_STATES]


def test_only_the_authority_accepts_and_decides():
    for (_kind, _state, action), transition in TRANSITIONS.items():
        if action in AUTHORITY_ACTIONS:
            assert transition.roles == {REVIEWER}
        else:
            assert REVIEWER not in transition.roles


def test_withdrawal_only_before_acceptance():
    for (_kind, state, action), transition in TRANSITIONS.items():
        if action == Action.WITHDRAW:
            assert state not in (State.ACCEPTED, *FINAL_STATES)
            assert transition.to_state == State.WITHDRAWN


def test_new_cases_start_with_the_applicant_other_kinds_with_the_employer():
    assert actions_from(Kind.NEW, State.DRAFT, APPLICANT) == [Action.SUBMIT, Action.WITHDRAW]
    assert actions_from(Kind.NEW, State.DRAFT, OPERATOR) == []
    for kind in EMPLOYER_STARTED_KINDS:
        assert actions_from(kind, State.DRAFT, APPLICANT) == [Action.WITHDRAW]
        assert actions_from(kind, State.DRAFT, OPERATOR) == [Action.EMPLOYER_SUBMIT, Action.WITHDRAW]


def test_a_returned_case_is_corrected_and_resubmitted():
    for kind in Kind.values:
        assert TRANSITIONS[(kind, State.RETURNED_TO_APPLICANT, Action.SUBMIT)].to_state == State.WITH_EMPLOYER
        assert (
            TRANSITIONS[(kind, State.RETURNED_TO_EMPLOYER, Action.EMPLOYER_SUBMIT)].to_state
            == State.SUBMITTED
        )
