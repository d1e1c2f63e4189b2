"""One door for parameters (issue 9 item 2): a value a supervisor enters in the back office
(eligibility parameter versions) reaches the case's due date, the renewal window, the reminders,
the inspection, the permit's term and the checklist — no copy of a guide figure anywhere else."""

from __future__ import annotations

from datetime import date

import pytest

from cases import engine, services
from cases.models import Case, Kind
from cases.tests.factories import World
from eligibility.services import add_parameter_value, invalidate_cache
from oversight.inspection import overdue_expiry_limit
from permits.lifecycle import default_calendar, run_daily
from permits.models import Permit, PermitStatus, ReminderKind, SentReminder
from permits.services import next_number, term_end

GUIDE_EXPIRY = date(2022, 8, 6)  # 续签 example: complete by 2022-08-05, latest working day Fri 2022-07-08
CITATION = "测试：主管人员录入的新取值"


@pytest.fixture
def enter(world: World, django_capture_on_commit_callbacks):
    """Enter a parameter value as the supervisor, as the back-office form does."""

    def _enter(parameter_id: str, value: str, effective_from: date = date(2021, 1, 1)) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            add_parameter_value(
                world.supervisor,
                parameter_id=parameter_id,
                effective_from=effective_from,
                value=value,
                citation=CITATION,
            )
        invalidate_cache()

    return _enter


def give_permit(world: World, expires_on: date, status: str = PermitStatus.VALID) -> Permit:
    return Permit.objects.create(
        number=next_number(2020),
        holder=world.applicant,
        employer=world.employer,
        issued_on=date(2020, 1, 1),
        expires_on=expires_on,
        status=status,
    )


def renewal(world: World, day: date) -> Case:
    return services.start_employer_case(
        world.operator, applicant=world.applicant, kind=Kind.RENEWAL, today=day
    )


def test_p_lead_working_days_reaches_due_date_deadlines_reminders_and_inspection(world, enter):
    give_permit(world, GUIDE_EXPIRY, PermitStatus.RENEWAL_DUE)
    case = renewal(world, date(2022, 6, 6))
    calendar = default_calendar()
    # Before: the guide's 20 working days.
    assert engine.review_due(date(2022, 7, 8)) == (calendar.add_working_days(date(2022, 7, 8), 20), False)
    assert engine.latest_day(engine.case_deadlines(GUIDE_EXPIRY, date(2022, 7, 8))) <= date(2022, 7, 10)
    assert services.deadline_problems(case, date(2022, 7, 4)) == []
    limit_before = overdue_expiry_limit(date(2022, 7, 11), calendar)

    enter("P-LEAD-WORKING-DAYS", "25")

    # The case's due date (the district's review target) counts 25 working days.
    assert engine.review_due(date(2022, 7, 8)) == (calendar.add_working_days(date(2022, 7, 8), 25), False)
    # The renewal deadline: 25 working days back from 2022-08-05 is Fri 2022-07-01.
    d = engine.case_deadlines(GUIDE_EXPIRY, date(2022, 7, 4))
    assert not d.in_time and engine.latest_day(d) <= date(2022, 7, 3)
    late = services.deadline_problems(case, date(2022, 7, 4))
    assert [p.section for p in late] == ["late"] and "25" in late[0].message
    # The reminder aims at the new latest day: five working days before it, not before the old one.
    run_daily(date(2022, 6, 24), calendar)
    assert SentReminder.objects.filter(kind=ReminderKind.DEADLINE_NEAR).count() == 1
    # The inspection's overdue limit follows the lead time too.
    assert overdue_expiry_limit(date(2022, 7, 11), calendar) != limit_before


def test_p_lead_working_days_unchanged_sends_no_early_reminder(world):
    give_permit(world, GUIDE_EXPIRY, PermitStatus.RENEWAL_DUE)
    run_daily(date(2022, 6, 24), default_calendar())  # 10 working days before Fri 2022-07-08
    assert not SentReminder.objects.filter(kind=ReminderKind.DEADLINE_NEAR).exists()


def test_p_renewal_window_days_reaches_the_window_statuses_and_reminders(world, enter):
    give_permit(world, GUIDE_EXPIRY)
    early = date(2022, 5, 16)  # complete_by − 81 days: outside a 60-day window, inside a 90-day one
    with pytest.raises(services.TransitionNotAllowed, match="REN-WINDOW"):
        renewal(world, early)  # refused at start with the dates
    case = renewal(world, date(2022, 6, 6))
    refused = services.deadline_problems(case, early)
    assert len(refused) == 1 and "REN-WINDOW" in refused[0].message and "60" in refused[0].message
    run_daily(early, default_calendar())
    assert Permit.objects.get().status == PermitStatus.VALID

    enter("P-RENEWAL-WINDOW-DAYS", "90")

    assert services.deadline_problems(case, early) == []
    assert services.start_deadline_refusal(Kind.RENEWAL, GUIDE_EXPIRY, early) == ""
    assert engine.case_deadlines(GUIDE_EXPIRY, early).window_opens == date(2022, 5, 7)
    run_daily(early, default_calendar())
    assert Permit.objects.get().status == PermitStatus.RENEWAL_DUE
    assert SentReminder.objects.filter(kind=ReminderKind.WINDOW_OPEN).count() == 1
    assert Permit.objects.get().window_opens(early) == date(2022, 5, 7)


def test_p_permit_validity_years_reaches_the_permit_term(world, enter):
    world.association.contract_ends_on = None
    world.association.save()
    assert term_end(date(2022, 3, 1), world.applicant, world.employer) == date(2025, 3, 1)
    enter("P-PERMIT-VALIDITY-YEARS", "5")
    assert term_end(date(2022, 3, 1), world.applicant, world.employer) == date(2027, 3, 1)


def test_p_cl7_amounts_reach_the_checklist(world, today, enter):
    case = services.start_new_case(world.applicant_user, today=today)
    startup = {
        "self_investment_3y": 6_000_000,
        "equity_financing": 0,
        "average_annual_tax_3y": 0,
        "shareholding_percent": 10,
        "shareholder_rank": 1,
    }
    case = services.save_case_facts(
        world.applicant_user,
        case,
        version=case.version,
        data={"claimed_clause": 7, "evidence": {"startup": startup}},
    )
    wanted = {m.id for m in services.checklist_items(case, today)}
    assert "CAPITAL-VERIFICATION" in wanted and "BANK-TRANSFERS" not in wanted
    enter("P-CL7-SELF-INVESTMENT", "8000000")
    # 6,000,000 no longer exceeds the amount in force: no route holds, so every route's material.
    wanted = {m.id for m in services.checklist_items(case, today)}
    assert {"CAPITAL-VERIFICATION", "BANK-TRANSFERS", "TAX-3Y"} <= wanted
