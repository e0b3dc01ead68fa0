"""Transcription jobs: a checkpoint column so long jobs resume and show partial results.

Revision ID: 0004_transcription
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_transcription"
down_revision = "0001"
branch_labels = ("transcription",)
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("checkpoint", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("checkpoint")
