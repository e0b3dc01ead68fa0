"""Two people saving at the same moment: exactly one conflict, and no edit lost after the retry."""

from __future__ import annotations

import threading
from pathlib import Path

from copilot.errors import ConflictError
from copilot.schema import ReviewDraft
from copilot.storage import Database
from tests.lifecycle.conftest import World
from tests.lifecycle.helpers import make_lifecycle


def test_two_concurrent_editors_one_conflict_zero_lost_edits(world: World, db_url: str, tmp_path: Path) -> None:
    review = world.new_review()
    p = world.people
    # each editor has its own engine and connection pool, like two API workers
    dbs = [Database(db_url), Database(db_url)]
    for db in dbs:
        db.migrate()
    services = [make_lifecycle(db, tmp_path) for db in dbs]
    edits = {
        p.manager: ("summary[0].text", "Manager's wording."),
        p.employee: ("contributions[0].statement", "Employee's wording."),
    }
    start = threading.Barrier(2, timeout=30)
    outcomes: dict[str, object] = {}
    crashes: list[BaseException] = []

    def apply(draft: ReviewDraft, who: str) -> ReviewDraft:
        data = draft.model_dump(mode="json")
        if who == p.manager:
            data["summary"][0]["text"] = edits[who][1]
        else:
            data["contributions"][0]["statement"] = edits[who][1]
        return ReviewDraft.model_validate(data)

    def editor(index: int, who: str) -> None:
        try:
            edit_once(index, who)
        except BaseException as exc:  # surfaced below, not lost in the thread
            crashes.append(exc)
            start.abort()

    def edit_once(index: int, who: str) -> None:
        lc = services[index]
        seen = lc.get(who, review.id)
        start.wait()
        try:
            lc.edit(who, review.id, base_version=seen.version, draft=apply(seen.draft, who))
            outcomes[who] = "saved"
        except ConflictError as exc:
            outcomes[who] = exc
            latest = lc.get(who, review.id)  # the refusal named what changed; re-apply on top of it
            lc.edit(who, review.id, base_version=latest.version, draft=apply(latest.draft, who))

    threads = [threading.Thread(target=editor, args=(i, who)) for i, who in enumerate(edits)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for db in dbs:
        db.dispose()

    assert not crashes, crashes
    conflicts = [o for o in outcomes.values() if isinstance(o, ConflictError)]
    assert len(outcomes) == 2 and len(conflicts) == 1
    details = conflicts[0].details
    assert details["current_version"] == 2
    loser = next(who for who, o in outcomes.items() if isinstance(o, ConflictError))
    winner = next(who for who in edits if who != loser)
    assert [c["path"] for c in details["their_changes"]] == [edits[winner][0]]  # type: ignore[index]
    assert details["changed_by"] == [winner]
    final = world.lc.get(p.manager, review.id)
    assert final.version == 3
    assert final.draft.summary[0].text == "Manager's wording."
    assert final.draft.contributions[0].statement == "Employee's wording."
    assert world.lc.verify_audit(None).ok
