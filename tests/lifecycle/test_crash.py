"""kill -9 inside a signing and archiving loop, many times: nothing acknowledged lost, nothing half done."""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select as sql_select

from copilot.storage import Database
from copilot.storage.lifecycle_models import OutboxRow, SignatureRow
from copilot.storage.models import ActionItemRow, AuditEventRow, ReviewRow, ReviewVersionRow
from tests.lifecycle.helpers import FakeClock, add_people, make_lifecycle

RUNS = int(os.environ.get("COPILOT_CRASH_RUNS", "20"))  # raise it for a longer soak run
WORKER = Path(__file__).with_name("crash_worker.py")


def _read_acks(proc: subprocess.Popen[str], want: int, timeout_s: float) -> list[tuple[str, str]]:
    """Read acknowledgement lines until `want` steps are acknowledged (or the worker stops)."""
    assert proc.stdout is not None
    acks: list[tuple[str, str]] = []
    deadline = time.monotonic() + timeout_s
    while sum(1 for step, _ in acks if step != "ready") < want and time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        if ready:
            line = proc.stdout.readline()
            if not line:
                break
            step, review_id = line.split()
            acks.append((step, review_id))
    return acks


def _check(db: Database, home: Path, acked: list[tuple[str, str]]) -> int:
    """Every acknowledged step is present and every review is in a whole state; returns lost writes."""
    assert db.integrity_check() == "ok"
    report = make_lifecycle(db, home, FakeClock()).verify_audit(None)
    assert report.ok, report.problems
    lost = 0
    with db.session() as s:
        reviews = {r.id: r for r in s.scalars(sql_select(ReviewRow))}
        sigs = Counter(s.scalars(sql_select(SignatureRow.review_id)))
        outbox = Counter(s.scalars(sql_select(OutboxRow.event_type)))
        signed_events = set(
            s.scalars(sql_select(OutboxRow.aggregate_id).where(OutboxRow.event_type == "review.signed"))
        )
        exports = set(s.scalars(sql_select(AuditEventRow.object_id).where(AuditEventRow.action == "review.export")))
        creates = set(s.scalars(sql_select(AuditEventRow.object_id).where(AuditEventRow.action == "review.create")))
        versions = Counter(s.scalars(sql_select(ReviewVersionRow.review_id)))
        items = Counter(s.scalars(sql_select(ActionItemRow.review_id)))
        for step, rid in acked:
            review = reviews.get(rid)
            present = (
                review is not None
                and {
                    "created": True,
                    "sent": review.state != "draft",
                    "signed_manager": sigs[rid] >= 1,
                    "archived": review.state == "signed" and rid in signed_events,
                    "exported": rid in exports,
                }[step]
            )
            lost += 0 if present else 1
        for rid, review in reviews.items():  # whole states only
            assert rid in creates and versions[rid] == 1 and items[rid] == 3, rid
            expected_sigs = {"draft": 0, "in_review": 0, "partially_signed": 1, "signed": 2}[review.state]
            assert sigs[rid] == expected_sigs, (rid, review.state, sigs[rid])
            assert (rid in signed_events) == (review.state == "signed"), rid
        n_signed = sum(1 for r in reviews.values() if r.state == "signed")
        assert outbox["review.signed"] == n_signed and outbox["action_item.created"] == 3 * n_signed
        assert s.scalar(sql_select(func.count()).select_from(AuditEventRow)) == report.events_checked
    return lost


@pytest.mark.e2e
@pytest.mark.slow
def test_kill_9_during_signing_loop_loses_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    home = tmp_path / "home"
    db = Database(url)
    people = add_people(db)
    rng = random.Random(20261125)
    acked: list[tuple[str, str]] = []
    for _run in range(RUNS):
        proc = subprocess.Popen(
            [sys.executable, str(WORKER), url, str(home), people.manager, people.employee, people.hr],
            stdout=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
        )
        try:
            got = _read_acks(proc, rng.randint(1, 7), timeout_s=60)
            time.sleep(rng.uniform(0.0, 0.04))  # land the kill anywhere inside the next transaction
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            assert proc.stdout is not None
            got += [tuple(line.split()) for line in proc.stdout.read().splitlines()]  # type: ignore[misc]
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)
            if proc.stdout is not None:
                proc.stdout.close()
        assert proc.returncode == -signal.SIGKILL
        assert any(step == "ready" for step, _ in got), "worker never started"
        acked += [(step, rid) for step, rid in got if step != "ready"]
        check_db = Database(url)  # a fresh process's view: what a restart would find
        try:
            assert _check(check_db, home, acked) == 0
        finally:
            check_db.dispose()
    db.dispose()
    steps = Counter(step for step, _ in acked)
    print(f"crash test: {RUNS} kill -9 runs, {len(acked)} acknowledged writes {dict(steps)}, 0 lost")  # noqa: T201
    assert steps["archived"] >= 5  # the loop really got through signing many times
