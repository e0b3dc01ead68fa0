"""KPI import for HR and KPI reads with computed deviations."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import Field

from copilot.api.deps import PrincipalDep
from copilot.api.routes._common import ERROR_RESPONSES
from copilot.kpis import KpiService
from copilot.schema import KpiPrefill, StrictModel
from summarize.kpi import KpiRow

router = APIRouter(tags=["kpis"], responses=ERROR_RESPONSES)


class KpiValue(StrictModel):
    employee_id: str = Field(min_length=1, max_length=36, description="Employee the value belongs to.")
    period: str = Field(min_length=1, max_length=40, description="Period, e.g. '2026-Q4'.")
    metric: str = Field(min_length=1, max_length=200, description="KPI name.")
    target: float = Field(allow_inf_nan=False, description="Target value.")
    actual: float = Field(allow_inf_nan=False, description="Actual value.")
    higher_is_better: bool = Field(default=True, description="Direction of improvement.")


class KpiImport(StrictModel):
    rows: list[KpiValue] = Field(min_length=1, max_length=10_000, description="KPI values to import.")


class KpiImported(StrictModel):
    imported: int = Field(description="Rows stored (re-imported rows replace earlier values).")
    prefills: list[KpiPrefill] = Field(description="Each row with its deviation and flag, computed by code.")


def _kpis(request: Request) -> KpiService:
    service: KpiService = request.app.state.kpis
    return service


@router.post("/kpis", response_model=KpiImported)
def import_kpis(body: KpiImport, request: Request, principal: PrincipalDep) -> KpiImported:
    """Import KPI values from HR data (HR only); all rows or none."""
    rows = [
        (
            v.employee_id,
            KpiRow(
                period=v.period, metric=v.metric, target=v.target, actual=v.actual, higher_is_better=v.higher_is_better
            ),
        )
        for v in body.rows
    ]
    prefills = _kpis(request).import_rows(principal.actor, rows)
    return KpiImported(imported=len(prefills), prefills=prefills)


@router.get("/users/{user_id}/kpis", response_model=list[KpiPrefill])
def employee_kpis(user_id: str, request: Request, principal: PrincipalDep) -> list[KpiPrefill]:
    """An employee's imported KPIs with deviations (the employee, their managers and HR)."""
    return _kpis(request).for_employee(principal.actor, user_id)
