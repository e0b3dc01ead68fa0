"""Audit verification for auditors and HR: integrity of the chain and every signature, never content."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import Field

from copilot.api.deps import PrincipalDep, ServicesDep
from copilot.api.routes._common import ERROR_RESPONSES
from copilot.schema import StrictModel

router = APIRouter(prefix="/audit", tags=["audit"], responses=ERROR_RESPONSES)


class AuditReport(StrictModel):
    ok: bool = Field(description="True when the chain, its head and every signature verify.")
    events_checked: int = Field(description="Audit rows checked.")
    signatures_checked: int = Field(description="Signatures checked.")
    first_bad_seq: int | None = Field(default=None, description="Sequence number of the first bad row.")
    problems: list[str] = Field(description="Each problem found, first bad row first.")


@router.get("/verify", response_model=AuditReport)
def verify(principal: PrincipalDep, services: ServicesDep) -> AuditReport:
    """Re-check the audit hash chain and every signature; name the first bad row and each bad signature."""
    report = services.lifecycle.verify_audit(principal.actor.id)
    return AuditReport(
        ok=report.ok,
        events_checked=report.events_checked,
        signatures_checked=report.signatures_checked,
        first_bad_seq=report.first_bad_seq,
        problems=report.problems,
    )
