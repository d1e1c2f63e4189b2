"""Simulation pages and API: supervisors with TOTP only; everyone else gets 404/redirect/401."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.testing import login_staff
from cases.tests.factories import World, make_reviewer, new_case_with_authority
from core.models import PersonalDataAccess
from eligibility.models import ParameterValue
from simulations import services
from simulations.models import Draft, DraftStatus, Outcome, Population, Run

TODAY = date(2025, 11, 20)


@pytest.fixture
def sim(world: World, django_capture_on_commit_callbacks):
    new_case_with_authority(world, TODAY)
    draft = services.create_draft(
        actor=world.supervisor,
        name="=平均工资",
        values=[
            {
                "parameter_id": "P-WAGE-MONTHLY",
                "effective_from": "2025-01-01",
                "value": "14001",
                "citation": "草案",
            }
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(draft, actor=world.supervisor, on=TODAY, populations=[Population.OPEN_CASES])
    return draft, run


def _routes(draft: Draft, run: Run) -> list[tuple[str, str]]:
    return [
        ("get", reverse("simulations:index")),
        ("post", reverse("simulations:index")),
        ("post", reverse("simulations:token")),
        ("get", reverse("simulations:draft", kwargs={"public_id": draft.public_id})),
        ("post", reverse("simulations:draft", kwargs={"public_id": draft.public_id})),
        ("get", reverse("simulations:run", kwargs={"public_id": run.public_id})),
        ("get", reverse("simulations:run_progress", kwargs={"public_id": run.public_id})),
        ("post", reverse("simulations:run_resume", kwargs={"public_id": run.public_id})),
        ("get", reverse("simulations:run_export", kwargs={"public_id": run.public_id, "fmt": "csv"})),
        ("get", reverse("simulations:compare") + f"?a={run.public_id}&b={run.public_id}"),
    ]


def _client(user=None, *, totp: bool = True) -> Client:
    client = Client()
    if user is not None:
        if totp:
            login_staff(client, user)
        else:
            client.force_login(user)
    return client


def test_wrong_users_never_see_a_simulation(world: World, sim) -> None:
    draft, run = sim
    cases = {
        "anonymous": (_client(), (302,)),
        "applicant": (_client(world.applicant_user, totp=False), (404,)),
        "operator": (_client(world.operator, totp=False), (404,)),
        "reviewer": (_client(world.reviewer), (404,)),
        "supervisor without TOTP": (_client(world.supervisor, totp=False), (302,)),
    }
    for who, (client, codes) in cases.items():
        for method, url in _routes(draft, run):
            response = getattr(client, method)(url, {"name": "x", "action": "reopen"})
            assert response.status_code in codes, (who, method, url, response.status_code)
            if response.status_code == 302:
                assert "/accounts/" in response["Location"], (who, url)
            assert b"14001" not in response.content
    assert Draft.objects.count() == 1
    assert Draft.objects.get().status == DraftStatus.DRAFT


def test_supervisor_sees_flips_with_reasons_chart_and_read_log(world: World, sim) -> None:
    """APP-INCOME-RECENT: the affected case, its threshold before/after and the chart."""
    _draft, run = sim
    client = _client(world.supervisor)
    response = client.get(reverse("simulations:run", kwargs={"public_id": run.public_id}))
    assert response.status_code == 200
    text = response.content.decode()
    outcome = Outcome.objects.get(run=run)
    assert outcome.subject in text
    assert "APP-INCOME-RECENT" in text
    assert "126006" in text  # 6 × floor(14,001 × 1.5)
    assert "<svg" in text and "21001" in text
    assert PersonalDataAccess.objects.filter(
        user=world.supervisor, purpose="simulation affected list"
    ).exists()
    filtered = client.get(
        reverse("simulations:run", kwargs={"public_id": run.public_id}), {"rule": "ORG-CAPITAL"}
    )
    assert outcome.subject not in filtered.content.decode().split('id="outcomes"')[1]
    key_area = client.get(reverse("simulations:run", kwargs={"public_id": run.public_id}), {"ai": "1"})
    assert outcome.subject not in key_area.content.decode().split('id="outcomes"')[1]
    other = client.get(reverse("simulations:run", kwargs={"public_id": run.public_id}), {"ai": "0"})
    assert outcome.subject in other.content.decode().split('id="outcomes"')[1]


def test_exports_are_formula_escaped(world: World, sim) -> None:
    _draft, run = sim
    Outcome.objects.filter(run=run).update(masked_name="=HYPERLINK(1)")
    client = _client(world.supervisor)
    csv = client.get(reverse("simulations:run_export", kwargs={"public_id": run.public_id, "fmt": "csv"}))
    assert csv.status_code == 200
    body = csv.content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body and "APP-INCOME-RECENT" in body
    xlsx = client.get(reverse("simulations:run_export", kwargs={"public_id": run.public_id, "fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'=HYPERLINK(1)" in values
    assert "=HYPERLINK(1)" not in values


def test_draft_page_flow_and_four_eyes(world: World, sim, django_capture_on_commit_callbacks) -> None:
    draft, run = sim
    url = reverse("simulations:draft", kwargs={"public_id": draft.public_id})
    client = _client(world.supervisor)
    bad = client.post(
        url,
        {
            "action": "add",
            "parameter_id": "P-WAGE-MONTHLY",
            "effective_from": "2026-01-01",
            "value": "1.5x",
            "citation": "c",
        },
    )
    assert bad.status_code == 200 and "error-summary" in bad.content.decode()
    client.post(url, {"action": "propose", "run": str(run.public_id)})
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PROPOSED
    # the proposer sees no decision form and cannot decide
    assert "提交审批" not in client.get(url).content.decode()
    client.post(url, {"action": "decide", "decision": "approve"})
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PROPOSED
    assert ParameterValue.objects.count() == 0
    second = _client(make_reviewer(supervisor=True))
    second.post(url, {"action": "decide", "decision": "approve"})
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PUBLISHED
    assert ParameterValue.objects.get().value == "14001"


def test_progress_and_compare(world: World, sim) -> None:
    _draft, run = sim
    client = _client(world.supervisor)
    progress = client.get(
        reverse("simulations:run_progress", kwargs={"public_id": run.public_id}) + "?poll=1"
    )
    assert progress.status_code == 200 and progress["HX-Refresh"] == "true"
    compare = client.get(reverse("simulations:compare"), {"a": run.public_id, "b": run.public_id})
    assert compare.status_code == 200 and compare.content.decode().count("<svg") == 2
    assert client.get(reverse("simulations:compare"), {"a": "nope", "b": run.public_id}).status_code == 404


# --- API ----------------------------------------------------------------------------------------


def test_api_with_a_staff_token(world: World, django_capture_on_commit_callbacks) -> None:
    new_case_with_authority(world, TODAY)
    client = _client(world.supervisor)
    page = client.post(reverse("simulations:token"))
    key = page.context["key"]
    api = Client()
    body: dict[str, Any] = {
        "name": "API",
        "values": [
            {
                "parameter_id": "P-WAGE-MONTHLY",
                "effective_from": "2025-01-01",
                "value": "14001",
                "citation": "c",
            }
        ],
        "on": "2025-11-20",
        "populations": ["open_cases"],
    }
    assert api.post("/api/v1/simulations", body, content_type="application/json").status_code == 401
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            "/api/v1/simulations", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
        )
    assert created.status_code == 201
    run_id = created.json()["id"]
    state = api.get(f"/api/v1/simulations/{run_id}", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert state["status"] == "done" and state["summary"]["evaluated"] == 1
    results = api.get(f"/api/v1/simulations/{run_id}/results", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert results["count"] == 1
    assert results["outcomes"][0]["changes"]
    bad = api.post(
        "/api/v1/simulations",
        {**body, "values": [{**body["values"][0], "value": "1.5"}]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert bad.status_code == 400
    assert api.get(f"/api/v1/simulations/{run_id}", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    assert api.get(f"/api/v1/simulations/{run_id}").status_code == 401


def test_api_refuses_a_reviewers_or_revoked_token(world: World) -> None:
    _token, key = services.create_token(actor=world.supervisor, verified=True)
    world.supervisor.role = world.reviewer.role
    world.supervisor.save(update_fields=["role"])
    assert Client().get("/api/v1/simulations/x", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
