"""The app factory: one FastAPI app over one `Services`, for `copilot serve` and tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from copilot.access import ReviewAccess
from copilot.api.errors import PROBLEM_MEDIA_TYPE, install_error_handlers
from copilot.api.jobs import JobRunner
from copilot.api.middleware import RequestContextMiddleware
from copilot.api.routes import ROUTERS
from copilot.api.schemas import Problem
from copilot.auth import AuthService
from copilot.kpis import KpiService
from copilot.services import Services

API_DESCRIPTION = """Review Copilot's HTTP API. Authenticate with `POST /auth/login`, then send
`Authorization: Bearer <access_token>`. Objects you may not see answer 404, exactly like missing ones."""


def create_app(services: Services, *, run_jobs: bool = True) -> FastAPI:
    """Build the app; `run_jobs=False` leaves uploaded jobs queued (for tests of the queue itself)."""
    runner = JobRunner(services)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        services.db.migrate()
        runner.fail_orphans()
        try:
            yield
        finally:
            runner.shutdown(wait=False)

    app = FastAPI(title="Review Copilot", version="0.1.0", description=API_DESCRIPTION, lifespan=lifespan)
    app.state.services = services
    app.state.auth = AuthService(services.db, services.settings, services.clock)
    app.state.access = ReviewAccess(managers_see_all_reports=services.settings.manager_sees_all_reports)
    app.state.jobs = runner
    app.state.kpis = KpiService(
        services.db, app.state.access, threshold_pct=services.settings.kpi_deviation_threshold_pct
    )
    app.state.run_jobs = run_jobs
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware)
    for router in ROUTERS:
        app.include_router(router)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated schema plus the Problem component that error responses reference."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for code, response in operation.get("responses", {}).items():
                if code.startswith(("4", "5")):
                    response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    app.openapi_schema = schema
    return schema
