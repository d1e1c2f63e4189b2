"""POST /api/v1/simulations (staff token), GET its progress and results: the pages' services.

A supervisor creates a token on the simulation page after the second factor (TOTP); only its
sha256 is stored. Requests send `Authorization: Bearer <token>`; any other caller gets 401.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from simulations import selectors, services
from simulations.models import Population


class StaffToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = services.user_for_token(token)
        if user is not None:
            request.user = user
        return user


router = Router(tags=["simulations"], auth=StaffToken())


class ValueIn(Schema):
    parameter_id: str
    effective_from: date
    value: str
    citation: str


class SimulationIn(Schema):
    name: str
    values: list[ValueIn]
    on: date
    populations: list[str] = [Population.OPEN_CASES, Population.HOLDERS]
    period_from: date | None = None
    period_until: date | None = None


class CreatedOut(Schema):
    id: str
    draft: str


class ErrorOut(Schema):
    detail: Any


def _detail(exc: ValidationError) -> Any:
    return exc.message_dict if hasattr(exc, "error_dict") else exc.messages


@router.post("", response={201: CreatedOut, 400: ErrorOut, 403: ErrorOut})
def create(request: HttpRequest, body: SimulationIn) -> Status[dict[str, Any]]:
    actor = request.auth  # type: ignore[attr-defined]
    try:
        draft = services.create_draft(actor=actor, name=body.name, values=[v.dict() for v in body.values])
        run = services.start_run(
            draft,
            actor=actor,
            on=body.on,
            populations=body.populations,
            period_from=body.period_from,
            period_until=body.period_until,
        )
    except ValidationError as exc:
        return Status(400, {"detail": _detail(exc)})
    except PermissionDenied:
        return Status(403, {"detail": "forbidden"})
    return Status(201, {"id": str(run.public_id), "draft": str(draft.public_id)})


@router.get("/{run_id}")
def progress(request: HttpRequest, run_id: str) -> dict[str, Any]:
    run = selectors.run_by_public_id(run_id)
    state = selectors.progress(run)
    return {
        "id": str(run.public_id),
        "status": state.status,
        "chunks_done": state.done,
        "chunks_total": state.total,
        "percent": state.percent,
        "summary": selectors.summary(run),
    }


@router.get("/{run_id}/results")
def results(
    request: HttpRequest, run_id: str, transition: str = "", rule: str = "", offset: int = 0
) -> dict[str, Any]:
    from core.audit import log_personal_data_access

    run = selectors.run_by_public_id(run_id)
    log_personal_data_access(request.auth, run, "simulation api results")  # type: ignore[attr-defined]
    qs = selectors.outcomes(run, selectors.OutcomeFilters(transition=transition[:40], rule=rule[:40]))
    offset = max(offset, 0)
    rows = list(qs[offset : offset + 500])
    return {
        "id": str(run.public_id),
        "count": qs.count(),
        "offset": offset,
        "outcomes": [
            {
                "population": o.population,
                "subject": o.subject,
                "name": o.masked_name,
                "employer_kind": o.employer_kind,
                "ai_key_area": o.ai_key_area,
                "before": o.before,
                "after": o.after,
                "changes": o.changes,
            }
            for o in rows
        ],
    }
