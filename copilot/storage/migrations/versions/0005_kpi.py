"""KPI values imported by HR, per employee, period and metric (re-import replaces).

Revision ID: 0005_kpi
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_kpi"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kpi_values",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("employee_id", sa.String(36), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("period", sa.String(40), nullable=False),
        sa.Column("metric", sa.String(200), nullable=False),
        sa.Column("target", sa.Float, nullable=False),
        sa.Column("actual", sa.Float, nullable=False),
        sa.Column("higher_is_better", sa.Boolean, nullable=False),
        sa.Column("imported_by", sa.String(36), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("employee_id", "period", "metric", name="uq_kpi_values_employee_period_metric"),
    )
    op.create_index("ix_kpi_values_employee_id", "kpi_values", ["employee_id"])


def downgrade() -> None:
    op.drop_table("kpi_values")
