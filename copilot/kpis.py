"""KPI import (HR) and KPI reads (the employee, their managers, HR), with deviations computed by code.

Re-importing the same employee, period and metric replaces the value, so an
HRIS export can be sent again safely. Deviation and flagging reuse the
summariser's rules (summarize.kpi), so the API and the drafts agree.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from copilot.access import ReviewAccess
from copilot.domain import permissions as rules
from copilot.domain.permissions import Actor
from copilot.errors import InputError, PermissionDenied
from copilot.schema import KpiPrefill, Role
from copilot.storage import Database, repo
from copilot.storage.auth_models import KpiValueRow
from copilot.storage.models import UserRow, new_id, utcnow
from summarize.kpi import KpiRow, prefill


class KpiService:
    def __init__(self, db: Database, access: ReviewAccess, *, threshold_pct: float) -> None:
        self.db = db
        self.access = access
        self.threshold_pct = threshold_pct

    def import_rows(self, actor: Actor, rows: Sequence[tuple[str, KpiRow]]) -> list[KpiPrefill]:
        """Store (employee id, KPI row) pairs in one transaction; an unknown employee rejects the whole import."""
        self.access.require(actor, rules.can_import_kpis(actor), action="kpi.import", object_type="kpi")
        if not rows:
            raise InputError("the import holds no KPI rows")
        now = utcnow()
        with self.db.session() as sess:
            employees = {uid for uid, role in sess.execute(select(UserRow.id, UserRow.role)) if role == Role.employee}
            unknown = sorted({emp for emp, _ in rows} - employees)
            if unknown:
                raise InputError(f"not an employee: {', '.join(unknown[:5])}; nothing was imported")
            for employee_id, row in rows:
                existing = sess.scalar(
                    select(KpiValueRow).where(
                        KpiValueRow.employee_id == employee_id,
                        KpiValueRow.period == row.period,
                        KpiValueRow.metric == row.metric,
                    )
                )
                target = existing or KpiValueRow(
                    id=new_id(), employee_id=employee_id, period=row.period, metric=row.metric
                )
                target.target, target.actual, target.higher_is_better = row.target, row.actual, row.higher_is_better
                target.imported_by, target.imported_at = actor.id, now
                sess.add(target)
            repo.append_audit(
                sess,
                actor_id=actor.id,
                action="kpi.import",
                object_type="kpi",
                object_id=None,
                details={"rows": len(rows), "employees": len({e for e, _ in rows})},
            )
        return [prefill(row, self.threshold_pct) for _, row in rows]

    def for_employee(self, actor: Actor, employee_id: str) -> list[KpiPrefill]:
        """An employee's KPIs: visible to themself, managers above them (per the setting) and HR."""
        with self.db.session() as sess:
            org = self.access.org_chart(sess)
            allowed = (
                actor.id == employee_id
                or actor.role is Role.hr
                or (
                    actor.role is Role.manager and org.manages(actor.id, employee_id, transitive=self.access.transitive)
                )
            )
            if not allowed:
                self.access.deny(actor, action="kpi.view", object_type="user", object_id=employee_id)
                raise PermissionDenied(f"user {employee_id} not found")
            return stored_prefills(sess, employee_id=employee_id, threshold_pct=self.threshold_pct)


def stored_prefills(sess: Session, *, employee_id: str, threshold_pct: float) -> list[KpiPrefill]:
    """An employee's imported KPIs with deviations computed by code (no access check: callers do that)."""
    stored = sess.scalars(
        select(KpiValueRow)
        .where(KpiValueRow.employee_id == employee_id)
        .order_by(KpiValueRow.period, KpiValueRow.metric)
    )
    return [
        prefill(
            KpiRow(
                period=r.period, metric=r.metric, target=r.target, actual=r.actual, higher_is_better=r.higher_is_better
            ),
            threshold_pct,
        )
        for r in stored
    ]
