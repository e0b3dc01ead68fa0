"""Liveness and readiness, without authentication and without data."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from copilot.api.deps import ServicesDep
from copilot.api.schemas import Health, Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """The process is up."""
    return Health(status="ok")


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
def readyz(services: ServicesDep) -> JSONResponse:
    """The database answers and is migrated; 503 otherwise."""
    try:
        services.db.migrate()
        with services.db.engine.connect() as conn:
            conn.execute(text("SELECT 1 FROM users LIMIT 1"))
        body = Readiness(status="ready", database="ok")
        return JSONResponse(body.model_dump(), status_code=200)
    except Exception as exc:  # readiness reports any failure rather than raising it
        body = Readiness(status="not_ready", database=type(exc).__name__)
        return JSONResponse(body.model_dump(), status_code=503)
