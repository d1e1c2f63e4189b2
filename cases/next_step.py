"""Who acts next (issue 10, item 4): for every state of the state machine and every role that can see
the case, who acts next, what they do and which due date applies (BIZ-FLOW, BIZ-TIME-LIMIT).

`STEPS[(flow, state, role)]` is the table; `flow` is `new` (the applicant files) or `employer` (the
employer files: renewal, employer change, information change). Due dates are never copied here:
they come from the case (the district's internal review due `due_on`, the 核准 due `ratify_due_on`) or
from the policy deadlines (REN-DEADLINE / CHG-DEADLINE latest submission day, via `cases.engine`).
The district's internal review due date is shown to staff only; applicants and employers see the
public 办理时限 (六) instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import engine
from cases.models import EMPLOYER_STARTED_KINDS, Case, Kind, State
from cases.workflow import APPLICANT, OPERATOR, RATIFIER, REVIEWER, TRANSITIONS

NEW_FLOW = "new"
EMPLOYER_FLOW = "employer"
FLOWS = (NEW_FLOW, EMPLOYER_FLOW)

NOBODY = ""  # the case is closed: nobody acts

# Which due date a step shows.
DUE_NONE = ""
DUE_SUBMIT_BY = "submit_by"  # REN-DEADLINE / CHG-DEADLINE: the latest submission day (renewal, change)
DUE_REVIEW = "review"  # the district's internal review due (staff only)
DUE_RATIFY = "ratify"  # BIZ-TIME-LIMIT: 核准 due P-RATIFY-WORKING-DAYS after the district's approval
DUE_PUBLIC_LIMIT = "public_limit"  # 六 办理时限, in words (no internal date)

ACTOR_LABELS = {
    APPLICANT: _("申请人"),
    OPERATOR: _("申请单位"),
    REVIEWER: _("海淀区人力社保局"),
    RATIFIER: _("市级主管部门"),
    NOBODY: _("无需再办理"),
}

ALL_ROLES = (APPLICANT, OPERATOR, REVIEWER, RATIFIER)


@dataclass(frozen=True)
class Step:
    """One row of the table: the banner's headline, what is done next, by whom, and which due date."""

    title: Any
    text: Any
    actor: str
    due: str = DUE_NONE


def flow_of(kind: str) -> str:
    return EMPLOYER_FLOW if kind in EMPLOYER_STARTED_KINDS else NEW_FLOW


def roles_that_see(state: str) -> tuple[str, ...]:
    """Who can open a case in `state`: its applicant, its employer's operators and district staff
    always; the municipal authority's ratifiers only while it waits for 核准 (cases.selectors)."""
    if state == State.AWAITING_RATIFICATION:
        return ALL_ROLES
    return (APPLICANT, OPERATOR, REVIEWER)


def _s(title: Any, text: Any, actor: str, due: str = DUE_NONE) -> Step:
    return Step(title, text, actor, due)


_WAIT_EMPLOYER_SUBMIT = _s(
    _("等待单位提交"),
    _("申请单位正在核查您的全部信息及材料，核查无误后提交主管部门；如需修改，单位会退回并说明理由。"),
    OPERATOR,
    DUE_SUBMIT_BY,
)
_OPERATOR_CHECK = _s(
    _("请核查并提交主管部门"),
    _("请逐项核查申请人的信息及材料，完成单位核查后提交主管部门；如需申请人修改，可退回并说明理由。"),
    OPERATOR,
    DUE_SUBMIT_BY,
)
_REVIEWER_WAIT_EMPLOYER = _s(_("等待单位提交"), _("尚未提交主管部门，暂无需处理。"), OPERATOR, DUE_SUBMIT_BY)
_WAIT_APPLICANT_FIX = _s(
    _("等待申请人修改"), _("已退回申请人修改；申请人修改后重新提交单位核查。"), APPLICANT, DUE_SUBMIT_BY
)
_APPLICANT_FIX = _s(
    _("请修改后重新提交"),
    _("请按退回意见修改，再提交申请单位核查。"),
    APPLICANT,
    DUE_SUBMIT_BY,
)
_WAIT_EMPLOYER_FIX = _s(
    _("等待单位修改后重新提交"),
    _("主管部门已退回申请单位修改；单位修改后重新提交主管部门。"),
    OPERATOR,
    DUE_SUBMIT_BY,
)
_EMPLOYER_FIX = _s(
    _("请修改后重新提交"),
    _("主管部门已退回，请按审核意见修改后重新提交主管部门；如需申请人修改，可退回申请人。"),
    OPERATOR,
    DUE_SUBMIT_BY,
)
_WAIT_ACCEPT = _s(
    _("等待主管部门受理"),
    _("海淀区人力社保局将受理并审核；如需修改，会退回并说明理由。"),
    REVIEWER,
    DUE_PUBLIC_LIMIT,
)
_REVIEWER_ACCEPT = _s(
    _("请受理"),
    _("请核对申请后受理（受理当日固定判定结果），或退回并说明理由。"),
    REVIEWER,
    DUE_REVIEW,
)
_WAIT_REVIEW = _s(
    _("等待主管部门审核"),
    _("海淀区人力社保局已受理，正在审核；审核通过后报市级主管部门核准。"),
    REVIEWER,
    DUE_PUBLIC_LIMIT,
)
_REVIEWER_DECIDE = _s(
    _("请审核并作出审核结论"),
    _("请审核材料和判定结果，作出审核通过、不予通过或退回的结论。"),
    REVIEWER,
    DUE_REVIEW,
)
_WAIT_RATIFY = _s(
    _("等待市级核准"),
    _("区级已审核通过，已报市级主管部门核准；核准后证件签发，申请人可打印确认单。"),
    RATIFIER,
    DUE_RATIFY,
)
_RATIFIER_DECIDE = _s(
    _("请核准或退回区级复核"),
    _("请核准区级审核通过的申请（核准后证件签发），或说明理由退回区级复核。"),
    RATIFIER,
    DUE_RATIFY,
)
_APPROVED_APPLICANT = _s(
    _("已核准，可打印确认单"),
    _("市级主管部门已核准，《北京市工作居住证》已签发，请在“我的证件”中打印确认单。"),
    NOBODY,
)
_APPROVED_OTHERS = _s(
    _("已核准，已办结"), _("市级主管部门已核准，证件已签发；申请人可自行打印确认单。"), NOBODY
)
_REJECTED = _s(_("不予通过，已办结"), _("主管部门不予通过，审核意见见下方。"), NOBODY)
_WITHDRAWN = _s(_("已撤回，已办结"), _("该申请已撤回，无需再办理。"), NOBODY)


def _common(flow: str) -> dict[tuple[str, str, str], Step]:
    table: dict[tuple[str, str, str], Step] = {}

    def put(state: str, role: str, step: Step) -> None:
        table[(flow, str(state), role)] = step

    for role, step in ((APPLICANT, _WAIT_EMPLOYER_SUBMIT), (OPERATOR, _OPERATOR_CHECK)):
        put(State.WITH_EMPLOYER, role, step)
    put(State.WITH_EMPLOYER, REVIEWER, _REVIEWER_WAIT_EMPLOYER)
    put(State.RETURNED_TO_APPLICANT, APPLICANT, _APPLICANT_FIX)
    put(State.RETURNED_TO_APPLICANT, OPERATOR, _WAIT_APPLICANT_FIX)
    put(State.RETURNED_TO_APPLICANT, REVIEWER, _WAIT_APPLICANT_FIX)
    put(State.RETURNED_TO_EMPLOYER, APPLICANT, _WAIT_EMPLOYER_FIX)
    put(State.RETURNED_TO_EMPLOYER, OPERATOR, _EMPLOYER_FIX)
    put(State.RETURNED_TO_EMPLOYER, REVIEWER, _WAIT_EMPLOYER_FIX)
    for role in (APPLICANT, OPERATOR):
        put(State.SUBMITTED, role, _WAIT_ACCEPT)
        put(State.ACCEPTED, role, _WAIT_REVIEW)
        put(State.AWAITING_RATIFICATION, role, _WAIT_RATIFY)
    put(State.SUBMITTED, REVIEWER, _REVIEWER_ACCEPT)
    put(State.ACCEPTED, REVIEWER, _REVIEWER_DECIDE)
    put(State.AWAITING_RATIFICATION, REVIEWER, _WAIT_RATIFY)
    put(State.AWAITING_RATIFICATION, RATIFIER, _RATIFIER_DECIDE)
    put(State.APPROVED, APPLICANT, _APPROVED_APPLICANT)
    for role in (OPERATOR, REVIEWER):
        put(State.APPROVED, role, _APPROVED_OTHERS)
    for role in (APPLICANT, OPERATOR, REVIEWER):
        put(State.REJECTED, role, _REJECTED)
        put(State.WITHDRAWN, role, _WITHDRAWN)
    return table


def _build() -> dict[tuple[str, str, str], Step]:
    table = {**_common(NEW_FLOW), **_common(EMPLOYER_FLOW)}
    draft = str(State.DRAFT)
    # 新办: the applicant fills the case in and submits it to the employer.
    table[(NEW_FLOW, draft, APPLICANT)] = _s(
        _("请填写并提交单位核查"),
        _("请完成下列办理事项，核对后提交申请单位核查。"),
        APPLICANT,
    )
    table[(NEW_FLOW, draft, OPERATOR)] = _s(
        _("等待申请人提交"), _("申请人填写完成并提交后，由单位核查。"), APPLICANT
    )
    table[(NEW_FLOW, draft, REVIEWER)] = _s(_("申请人填写中"), _("尚未提交主管部门，暂无需处理。"), APPLICANT)
    # 续签 / 单位变更 / 信息变更: the employer started it; the holder uploads their own materials.
    table[(EMPLOYER_FLOW, draft, APPLICANT)] = _s(
        _("等待单位提交"),
        _("单位已为您发起本业务，您本人的材料已上传；单位核查后提交主管部门，您无需再操作。"),
        OPERATOR,
        DUE_SUBMIT_BY,
    )
    table[(EMPLOYER_FLOW, draft, OPERATOR)] = _OPERATOR_CHECK
    table[(EMPLOYER_FLOW, draft, REVIEWER)] = _REVIEWER_WAIT_EMPLOYER
    return table


STEPS: dict[tuple[str, str, str], Step] = _build()

# The holder of an employer-started case who still has materials to upload (DOC-CHECKLIST).
APPLICANT_UPLOADS_DUE = _s(
    _("请上传您本人的材料"),
    _("单位已为您发起本业务：请在“材料清单”中上传标明由申请人上传的材料，上传后等待单位提交。"),
    APPLICANT,
    DUE_SUBMIT_BY,
)


def states_in_table() -> set[str]:
    """Every state the transition table leaves from or arrives at."""
    states: set[str] = set()
    for (_kind, source, _action), transition in TRANSITIONS.items():
        states.add(source)
        states.add(transition.to_state)
    return states


@dataclass(frozen=True)
class NextStep:
    """The banner for one viewer of one case."""

    title: str
    text: str
    actor: str
    actor_label: str
    you_act: bool
    due_label: str = ""
    due_on: date | None = None
    due_estimated: bool = False
    due_text: str = ""
    state: str = ""


DUE_LABELS = {
    DUE_SUBMIT_BY: _("最晚提交日"),
    DUE_REVIEW: _("审核期限"),
    DUE_RATIFY: _("核准期限"),
}


def step_for(case: Case, role: str, *, applicant_uploads_missing: bool = False) -> Step:
    """The table's row for this case and role (KeyError for a role that cannot see the case)."""
    if (
        role == APPLICANT
        and applicant_uploads_missing
        and case.employer_started
        and case.state == State.DRAFT
    ):
        return APPLICANT_UPLOADS_DUE
    return STEPS[(flow_of(case.kind), str(case.state), role)]


def _submit_by(case: Case, today: date) -> tuple[date | None, bool]:
    """REN-DEADLINE / CHG-DEADLINE: the latest day to submit to the authority (renewal, change)."""
    if case.kind not in (Kind.RENEWAL, Kind.EMPLOYER_CHANGE) or case.permit_expires_on is None:
        return None, False
    try:
        d = engine.case_deadlines(case.permit_expires_on, case.first_submitted_on or today)
    except engine.PolicyError:
        return None, False
    return engine.latest_day(d), bool(d.estimated)


def _public_limit(case: Case, today: date) -> str:
    """六 办理时限 in words, with P-RATIFY-WORKING-DAYS in force (no internal date)."""
    try:
        days = engine.ratify_working_days(case.district_approved_on or today)
    except engine.PolicyError:
        return ""
    return str(
        _("办理时限：自主管部门审核通过之日起%(days)d个工作日内核准；核准后可自行在线打印确认单。")
        % {"days": days}
    )


def next_step(case: Case, role: str, today: date, *, applicant_uploads_missing: bool = False) -> NextStep:
    """Who acts next on `case`, seen by `role`, with the due date that concerns that role."""
    step = step_for(case, role, applicant_uploads_missing=applicant_uploads_missing)
    due_on: date | None = None
    estimated = False
    due_text = ""
    due_kind = step.due
    if due_kind == DUE_REVIEW and role != REVIEWER:
        due_kind = DUE_PUBLIC_LIMIT  # the internal review due is for staff only
    if due_kind == DUE_SUBMIT_BY:
        due_on, estimated = _submit_by(case, today)
    elif due_kind == DUE_REVIEW:
        due_on, estimated = case.due_on, case.due_estimated
    elif due_kind == DUE_RATIFY:
        due_on, estimated = case.ratify_due_on, case.ratify_due_estimated
    elif due_kind == DUE_PUBLIC_LIMIT:
        due_text = _public_limit(case, today)
    return NextStep(
        title=str(step.title),
        text=str(step.text),
        actor=step.actor,
        actor_label=str(ACTOR_LABELS[step.actor]),
        you_act=step.actor == role and step.actor != NOBODY,
        due_label=str(DUE_LABELS.get(due_kind, "")) if due_on else "",
        due_on=due_on,
        due_estimated=estimated,
        due_text=due_text,
        state=str(case.state),
    )


def viewer_role(roles: set[str]) -> str:
    """The role a participant page is shown for: the operator's view wins over the applicant's."""
    for role in (OPERATOR, APPLICANT, REVIEWER, RATIFIER):
        if role in roles:
            return role
    return ""


def banner_for(user: Any, case: Case, role: str = "") -> NextStep | None:
    """The banner for `user` on `case` (role given by staff pages, else the user's relation to it)."""
    from cases import services

    role = role or viewer_role(services.roles_of(user, case))
    if not role or role not in roles_that_see(case.state):
        return None
    today = timezone.localdate()
    uploads_missing = False
    if role == APPLICANT and case.employer_started and case.state == State.DRAFT:
        try:
            uploads_missing = bool(services.missing_materials(case, today, ["applicant"]))
        except engine.PolicyError:  # a checklist the policy cannot build yet: the plain banner
            uploads_missing = False
    return next_step(case, role, today, applicant_uploads_missing=uploads_missing)
