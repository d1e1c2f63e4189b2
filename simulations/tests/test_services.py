"""Policy simulation services (issue 14): drafts, chunked runs, four-eyes publication."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.facts import facts_for_case
from cases.tests.factories import World, accepted_case, make_reviewer, new_case_with_authority
from eligibility import services as eligibility
from eligibility.models import ParameterValue
from simulations import chunks, selectors, services
from simulations.models import Chunk, DraftStatus, Outcome, Population, RunStatus

TODAY = date(2025, 11, 20)
WAGE = "14001"  # 1.5 × 14,001 = 21,001.5 → 21,001 > the factories' 21,000 a month (APP-INCOME-RECENT)


def _draft(world: World, value: str = WAGE, on: str = "2025-01-01"):
    return services.create_draft(
        actor=world.supervisor,
        name="平均工资调整",
        values=[{"parameter_id": "P-WAGE-MONTHLY", "effective_from": on, "value": value, "citation": "草案"}],
    )


def _run(world: World, draft, django_capture_on_commit_callbacks, populations=None, **kw):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(
            draft,
            actor=world.supervisor,
            on=TODAY,
            populations=populations or [Population.OPEN_CASES],
            **kw,
        )
    run.refresh_from_db()
    return run


def test_only_supervisors_create_drafts(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.create_draft(actor=world.reviewer, name="x")
    with pytest.raises(PermissionDenied):
        services.create_draft(actor=world.applicant_user, name="x")


@pytest.mark.parametrize(
    ("parameter_id", "value", "on"),
    [
        ("P-WAGE-MONTHLY", "12300.5", "2026-01-01"),  # a whole number of yuan is required
        ("P-WAGE-MONTHLY", "-1", "2026-01-01"),
        ("P-WAGE-MONTHLY", "1e5", "2026-01-01"),
        ("P-NOPE", "1", "2026-01-01"),
        ("P-WAGE-MONTHLY", "12300", "2000-01-01"),  # before the parameter's first entry
    ],
)
def test_draft_values_are_checked_like_the_back_office(world: World, parameter_id, value, on) -> None:
    with pytest.raises(ValidationError):
        services.create_draft(
            actor=world.supervisor,
            name="x",
            values=[{"parameter_id": parameter_id, "effective_from": on, "value": value, "citation": "c"}],
        )


def test_a_run_never_changes_live_values_and_baseline_equals_the_engine(
    world: World, django_capture_on_commit_callbacks
) -> None:
    """APP-INCOME-RECENT: 6 × 21,000 passes at the shipped 11,761 and fails under 14,001."""
    case = new_case_with_authority(world, TODAY)
    live_before = eligibility.current_parameters().snapshot_hash(TODAY)
    run = _run(world, _draft(world), django_capture_on_commit_callbacks)
    assert run.status == RunStatus.DONE
    assert ParameterValue.objects.count() == 0
    assert eligibility.current_parameters().snapshot_hash(TODAY) == live_before

    counts = selectors.summary(run)
    assert counts["evaluated"] == 1
    normal = eligibility.evaluate_json(facts_for_case(case, as_of=TODAY, submitted_on=TODAY))
    assert counts["decisions_before"] == {normal["decision"]: 1}
    outcome = Outcome.objects.get(run=run)
    assert outcome.subject == case.reference
    assert outcome.before == normal["decision"]
    change = next(c for c in outcome.changes if c["rule"] == "APP-INCOME-RECENT" and c["clause"] == 1)
    assert (change["before"], change["after"]) == ("pass", "fail")
    assert change["threshold_after"] == 6 * 21001
    assert change["shortfall_after"] == 6
    assert counts["rules"]["APP-INCOME-RECENT"]["pass>fail"] >= 1
    assert counts["income"] == {"21000": 1}


def test_a_chunk_run_twice_counts_once(world: World, django_capture_on_commit_callbacks) -> None:
    new_case_with_authority(world, TODAY)
    run = _run(world, _draft(world), django_capture_on_commit_callbacks)
    chunk = Chunk.objects.get(run=run)
    before = selectors.summary(run)
    # a worker died after committing: the task runs again and does nothing
    assert chunks.run_chunk(chunk.pk) is False
    # a worker died before committing: the chunk is redone from scratch
    Chunk.objects.filter(pk=chunk.pk).update(done=False)
    assert chunks.run_chunk(chunk.pk) is True
    assert selectors.summary(run) == before
    assert Outcome.objects.filter(run=run).count() == 1


def test_a_resumed_run_finishes_only_the_missing_chunks(
    world: World, django_capture_on_commit_callbacks
) -> None:
    new_case_with_authority(world, TODAY)
    draft = _draft(world)
    run = services.start_run(draft, actor=world.supervisor, on=TODAY, populations=[Population.OPEN_CASES])
    # the tasks never ran (no commit in this test): the run waits
    assert selectors.progress(run).done == 0
    assert selectors.progress(run).status == RunStatus.RUNNING
    services.resume_run(run, actor=world.supervisor)
    assert selectors.progress(run).done == selectors.progress(run).total == 1
    assert selectors.progress(run).status == RunStatus.DONE


def test_snapshots_of_a_period_are_evaluated_as_decided(
    world: World, django_capture_on_commit_callbacks
) -> None:
    accepted_case(world, TODAY)
    run = _run(
        world,
        _draft(world),
        django_capture_on_commit_callbacks,
        populations=[Population.SNAPSHOTS],
        period_from=date(2025, 11, 1),
        period_until=date(2025, 11, 30),
    )
    assert selectors.summary(run)["evaluated"] == 1
    empty = _run(
        world,
        _draft(world),
        django_capture_on_commit_callbacks,
        populations=[Population.SNAPSHOTS],
        period_from=date(2024, 1, 1),
        period_until=date(2024, 12, 31),
    )
    assert selectors.summary(empty)["evaluated"] == 0


def test_publication_needs_a_second_supervisor(world: World, django_capture_on_commit_callbacks) -> None:
    new_case_with_authority(world, TODAY)
    draft = _draft(world, "12300", "2026-01-01")
    run = _run(world, draft, django_capture_on_commit_callbacks)
    draft = services.propose_publication(draft, actor=world.supervisor, run=run)
    assert draft.status == DraftStatus.PROPOSED
    assert draft.summary["run"] == str(run.public_id)
    with pytest.raises(PermissionDenied):
        services.decide_publication(draft, actor=world.supervisor, approve=True)
    with pytest.raises(PermissionDenied):
        services.decide_publication(draft, actor=world.reviewer, approve=True)
    assert ParameterValue.objects.count() == 0
    second = make_reviewer(supervisor=True)
    draft = services.decide_publication(draft, actor=second, approve=True)
    assert draft.status == DraftStatus.PUBLISHED
    entry = ParameterValue.objects.get()
    assert (entry.parameter_id, entry.effective_from, entry.value) == (
        "P-WAGE-MONTHLY",
        date(2026, 1, 1),
        "12300",
    )
    assert eligibility.parameter_int("P-WAGE-MONTHLY", date(2026, 3, 1)) == 12300
    assert eligibility.parameter_int("P-WAGE-MONTHLY", date(2025, 12, 31)) == 11761


def test_a_changed_draft_must_be_run_again_before_publication(
    world: World, django_capture_on_commit_callbacks
) -> None:
    draft = _draft(world)
    run = _run(world, draft, django_capture_on_commit_callbacks)
    draft = services.add_value(
        draft,
        actor=world.supervisor,
        parameter_id="P-APP-TENURE-MONTHS",
        effective_from=date(2026, 1, 1),
        value="12",
        citation="草案",
    )
    with pytest.raises(ValidationError):
        services.propose_publication(draft, actor=world.supervisor, run=run)


def test_api_tokens_need_the_second_factor(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.create_token(actor=world.supervisor, verified=False)
    with pytest.raises(PermissionDenied):
        services.create_token(actor=world.reviewer, verified=True)
    token, key = services.create_token(actor=world.supervisor, verified=True)
    assert services.user_for_token(key) == world.supervisor
    assert key not in token.key_hash
    services.revoke_token(token, actor=world.supervisor)
    assert services.user_for_token(key) is None


def test_current_holders_renew_on_their_latest_renewal_day(
    world: World, django_capture_on_commit_callbacks
) -> None:
    """Holders are judged as renewals (REN-*) submitted on the latest in-time day before expiry; a
    permit issued through a case here uses that case's facts, one without uses the profile."""
    from permits.models import Permit

    case = new_case_with_authority(world, TODAY)
    Permit.objects.create(
        number="京工居2025009001",
        holder=world.applicant,
        employer=world.employer,
        issued_on=date(2025, 1, 10),
        expires_on=date(2026, 1, 10),
        case=case,
    )
    Permit.objects.create(
        number="京工居2025009002",
        holder=world.other_applicant,
        employer=world.other_employer,
        issued_on=date(2025, 1, 10),
        expires_on=date(2026, 1, 10),
        status="cancelled",
    )
    run = _run(world, _draft(world), django_capture_on_commit_callbacks, populations=[Population.HOLDERS])
    counts = selectors.summary(run)
    assert counts["evaluated"] == 1  # the cancelled permit is not a current holder
    assert counts["errors"] == 0


def test_chunk_tallies_add_up_in_any_order() -> None:
    from simulations import tally

    a = {**tally.new_tally(), "evaluated": 2, "transitions": {"eligible>ineligible": 1}}
    b = {
        **tally.new_tally(),
        "evaluated": 3,
        "transitions": {"eligible>ineligible": 2, "ineligible>eligible": 1},
    }
    assert tally.total([a, b]) == tally.total([b, a])
    assert tally.total([a, b])["transitions"] == {"eligible>ineligible": 3, "ineligible>eligible": 1}
    assert tally.total([a, b])["evaluated"] == 5


@pytest.mark.django_db(transaction=True)
def test_lost_chunk_tasks_are_queued_again_by_the_workers(settings) -> None:
    """With the database queue, a run whose chunk tasks vanished is resumed by the workers' periodic
    job, once per chunk (never two live tasks for one chunk)."""
    from django_tasks_db.models import DBTaskResult

    from accounts.models import Role
    from accounts.testing import make_user

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    supervisor = make_user(Role.SUPERVISOR)
    draft = services.create_draft(
        actor=supervisor,
        name="x",
        values=[
            {
                "parameter_id": "P-WAGE-MONTHLY",
                "effective_from": "2026-01-01",
                "value": "12300",
                "citation": "c",
            }
        ],
    )
    from simulations.models import Chunk, Run

    run = Run.objects.create(
        draft=draft, on=TODAY, populations=["open_cases"], values=draft.values, created_by=supervisor
    )
    chunks = Chunk.objects.bulk_create(
        [
            Chunk(run=run, population="open_cases", number=n, first_id=n * 200, last_id=n * 200 + 199)
            for n in range(3)
        ]
    )
    Chunk.objects.filter(pk=chunks[0].pk).update(done=True)
    assert services.resume_stalled_runs(grace_seconds=0) == 2
    assert services.resume_stalled_runs(grace_seconds=0) == 0, "one task per chunk"
    assert sorted(t.args_kwargs["args"][0] for t in DBTaskResult.objects.all()) == sorted(
        c.pk for c in chunks[1:]
    )
