"""API endpoints of the materials context."""

from ninja import Router

router = Router(tags=["materials"])
