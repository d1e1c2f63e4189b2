"""The REST API at /api/v1/ (OpenAPI at /api/v1/openapi.json); each context contributes a router."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="海淀区《北京市工作居住证》API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/eligibility/", "eligibility.api.router")
api.add_router("/materials/", "materials.api.router")
api.add_router("/simulations", "simulations.api.router")
