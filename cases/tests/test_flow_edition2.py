"""Edition 2 case flow (issue 9 item 3): the facts the engine needs come from records, a late
renewal or change goes to the reviewer at the submitter's acknowledged risk, an estimated deadline
never blocks, a migrated holder's employer change, CHG-RENEW-FIRST warnings."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applicants.models import Child
from cases import services
from cases.facts import facts_for_case
from cases.models import Case, Kind, State
from cases.tests import factories as f
from cases.tests.factories import World
from materials.services import store_upload
from permits.models import Permit
from permits.services import next_number

GUIDE_EXPIRY = date(2022, 8, 6)  # 续签 example: expiry 2022.8.6 → complete by 2022.8.5


def give_permit(world: World, expires_on: date, *, employer=None, migrated: bool = False) -> Permit:
    return Permit.objects.create(
        number=next_number(2020),
        holder=world.applicant,
        employer=employer or world.employer,
        issued_on=date(2020, 1, 1),
        expires_on=expires_on,
        migrated=migrated,
    )


def start(world: World, kind: str, today: date, **extra) -> Case:
    return services.start_employer_case(
        world.operator, applicant=world.applicant, kind=kind, today=today, **extra
    )


def complete_renewal(world: World, case: Case, today: date) -> Case:
    case = services.save_income(
        world.operator,
        case,
        version=case.version,
        monthly=[(m, 20_000, False) for m in f.recent_months(today, 36)],
    )
    f.upload_all(case, world.applicant_user, today, "applicant")
    case.refresh_from_db()
    return f.employer_complete(case, world.operator, today)


# --- facts from records -------------------------------------------------------------------------


def test_ren_income_3y_held_since_and_migrated_come_from_the_permit(world, today):
    give_permit(world, date(2026, 1, 10), migrated=True)
    case = start(world, Kind.RENEWAL, today)
    assert case.permit_held_since == date(2020, 1, 1) and case.permit_migrated is True
    permit = facts_for_case(case, as_of=today)["permit"]
    assert permit["held_since"] == "2020-01-01"
    assert permit["migrated"] is True


def test_app_income_integrity_original_amount_of_a_corrected_month_is_stored_and_used(world, today):
    case = services.start_new_case(world.applicant_user, today=today)
    months = f.recent_months(today, 6)
    case = services.save_income(
        world.applicant_user,
        case,
        version=case.version,
        monthly=[(months[0], 21_000, True, 17_000), *[(m, 21_000, False) for m in months[1:]]],
    )
    incomes = facts_for_case(case, as_of=today)["applicant"]["monthly_income"]
    assert incomes[0] == {
        "month": months[0].strftime("%Y-%m"),
        "amount": 21_000,
        "corrected": True,
        "original_amount": 17_000,
    }
    assert "original_amount" not in incomes[1]
    with pytest.raises(services.CaseError):
        services.save_income(
            world.applicant_user, case, version=case.version, monthly=[(months[0], 21_000, False, 17_000)]
        )


def test_child_minor_children_added_by_an_information_change_and_sole_custody_from_the_profile(world, today):
    give_permit(world, date(2027, 1, 10))
    older = Child.objects.create(
        applicant=world.applicant,
        name="王大",
        birth_date=date(2008, 1, 1),
        parents="divorced",
        sole_custody=True,
    )
    younger = Child.objects.create(applicant=world.applicant, name="王小", birth_date=date(2016, 1, 1))
    case = start(world, Kind.INFO_CHANGE, today, info_change_kinds=["child"])
    children = facts_for_case(case, as_of=today)["applicant"]["children"]
    # Nothing ticked: the contract's default (every child of an information change about children).
    assert [c.get("added") for c in children] == [None, None]
    assert children[0]["sole_custody"] is True and "sole_custody" not in children[1]
    case = services.save_case_facts(
        world.operator,
        case,
        version=case.version,
        data={"added_children": [str(younger.public_id), "not-a-child-of-this-applicant"]},
    )
    assert case.added_children == [str(younger.public_id)]
    children = facts_for_case(case, as_of=today)["applicant"]["children"]
    assert [c["added"] for c in children] == [False, True]
    assert older.public_id  # the adult child is on the permit already and is not judged again


def test_submitted_on_is_the_first_submission_a_resubmission_after_a_return_keeps_it(world, today):
    case = f.new_case_with_authority(world, today)
    assert case.first_submitted_on == today == case.submitted_on
    case = services.return_case(
        world.reviewer, case, version=case.version, today=today, to="employer", opinion="请补正"
    )
    later = date(2025, 11, 27)
    case = services.employer_submit(world.operator, case, version=case.version, today=later)
    assert case.submitted_on == later and case.first_submitted_on == today
    case = services.accept(world.reviewer, case, version=case.version, today=later)
    snapshot = services.latest_snapshot(case)
    assert snapshot is not None
    assert snapshot.facts["submitted_on"] == today.isoformat()
    assert snapshot.facts["as_of"] == later.isoformat()


# --- late submissions (REN-DEADLINE / CHG-DEADLINE, edition 2) -----------------------------------


def test_ren_deadline_late_renewal_acknowledged_reaches_the_reviewer_as_review(world):
    """续签 注意事项 4: 未按时间提交…责任由申请单位及申请人承担 — late is the submitter's risk."""
    world.association.contract_ends_on = date(2030, 12, 31)
    world.association.save()
    give_permit(world, GUIDE_EXPIRY)
    day = date(2022, 7, 11)  # the Monday after the latest working day (Fri 2022-07-08)
    case = complete_renewal(world, start(world, Kind.RENEWAL, date(2022, 7, 1)), day)
    with pytest.raises(services.SubmissionBlocked):
        services.employer_submit(world.operator, case, version=case.version, today=day)
    case.refresh_from_db()
    case = services.transition(
        world.operator, case, "employer_submit", version=case.version, today=day, acknowledge_late=True
    )
    assert case.state == State.SUBMITTED and case.late_risk_acknowledged_at is not None
    case = services.accept(world.reviewer, case, version=case.version, today=day)
    snapshot = services.latest_snapshot(case)
    assert snapshot is not None
    outcome = {c["rule"]: c["outcome"] for c in snapshot.result["checks"]}
    assert outcome["REN-DEADLINE"] == "review"
    assert any("REN-DEADLINE" in p for p in services.approval_problems(case, snapshot))


def test_ren_deadline_a_resubmission_after_a_return_is_judged_on_the_first_submission_day(world):
    give_permit(world, GUIDE_EXPIRY)
    first = date(2022, 7, 8)  # the latest working day: in time
    case = complete_renewal(world, start(world, Kind.RENEWAL, date(2022, 7, 1)), first)
    case = services.employer_submit(world.operator, case, version=case.version, today=first)
    case = services.return_case(
        world.reviewer, case, version=case.version, today=first, to="employer", opinion="请补正"
    )
    # Resubmitted after the latest day: still in time, because the first submission was.
    assert services.deadline_problems(case, date(2022, 7, 20)) == []
    assert not services.is_late(case, date(2022, 7, 20))


def test_cal_working_days_an_estimated_deadline_never_blocks(world):
    """CAL-WORKING-DAYS: an unpublished year gives a marked estimate that never blocks a submission."""
    give_permit(world, date(2027, 2, 10))  # complete_by 2027-02-09: the 2027 calendar is not published
    case = start(world, Kind.RENEWAL, date(2027, 1, 1))
    day = date(2027, 1, 25)  # fewer than the lead working days before complete_by
    deadlines = services._deadline_dates(case, day)
    assert deadlines is not None and deadlines[0].estimated and not deadlines[0].in_time
    assert services.deadline_problems(case, day) == []
    assert any("估算" in w for w in services.deadline_warnings(case, day))


# --- migrated holders (CHG-RESIGNATION, edition 2) -----------------------------------------------


def test_chg_resignation_a_migrated_holder_s_change_starts_without_a_former_association(world):
    give_permit(world, GUIDE_EXPIRY, employer=world.other_employer, migrated=True)
    day = date(2022, 6, 1)
    case = start(world, Kind.EMPLOYER_CHANGE, day)
    assert case.former_employer == world.other_employer and case.former_association is None
    wanted = {(m.id, m.uploader) for m in services.checklist_items(case, day)}
    assert ("RESIGNATION-CERT", "applicant") in wanted
    link = services.attach_document(
        world.applicant_user,
        case,
        material="RESIGNATION-CERT",
        uploader="applicant",
        child=None,
        uploaded_file=f.pdf("resignation.pdf"),
        issued_on=date(2022, 5, 20),
    )
    assert link.document.uploaded_by == world.applicant_user


def test_chg_resignation_a_permit_issued_here_still_needs_the_former_employer(world):
    give_permit(world, GUIDE_EXPIRY, employer=world.other_employer, migrated=False)
    with pytest.raises(services.TransitionNotAllowed, match="CHG-RESIGNATION"):
        start(world, Kind.EMPLOYER_CHANGE, date(2022, 6, 1))


def test_chg_resignation_certificate_on_file_when_the_former_employer_left_it(world):
    give_permit(world, GUIDE_EXPIRY, employer=world.other_employer)
    store_upload(
        uploaded_file=SimpleUploadedFile("leave.pdf", f.PDF),
        material="RESIGNATION-CERT",
        uploaded_by=world.other_operator,
        employer=world.other_employer,
        applicant=world.applicant,
        issued_on=date(2022, 5, 31),
    )
    f.associate(world.applicant, world.other_employer, status="dissociated", left_on=date(2022, 5, 31))
    case = start(world, Kind.EMPLOYER_CHANGE, date(2022, 6, 1))
    from cases.facts import resignation_cert_on_file

    assert resignation_cert_on_file(case) is True


# --- CHG-RENEW-FIRST ------------------------------------------------------------------------------


def test_chg_renew_first_warns_when_complete_by_is_less_than_twice_the_lead_time_away(world):
    give_permit(world, GUIDE_EXPIRY, employer=world.other_employer, migrated=True)
    case = start(world, Kind.EMPLOYER_CHANGE, date(2022, 5, 1))
    # From Sun 2022-06-12, 40 working days remain to 2022-08-05 (2 × 20): no warning; from Mon
    # 2022-06-13, 39 remain: warned.
    assert services.renew_first_warnings(GUIDE_EXPIRY, date(2022, 6, 12)) == []
    warned = services.renew_first_warnings(GUIDE_EXPIRY, date(2022, 6, 13))
    assert len(warned) == 1 and "CHG-RENEW-FIRST" in warned[0] and "2022-08-05" in warned[0]
    assert services.deadline_warnings(case, date(2022, 6, 13)) == warned
