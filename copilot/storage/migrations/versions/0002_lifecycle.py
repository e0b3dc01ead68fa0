"""Review lifecycle: signatures, signing keys, comments, field responses, outbox, escalations, audit head.

Revision ID: 0002
Revises: 0001

Also makes signed history immutable in the database itself: versions and
signatures refuse UPDATE and DELETE, a signed review row refuses both, and a
trigger keeps `audit_head` at the last audit event so that deleting the tail
of the chain (which a chain alone cannot reveal) shows up in `audit verify`.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = ("lifecycle",)
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "signing_keys",
        sa.Column("key_id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(36), sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("public_key_pem", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "signatures",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("review_id", sa.String(36), sa.ForeignKey("reviews.id"), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("signer_id", sa.String(36), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("signer_role", sa.String(20), nullable=False),
        sa.Column("key_id", sa.String(64), sa.ForeignKey("signing_keys.key_id"), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("signature_b64", sa.Text, nullable=False),
        sa.Column("signed_at", TS, nullable=False),
        sa.CheckConstraint("signer_role in ('manager','employee')", name="ck_signatures_role"),
    )
    op.create_table(
        "comments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("review_id", sa.String(36), sa.ForeignKey("reviews.id"), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("field_path", sa.String(200), nullable=False),
        sa.Column("author_id", sa.String(36), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "field_agreements",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("review_id", sa.String(36), sa.ForeignKey("reviews.id"), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("field_path", sa.String(200), nullable=False),
        sa.Column("employee_id", sa.String(36), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("decision", sa.String(40), nullable=False),
        sa.Column("statement", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.CheckConstraint("decision in ('agree','acknowledge_with_objection')", name="ck_field_agreements_decision"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("event_type", sa.String(60), nullable=False),
        sa.Column("aggregate_id", sa.String(36), nullable=False, index=True),
        sa.Column("idempotency_key", sa.String(100), nullable=False, unique=True),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("locked_until", TS, nullable=True),
        sa.Column("delivered_at", TS, nullable=True),
        sa.Column("dead_at", TS, nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
    )
    op.create_index("ix_outbox_pending", "outbox", ["delivered_at", "dead_at", "next_attempt_at"])
    op.create_table(
        "escalations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("review_id", sa.String(36), sa.ForeignKey("reviews.id"), nullable=False, index=True),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("deadline_at", TS, nullable=False),
        sa.Column("detected_at", TS, nullable=False),
        sa.Column("escalated_to", sa.String(20), nullable=False),
        sa.Column("created_by", sa.String(36), nullable=True),
        sa.UniqueConstraint("review_id", "level", name="uq_escalations_review_level"),
    )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_audit_head_single_row"),
    )
    op.execute(
        "INSERT INTO audit_head (id, seq, hash) SELECT 1, seq, hash FROM audit_events "
        "WHERE seq = (SELECT MAX(seq) FROM audit_events)"
    )
    _triggers(op.get_bind().dialect.name)


_IMMUTABLE = ("review_versions", "signatures")


def _triggers(dialect: str) -> None:
    if dialect == "sqlite":
        for table in _IMMUTABLE:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER reviews_signed_no_{verb.lower()} BEFORE {verb} ON reviews "
                "WHEN OLD.state = 'signed' BEGIN SELECT RAISE(ABORT, 'signed reviews are immutable'); END"
            )
        op.execute(
            "CREATE TRIGGER audit_events_head AFTER INSERT ON audit_events BEGIN "
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, NEW.seq, NEW.hash) "
            "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash; END"
        )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION lifecycle_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$"
        )
        for table in _IMMUTABLE:
            op.execute(
                f"CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION lifecycle_append_only()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION lifecycle_append_only()"
            )
        op.execute(
            "CREATE FUNCTION reviews_signed_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN IF OLD.state = 'signed' THEN RAISE EXCEPTION 'signed reviews are immutable'; END IF; "
            "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
        )
        op.execute(
            "CREATE TRIGGER reviews_signed_immutable BEFORE UPDATE OR DELETE ON reviews "
            "FOR EACH ROW EXECUTE FUNCTION reviews_signed_immutable()"
        )
        op.execute(
            "CREATE FUNCTION audit_events_track_head() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN INSERT INTO audit_head (id, seq, hash) VALUES (1, NEW.seq, NEW.hash) "
            "ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash; RETURN NEW; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_events_head AFTER INSERT ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_track_head()"
        )
    else:
        raise RuntimeError(f"no lifecycle triggers for dialect {dialect}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_head ON audit_events")
        op.execute("DROP TRIGGER IF EXISTS reviews_signed_immutable ON reviews")
        op.execute("DROP TRIGGER IF EXISTS review_versions_no_update_delete ON review_versions")
        op.execute("DROP TRIGGER IF EXISTS review_versions_no_truncate ON review_versions")
    else:
        for name in (
            "audit_events_head",
            "reviews_signed_no_update",
            "reviews_signed_no_delete",
            "review_versions_no_update",
            "review_versions_no_delete",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for table in ("audit_head", "escalations", "outbox", "field_agreements", "comments", "signatures", "signing_keys"):
        op.drop_table(table)
    if dialect == "postgresql":
        for fn in ("audit_events_track_head", "reviews_signed_immutable", "lifecycle_append_only"):
            op.execute(f"DROP FUNCTION IF EXISTS {fn}()")
