"""Audit verification for auditors and HR: the chain's integrity, never its content."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import Field

from copilot.api.deps import AccessDep, PrincipalDep, ServicesDep
from copilot.api.routes._common import ERROR_RESPONSES
from copilot.domain import permissions as rules
from copilot.domain.audit import verify_chain
from copilot.schema import StrictModel
from copilot.storage import repo

router = APIRouter(prefix="/audit", tags=["audit"], responses=ERROR_RESPONSES)


class AuditReport(StrictModel):
    ok: bool = Field(description="True when every checked row verifies.")
    checked: int = Field(description="Rows checked before stopping.")
    first_bad_seq: int | None = Field(default=None, description="Sequence number of the first bad row.")
    reason: str | None = Field(default=None, description="Why that row is bad.")


@router.get("/verify", response_model=AuditReport)
def verify(principal: PrincipalDep, services: ServicesDep, access: AccessDep) -> AuditReport:
    """Re-check the audit hash chain and name the first bad row."""
    access.require(principal.actor, rules.can_verify_audit(principal.actor), action="audit.verify", object_type="audit")
    with services.db.session() as sess:
        report = verify_chain(repo.audit_chain(sess))
    return AuditReport(ok=report.ok, checked=report.checked, first_bad_seq=report.first_bad_seq, reason=report.reason)
