"""The state machine of every business type, as data (BIZ-FLOW).

`TRANSITIONS[(kind, from_state, action)] = Transition(to_state, roles)`. Roles are the actor's
relation to the case, not only their account role:

- `applicant`: the applicant of the case;
- `operator`: an operator of the case's employer;
- `reviewer`: district staff (reviewer or supervisor);
- `ratifier`: the municipal authority's 核准 (BIZ-TIME-LIMIT).

新办 (new): the applicant fills and submits → the employer checks every field and material, then
submits to the authority or returns it to the applicant → the reviewer accepts (受理) and approves,
rejects, or returns to the employer or the applicant → the district's approval goes to the municipal
authority, which ratifies it (核准: only then is the permit issued) or returns it to the district with
a reason (BIZ-TIME-LIMIT, 六 办理时限). Renewal, employer change and information change
are started by the employer (the applicant uploads their own materials) and submitted by it.
Applicants may withdraw before acceptance; for the employer-started types the employer may too.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cases.models import EMPLOYER_STARTED_KINDS, Kind, State

APPLICANT = "applicant"
OPERATOR = "operator"
REVIEWER = "reviewer"
RATIFIER = "ratifier"


class Action:
    SUBMIT = "submit"  # applicant → employer
    EMPLOYER_SUBMIT = "employer_submit"  # employer → authority
    EMPLOYER_RETURN = "employer_return"  # employer → applicant
    ACCEPT = "accept"  # 受理
    APPROVE = "approve"
    REJECT = "reject"
    RETURN_TO_EMPLOYER = "return_to_employer"
    RETURN_TO_APPLICANT = "return_to_applicant"
    WITHDRAW = "withdraw"
    RATIFY = "ratify"  # 核准 by the municipal authority
    RETURN_TO_DISTRICT = "return_to_district"  # the municipal authority returns it to the district


ACTION_LABELS = {
    "create": _("创建申请"),
    Action.SUBMIT: _("申请人提交单位核查"),
    Action.EMPLOYER_SUBMIT: _("单位提交主管部门"),
    Action.EMPLOYER_RETURN: _("单位退回申请人修改"),
    Action.ACCEPT: _("主管部门受理"),
    Action.APPROVE: _("区级审核通过"),
    Action.RATIFY: _("市级核准"),
    Action.RETURN_TO_DISTRICT: _("市级退回区级复核"),
    Action.REJECT: _("不予通过"),
    Action.RETURN_TO_EMPLOYER: _("主管部门退回单位"),
    Action.RETURN_TO_APPLICANT: _("主管部门退回申请人"),
    Action.WITHDRAW: _("撤回申请"),
    "assign": _("分配审核人员"),
    "override": _("提出人工判定"),
    "override_approved": _("主管批准人工判定"),
    "override_refused": _("主管不批准人工判定"),
    "acknowledge_late": _("确认逾期提交风险"),
    "employer_check_reset": _("申请人修改后单位核查须重新完成"),
    "income_from_scan": _("按收入记录扫描件填写月度收入"),
    "income_import": _("导入应税收入记录"),
}

# Actions that need a written reason (an opinion for returns and rejections).
REASON_REQUIRED = frozenset(
    {
        Action.EMPLOYER_RETURN,
        Action.REJECT,
        Action.RETURN_TO_EMPLOYER,
        Action.RETURN_TO_APPLICANT,
        Action.RETURN_TO_DISTRICT,
    }
)
# Actions that carry the authority's binding opinion and optional non-binding tips.
OPINION_ACTIONS = frozenset({Action.REJECT, Action.RETURN_TO_EMPLOYER, Action.RETURN_TO_APPLICANT})


@dataclass(frozen=True)
class Transition:
    to_state: str
    roles: frozenset[str]


ALL_KINDS = tuple(Kind.values)
_EMPLOYER_KINDS = tuple(str(kind) for kind in EMPLOYER_STARTED_KINDS)


def _build() -> dict[tuple[str, str, str], Transition]:
    table: dict[tuple[str, str, str], Transition] = {}

    def add(kinds: tuple[str, ...], sources: tuple[str, ...], action: str, to: str, *roles: str) -> None:
        for kind in kinds:
            for source in sources:
                table[(kind, source, action)] = Transition(to, frozenset(roles))

    new = (str(Kind.NEW),)
    # Applicant side.
    add(new, (State.DRAFT,), Action.SUBMIT, State.WITH_EMPLOYER, APPLICANT)
    add(ALL_KINDS, (State.RETURNED_TO_APPLICANT,), Action.SUBMIT, State.WITH_EMPLOYER, APPLICANT)
    # Employer side.
    add(ALL_KINDS, (State.WITH_EMPLOYER,), Action.EMPLOYER_SUBMIT, State.SUBMITTED, OPERATOR)
    add(_EMPLOYER_KINDS, (State.DRAFT,), Action.EMPLOYER_SUBMIT, State.SUBMITTED, OPERATOR)
    add(ALL_KINDS, (State.RETURNED_TO_EMPLOYER,), Action.EMPLOYER_SUBMIT, State.SUBMITTED, OPERATOR)
    add(
        ALL_KINDS,
        (State.WITH_EMPLOYER, State.RETURNED_TO_EMPLOYER),
        Action.EMPLOYER_RETURN,
        State.RETURNED_TO_APPLICANT,
        OPERATOR,
    )
    # Authority.
    add(ALL_KINDS, (State.SUBMITTED,), Action.ACCEPT, State.ACCEPTED, REVIEWER)
    add(ALL_KINDS, (State.ACCEPTED,), Action.APPROVE, State.AWAITING_RATIFICATION, REVIEWER)
    # Municipal 核准 (BIZ-TIME-LIMIT).
    add(ALL_KINDS, (State.AWAITING_RATIFICATION,), Action.RATIFY, State.APPROVED, RATIFIER)
    add(ALL_KINDS, (State.AWAITING_RATIFICATION,), Action.RETURN_TO_DISTRICT, State.ACCEPTED, RATIFIER)
    add(ALL_KINDS, (State.ACCEPTED,), Action.REJECT, State.REJECTED, REVIEWER)
    for action, to in (
        (Action.RETURN_TO_EMPLOYER, State.RETURNED_TO_EMPLOYER),
        (Action.RETURN_TO_APPLICANT, State.RETURNED_TO_APPLICANT),
    ):
        add(ALL_KINDS, (State.SUBMITTED, State.ACCEPTED), action, to, REVIEWER)
    # Withdrawal before acceptance.
    before_acceptance = (
        State.DRAFT,
        State.WITH_EMPLOYER,
        State.RETURNED_TO_APPLICANT,
        State.RETURNED_TO_EMPLOYER,
        State.SUBMITTED,
    )
    add(new, before_acceptance, Action.WITHDRAW, State.WITHDRAWN, APPLICANT)
    add(_EMPLOYER_KINDS, before_acceptance, Action.WITHDRAW, State.WITHDRAWN, APPLICANT, OPERATOR)
    return table


TRANSITIONS: dict[tuple[str, str, str], Transition] = _build()


def transition_for(kind: str, state: str, action: str) -> Transition | None:
    return TRANSITIONS.get((str(kind), str(state), action))


def actions_from(kind: str, state: str, role: str) -> list[str]:
    """The actions an actor in `role` may take on a case of `kind` in `state`, in table order."""
    return [
        action
        for (k, s, action), transition in TRANSITIONS.items()
        if k == str(kind) and s == str(state) and role in transition.roles
    ]
