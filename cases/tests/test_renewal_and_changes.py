"""Renewal, employer change and information change: started by the employer, prefilled from the
permit; REN-WINDOW, REN-DEADLINE, REN-EXPIRED, CHG-DEADLINE, CHG-RENEW-FIRST, CHG-RESIGNATION, INF-CHANGE."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import services
from cases.models import Case, Kind, State
from cases.tests import factories as f
from cases.tests.factories import World
from employers.models import AssociationStatus
from materials.services import store_upload
from permits.models import Permit
from permits.services import next_number

GUIDE_EXPIRY = date(2022, 8, 6)  # guide: window 2022-06-06 … 2022-08-05


def give_permit(world: World, expires_on: date, employer=None) -> Permit:
    return Permit.objects.create(
        number=next_number(2020),
        holder=world.applicant,
        employer=employer or world.employer,
        issued_on=date(2020, 1, 1),
        expires_on=expires_on,
    )


def start_renewal(world: World, today: date) -> Case:
    return services.start_employer_case(
        world.operator, applicant=world.applicant, kind=Kind.RENEWAL, today=today
    )


def complete_renewal(world: World, case: Case, today: date) -> Case:
    case = services.save_income(
        world.operator,
        case,
        version=case.version,
        monthly=[
            (m, 20_000, False) for m in f.recent_months(today, 48)
        ],  # REN-INCOME-3Y: from January of year − 3
    )
    f.upload_all(case, world.applicant_user, today, "applicant")
    case.refresh_from_db()
    return f.employer_complete(case, world.operator, today)


def test_renewal_is_started_by_the_employer_prefilled_from_the_current_permit(world, today):
    permit = give_permit(world, date(2026, 1, 10))
    case = start_renewal(world, today)
    assert case.kind == Kind.RENEWAL and case.state == State.DRAFT
    assert case.permit_number == permit.number
    assert case.permit_expires_on == date(2026, 1, 10)
    assert case.employed_since == date(2023, 3, 1)
    # The applicant is told to upload their own materials.
    assert world.applicant_user.notifications.filter(subject__contains=case.reference).exists()


def test_applicants_cannot_start_a_renewal(world, today):
    give_permit(world, date(2026, 1, 10))
    with pytest.raises(services.TransitionNotAllowed):
        services.start_employer_case(
            world.applicant_user, applicant=world.applicant, kind=Kind.RENEWAL, today=today
        )


def test_another_employer_cannot_renew_the_holder(world, today):
    give_permit(world, date(2026, 1, 10))
    with pytest.raises(services.TransitionNotAllowed, match="BIZ-ONE-EMPLOYER"):
        services.start_employer_case(
            world.other_operator, applicant=world.applicant, kind=Kind.RENEWAL, today=today
        )


def test_renewal_flow_extends_the_permit(world, today):
    world.association.contract_ends_on = date(2030, 12, 31)
    world.association.save()
    give_permit(world, date(2026, 1, 10))
    case = complete_renewal(world, start_renewal(world, today), today)
    case = services.employer_submit(world.operator, case, version=case.version, today=today)
    assert case.state == State.SUBMITTED and case.due_on == date(2025, 12, 18)
    case = services.accept(world.reviewer, case, version=case.version, today=today)
    f.confirm_materials(case, world.reviewer)
    snapshot = services.latest_snapshot(case)
    assert snapshot is not None and snapshot.result["decision"] == "eligible"
    case = services.approve(world.reviewer, case, version=case.version, today=today)
    assert case.state == State.AWAITING_RATIFICATION
    case = f.ratify(case, today=today)
    assert case.state == State.APPROVED
    permit = Permit.objects.get(holder=world.applicant)
    assert permit.expires_on > date(2026, 1, 10)


def test_the_employer_may_withdraw_its_renewal_before_acceptance(world, today):
    give_permit(world, date(2026, 1, 10))
    case = start_renewal(world, today)
    case = services.withdraw(world.operator, case, version=case.version, today=today)
    assert case.state == State.WITHDRAWN


def problems_on(case: Case, day: date) -> list[str]:
    return [p.message for p in services.deadline_problems(case, day)]


@pytest.fixture
def guide_renewal(world) -> Case:
    give_permit(world, GUIDE_EXPIRY)
    return start_renewal(world, date(2022, 6, 6))  # REN-WINDOW: a renewal starts once the window opens


def test_ren_window_opens_60_days_before_complete_by(guide_renewal):
    refused = problems_on(guide_renewal, date(2022, 6, 5))
    assert len(refused) == 1 and "REN-WINDOW" in refused[0]
    assert "2022-06-06" in refused[0] and "2022-08-05" in refused[0]
    assert problems_on(guide_renewal, date(2022, 6, 6)) == []


def test_ren_deadline_guide_example_friday_in_time_monday_late_needs_the_acknowledgement(guide_renewal):
    """REN-DEADLINE (edition 2): late is not refused; the submitter acknowledges the risk."""
    assert problems_on(guide_renewal, date(2022, 7, 8)) == []
    late = services.deadline_problems(guide_renewal, date(2022, 7, 11))
    assert [p.section for p in late] == ["late"]
    assert "2022-07-11" in late[0].message
    assert "2022-07-08" in late[0].message  # the day shown is the latest working day (Friday)
    assert services.deadline_problems(guide_renewal, date(2022, 7, 11), late_acknowledged=True) == []
    text = services.late_risk_text(guide_renewal, date(2022, 7, 11))
    assert "2022-08-06" in text and "2022-08-05" in text and "2022-07-11" in text
    assert services.late_risk_text(guide_renewal, date(2022, 7, 8)) == ""


def test_ren_deadline_on_complete_by_cannot_be_completed_before_the_permit_lapses(guide_renewal):
    assert [p.section for p in services.deadline_problems(guide_renewal, date(2022, 8, 4))] == ["late"]
    refused = services.deadline_problems(guide_renewal, date(2022, 8, 5), late_acknowledged=True)
    assert len(refused) == 1 and "REN-DEADLINE" in refused[0].message


def test_ren_expired_cannot_be_renewed(guide_renewal, world):
    expired = problems_on(guide_renewal, date(2022, 8, 7))
    assert len(expired) == 1 and "REN-EXPIRED" in expired[0]
    with pytest.raises(services.TransitionNotAllowed, match="REN-EXPIRED"):
        services.start_employer_case(
            world.operator,
            applicant=world.applicant,
            kind=Kind.INFO_CHANGE,
            today=date(2022, 8, 7),
            info_change_kinds=["address"],
        )


def test_ren_deadline_late_submission_is_blocked_until_acknowledged_then_recorded(world):
    give_permit(world, GUIDE_EXPIRY)
    day = date(2022, 7, 11)
    case = complete_renewal(world, start_renewal(world, date(2022, 7, 1)), day)
    with pytest.raises(services.SubmissionBlocked) as blocked:
        services.employer_submit(world.operator, case, version=case.version, today=day)
    assert [p.section for p in blocked.value.problems] == ["late"]
    case.refresh_from_db()
    assert case.state == State.DRAFT and case.late_risk_acknowledged_at is None
    case = services.transition(
        world.operator, case, "employer_submit", version=case.version, today=day, acknowledge_late=True
    )
    assert case.state == State.SUBMITTED
    assert case.late_risk_acknowledged_by == world.operator
    event = case.events.get(action="acknowledge_late")
    assert "2022-07-11" in event.reason and event.actor == world.operator


def change_world(world: World, expires_on: date) -> World:
    """The holder left `world.other_employer` (dissociated with a certificate) and joined `world.employer`."""
    former = world.other_employer
    give_permit(world, expires_on, employer=former)
    certificate = store_upload(
        uploaded_file=SimpleUploadedFile("leave.pdf", f.PDF),
        material="RESIGNATION-CERT",
        uploaded_by=world.other_operator,
        employer=former,
        applicant=world.applicant,
        issued_on=date(2022, 5, 31),
    )
    assert certificate.pk
    f.associate(world.applicant, former, status=AssociationStatus.DISSOCIATED, left_on=date(2022, 5, 31))
    return world


def start_change(world: World, today: date) -> Case:
    return services.start_employer_case(
        world.operator, applicant=world.applicant, kind=Kind.EMPLOYER_CHANGE, today=today
    )


def test_chg_resignation_the_former_employer_must_have_dissociated(world):
    give_permit(world, GUIDE_EXPIRY, employer=world.other_employer)  # no dissociation recorded
    with pytest.raises(services.TransitionNotAllowed, match="CHG-RESIGNATION"):
        start_change(world, date(2022, 6, 1))


def test_employer_change_links_the_resignation_certificate_and_is_filed_by_the_new_employer(world):
    change_world(world, GUIDE_EXPIRY)
    case = start_change(world, date(2022, 6, 1))
    assert case.former_employer == world.other_employer
    assert case.documents.filter(material="RESIGNATION-CERT", uploader="former_employer").exists()


def test_receive_only_employer_may_file_an_employer_change(world):
    world.employer.rights_kind = "receive_only"
    world.employer.save()
    change_world(world, GUIDE_EXPIRY)
    assert start_change(world, date(2022, 6, 1)).kind == Kind.EMPLOYER_CHANGE


def test_chg_deadline_boundary(world):
    change_world(world, GUIDE_EXPIRY)
    case = start_change(world, date(2022, 6, 1))
    assert problems_on(case, date(2022, 7, 8)) == []
    late = services.deadline_problems(case, date(2022, 7, 11))
    assert [p.section for p in late] == ["late"] and "2022-07-11" in late[0].message
    assert "2022-07-08" in late[0].message


def test_chg_renew_first_an_open_renewal_with_the_former_employer_comes_first(world):
    give_permit(world, GUIDE_EXPIRY, employer=world.other_employer)
    # The former employer starts the renewal while the holder is still associated with it.
    world.association.status = AssociationStatus.PENDING
    world.association.save()
    other_assoc = f.associate(world.applicant, world.other_employer)
    services.start_employer_case(
        world.other_operator, applicant=world.applicant, kind=Kind.RENEWAL, today=date(2022, 6, 6)
    )
    other_assoc.status = AssociationStatus.DISSOCIATED
    other_assoc.save()
    world.association.status = AssociationStatus.APPROVED
    world.association.save()
    with pytest.raises(services.TransitionNotAllowed, match="CHG-RENEW-FIRST"):
        start_change(world, date(2022, 6, 6))


def test_successive_changes_one_by_one(world):
    change_world(world, GUIDE_EXPIRY)
    start_change(world, date(2022, 6, 1))
    with pytest.raises(services.TransitionNotAllowed, match="未办结"):
        start_change(world, date(2022, 6, 2))


def test_info_change_by_kind_needs_a_kind_and_asks_for_the_kind_s_materials(world, today):
    give_permit(world, date(2027, 1, 10))
    with pytest.raises(services.TransitionNotAllowed, match="INF-CHANGE"):
        services.start_employer_case(
            world.operator, applicant=world.applicant, kind=Kind.INFO_CHANGE, today=today
        )
    case = services.start_employer_case(
        world.operator,
        applicant=world.applicant,
        kind=Kind.INFO_CHANGE,
        today=today,
        info_change_kinds=["hukou_address"],
    )
    wanted = {(m.id, m.uploader) for m in services.checklist_items(case, today)}
    assert ("HUKOU-PAGES", "applicant") in wanted
    assert ("EMPLOYER-TAX", "employer") in wanted
    f.upload_all(case, world.applicant_user, today, "applicant")
    case.refresh_from_db()
    case = f.employer_complete(case, world.operator, today)
    case = services.employer_submit(world.operator, case, version=case.version, today=today)
    case = services.accept(world.reviewer, case, version=case.version, today=today)
    f.confirm_materials(case, world.reviewer)
    case = services.approve(world.reviewer, case, version=case.version, today=today)
    assert case.state == State.AWAITING_RATIFICATION
    case = f.ratify(case, today=today)
    assert case.state == State.APPROVED
