"""API endpoints of the eligibility context."""

from ninja import Router

router = Router(tags=["eligibility"])
