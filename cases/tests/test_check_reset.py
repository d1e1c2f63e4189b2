"""The operator's 单位核查 goes back to not done when the applicant changes facts or materials after it
(issue 10, item 4), with a history line and a message to the operators; tested through the services."""

from __future__ import annotations

from datetime import date

from cases import services
from cases.models import Case, Kind, State
from cases.tests import factories as f
from cases.tests.factories import World
from cases.tests.test_renewal_and_changes import give_permit
from core.models import Notification

TODAY = date(2025, 11, 20)


def checked_renewal(world: World):
    """A renewal the employer started and checked (DRAFT), the holder's materials uploaded."""
    give_permit(world, date(2026, 1, 10))
    case = services.start_employer_case(
        world.operator, applicant=world.applicant, kind=Kind.RENEWAL, today=TODAY
    )
    f.upload_all(case, world.applicant_user, TODAY, "applicant")
    case.refresh_from_db()
    case = f.employer_complete(case, world.operator, TODAY)
    assert set(case.employer_checked) == set(services.EMPLOYER_CHECK_SECTIONS)
    return case


def test_a_file_replaced_by_the_holder_after_the_check_resets_it_and_tells_the_operator(world):
    case = checked_renewal(world)
    item = next(i for i in services.checklist_items(case, TODAY) if i.uploader == "applicant")
    before = Notification.objects.filter(user=world.operator).count()
    services.attach_document(
        world.applicant_user,
        case,
        material=item.id,
        child=item.child,
        uploaded_file=f.pdf("again.pdf"),
        today=TODAY,
    )
    case.refresh_from_db()
    assert case.employer_checked == []
    event = case.events.get(action="employer_check_reset")
    assert event.actor == world.applicant_user and "材料" in event.reason
    assert Notification.objects.filter(user=world.operator).count() == before + 1
    problems = services.submission_problems(case, "employer_submit", TODAY)
    assert any(p.section == "check" for p in problems)


def test_the_operator_s_own_upload_keeps_its_check(world):
    case = checked_renewal(world)
    item = next(i for i in services.checklist_items(case, TODAY) if i.uploader == "employer")
    services.attach_document(
        world.operator, case, material=item.id, child=item.child, uploaded_file=f.pdf("x.pdf"), today=TODAY
    )
    case.refresh_from_db()
    assert set(case.employer_checked) == set(services.EMPLOYER_CHECK_SECTIONS)
    assert not case.events.filter(action="employer_check_reset").exists()


def test_facts_and_income_changed_by_the_applicant_after_a_return_reset_the_check(world):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    case = f.fill_new_case(case, world.applicant_user, TODAY)
    case = services.submit(world.applicant_user, case, version=case.version, today=TODAY)
    case = f.employer_complete(case, world.operator, TODAY)
    case = services.employer_return(
        world.operator, case, version=case.version, today=TODAY, reason="请补充收入记录"
    )
    assert case.state == State.RETURNED_TO_APPLICANT and case.employer_checked
    # Saving the same facts again changes nothing: the check stays.
    case = services.save_case_facts(
        world.applicant_user, case, version=case.version, data={"claimed_clause": 1}
    )
    assert case.employer_checked
    case = services.save_income(
        world.applicant_user,
        case,
        version=case.version,
        monthly=[(m, 22_000, False) for m in f.recent_months(TODAY, 6)],
    )
    assert case.employer_checked == []
    assert case.events.filter(action="employer_check_reset").count() == 1
    case = f.employer_complete(
        services.submit(world.applicant_user, case, version=case.version, today=TODAY), world.operator, TODAY
    )
    case = services.employer_return(world.operator, case, version=case.version, today=TODAY, reason="再改")
    case = services.save_case_facts(
        world.applicant_user, case, version=case.version, data={"claimed_clause": 2}
    )
    assert case.employer_checked == [] and case.events.filter(action="employer_check_reset").count() == 2


def test_a_profile_change_by_the_applicant_after_the_check_resets_it(world):
    """The profile (study and work history, children, photo …) is part of every case's facts."""
    from applicants import services as applicant_services
    from applicants.models import Period

    case = checked_renewal(world)
    applicant = world.applicant
    applicant.refresh_from_db()
    applicant_services.save_period(
        applicant=applicant,
        user=world.applicant_user,
        version=applicant.version,
        fields={"kind": Period.Kind.WORK, "organisation": "又一单位", "start": date(2012, 7, 1)},
    )
    case.refresh_from_db()
    assert case.employer_checked == []
    event = case.events.get(action="employer_check_reset")
    assert event.actor == world.applicant_user and "个人信息" in event.reason


def test_a_profile_change_leaves_a_case_with_the_authority_alone(world):
    from applicants import services as applicant_services

    case = checked_renewal(world)
    Case.objects.filter(pk=case.pk).update(state=State.SUBMITTED)  # with the authority since
    case.refresh_from_db()
    checked = list(case.employer_checked)
    applicant = world.applicant
    applicant.refresh_from_db()
    applicant_services.save_profile_fields(
        applicant=applicant,
        user=world.applicant_user,
        version=applicant.version,
        fields={"hukou_address": "河北省保定市"},
    )
    case.refresh_from_db()
    assert case.employer_checked == checked
    assert not case.events.filter(action="employer_check_reset").exists()
