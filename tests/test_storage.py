"""Storage on a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from copilot.domain.audit import verify_chain
from copilot.errors import InputError, NotFound
from copilot.schema import ActionItem, Evidence, ReviewDraft, ReviewState, Role, Segment, Transcript
from copilot.storage import Database, repo


def _draft() -> ReviewDraft:
    return ReviewDraft(
        meeting_date=dt.date(2026, 11, 30),
        action_items=[
            ActionItem(
                owner="employee",
                task="Send the latency plan",
                due=dt.date(2026, 12, 4),
                evidence=[Evidence(segment_id=1, quote="I'll send you the plan")],
            )
        ],
    )


def _transcript() -> Transcript:
    return Transcript(
        language="en",
        duration_s=4.0,
        segments=[
            Segment(id=1, start=0.0, end=3.0, speaker="employee", text="Yes, I'll send you the plan by Friday."),
        ],
    )


def _people(database: Database) -> tuple[str, str]:
    with database.session() as sess:
        manager = repo.add_user(sess, name="Dana Lee", email="dana@example.com", role=Role.manager)
        employee = repo.add_user(
            sess, name="Priya Shah", email="priya@example.com", role=Role.employee, manager_id=manager.id
        )
        return manager.id, employee.id


@pytest.mark.e2e
def test_review_round_trip(database: Database) -> None:
    manager_id, employee_id = _people(database)
    with database.session() as sess:
        trow = repo.add_transcript(sess, transcript=_transcript(), audio_path=None)
        review = repo.create_review(
            sess,
            employee_id=employee_id,
            manager_id=manager_id,
            draft=_draft(),
            transcript_id=trow.id,
            author_id=manager_id,
        )
        review_id = review.id
    with database.session() as sess:
        public = repo.review_public(sess, repo.get_review_row(sess, review_id=review_id))
        items = repo.list_action_items(sess, review_id=review_id)
        transcript = repo.get_transcript(sess, transcript_id=trow.id)
    assert public.state is ReviewState.draft
    assert public.version == 1
    assert public.draft == _draft()
    assert [(i.owner, i.task, i.due) for i in items] == [("employee", "Send the latency plan", dt.date(2026, 12, 4))]
    assert transcript == _transcript()
    assert len(review_id) == 36 and review_id.count("-") == 4


@pytest.mark.e2e
def test_failed_unit_of_work_leaves_nothing_behind(database: Database) -> None:
    manager_id, employee_id = _people(database)
    with pytest.raises(RuntimeError), database.session() as sess:
        repo.create_review(
            sess, employee_id=employee_id, manager_id=manager_id, draft=_draft(), transcript_id=None, author_id=None
        )
        raise RuntimeError("crash after the write, before commit")
    with database.session() as sess:
        assert sess.execute(text("SELECT count(*) FROM reviews")).scalar() == 0
        assert sess.execute(text("SELECT count(*) FROM review_versions")).scalar() == 0
        assert sess.execute(text("SELECT count(*) FROM action_items")).scalar() == 0


@pytest.mark.e2e
def test_users_are_unique_and_foreign_keys_hold(database: Database) -> None:
    _people(database)
    with pytest.raises(InputError, match="already exists"), database.session() as sess:
        repo.add_user(sess, name="Dup", email="DANA@example.com", role=Role.hr)
    with pytest.raises(InputError, match="does not exist"), database.session() as sess:
        repo.add_user(sess, name="X", email="x@example.com", role=Role.employee, manager_id="no-such-id")
    with pytest.raises(NotFound), database.session() as sess:
        repo.get_review_row(sess, review_id="missing")


@pytest.mark.e2e
def test_audit_chain_appends_and_refuses_update_and_delete(database: Database) -> None:
    for i in range(3):
        with database.session() as sess:
            repo.append_audit(
                sess, actor_id=None, action="test.event", object_type="test", object_id=None, details={"i": i}
            )
    with database.session() as sess:
        report = verify_chain(repo.audit_chain(sess))
    assert report.ok and report.checked == 3
    for statement in (
        "UPDATE audit_events SET action = 'forged' WHERE seq = 2",
        "DELETE FROM audit_events WHERE seq = 2",
    ):
        with pytest.raises(DBAPIError, match="append-only"), database.session() as sess:
            sess.execute(text(statement))
    with database.session() as sess:
        assert verify_chain(repo.audit_chain(sess)).ok


def test_sqlite_pragmas(tmp_path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'p.db'}")
    db.migrate()
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert db.integrity_check() == "ok"
    db.dispose()


def test_migrate_is_idempotent(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    for _ in range(2):
        db = Database(url)
        db.migrate()
        db.dispose()


def test_concurrent_migrations_in_one_process(tmp_path) -> None:
    """Alembic's global state must not break two databases migrating at once (API workers, tests)."""
    from concurrent.futures import ThreadPoolExecutor

    dbs = [Database(f"sqlite:///{tmp_path / f'c{i}.db'}") for i in range(4)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda db: db.migrate(), dbs))
    for db in dbs:
        assert db.integrity_check() == "ok"
        db.dispose()
