"""Tampering with the audit trail in SQL: the triggers refuse it, and `audit verify` finds it when forced."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from copilot.storage import Database
from tests.lifecycle.conftest import World
from tests.lifecycle.helpers import sign_both


def _chain(world: World) -> int:
    review = world.new_review()
    sign_both(world.lc, world.people, review.id)
    world.lc.export(world.people.hr, review.id, "json")
    report = world.lc.verify_audit(world.people.auditor)
    assert report.ok, report.problems
    return report.events_checked


def _force(db: Database, *statements: str) -> None:
    """What someone with full database rights could do: switch the guard off, then write."""
    with db.session() as s:
        if db.dialect == "sqlite":
            s.execute(text("DROP TRIGGER IF EXISTS audit_events_no_update"))
            s.execute(text("DROP TRIGGER IF EXISTS audit_events_no_delete"))
        else:
            s.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete"))
        for statement in statements:
            s.execute(text(statement))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET action = 'review.read' WHERE seq = 2",
        "UPDATE audit_events SET hash = prev_hash WHERE seq = 2",
        "DELETE FROM audit_events WHERE seq = 2",
        "DELETE FROM audit_events",
    ],
)
def test_triggers_refuse_update_and_delete(world: World, statement: str) -> None:
    _chain(world)
    with pytest.raises(Exception, match="append-only"), world.db.session() as s:
        s.execute(text(statement))
    assert world.lc.verify_audit(None).ok


def test_truncate_is_refused_on_postgresql(world: World) -> None:
    if world.db.dialect != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL")
    _chain(world)
    with pytest.raises(Exception, match="append-only"), world.db.session() as s:
        s.execute(text("TRUNCATE audit_events CASCADE"))


@pytest.mark.parametrize("seq", [1, 3, 5])
def test_changed_row_is_named(world: World, seq: int) -> None:
    _chain(world)
    _force(world.db, f"UPDATE audit_events SET actor_id = NULL, action = 'review.read' WHERE seq = {seq}")
    report = world.lc.verify_audit(world.people.auditor)
    assert not report.ok and report.first_bad_seq == seq
    assert f"audit chain broken at row seq {seq}: hash does not match" in report.problems[0]


def test_deleted_row_is_named(world: World) -> None:
    _chain(world)
    _force(world.db, "DELETE FROM audit_events WHERE seq = 3")
    report = world.lc.verify_audit(None)
    assert report.first_bad_seq == 4
    assert "sequence gap: expected 3, found 4" in report.problems[0]


def test_reordered_rows_are_named(world: World) -> None:
    _chain(world)
    _force(
        world.db,
        "UPDATE audit_events SET seq = -1 WHERE seq = 2",
        "UPDATE audit_events SET seq = 2 WHERE seq = 4",
        "UPDATE audit_events SET seq = 4 WHERE seq = -1",
    )
    report = world.lc.verify_audit(None)
    assert report.first_bad_seq == 2
    assert "audit chain broken at row seq 2" in report.problems[0]


def test_deleting_the_last_row_is_caught_by_the_head(world: World) -> None:
    """A chain alone cannot show a missing tail; the trigger-maintained head row can."""
    last = _chain(world)
    _force(world.db, f"DELETE FROM audit_events WHERE seq = {last}")
    report = world.lc.verify_audit(None)
    assert report.first_bad_seq == last
    assert f"audit head is seq {last} but the last row is seq {last - 1}" in report.problems[0]


def test_an_export_anchor_catches_a_rewritten_tail(world: World) -> None:
    """Even if the head row is rewritten too, an export kept elsewhere still pins the chain."""
    last = _chain(world)
    with world.db.session() as s:
        head_hash = s.execute(text("SELECT hash FROM audit_events WHERE seq = :s"), {"s": last}).scalar_one()
    _force(
        world.db,
        f"DELETE FROM audit_events WHERE seq = {last}",
        f"UPDATE audit_head SET seq = {last - 1}, hash = (SELECT hash FROM audit_events WHERE seq = {last - 1})",
    )
    assert world.lc.verify_audit(None).ok  # the rewrite is consistent inside the database...
    report = world.lc.verify_audit(None, anchors=[(last, head_hash)])
    assert not report.ok and report.first_bad_seq == last  # ...but not with the anchor kept outside
