"""Every rule of the pure lifecycle state machine, checked against an independent table."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from copilot.domain import lifecycle as lc
from copilot.domain.lifecycle import Action, Party
from copilot.errors import ConflictError, PermissionDenied
from copilot.schema import Evidence, Flag, ReviewState
from tests.lifecycle.helpers import demo_draft, demo_transcript

S, A, P = ReviewState, Action, Party
M, E = P.manager, P.employee
# The specification, written out independently of the implementation's table.
SPEC: dict[tuple[ReviewState, Action], set[Party | None]] = {
    (S.draft, A.edit): {M},
    (S.draft, A.send): {M},
    (S.draft, A.comment): {M},
    (S.reopened, A.edit): {M},
    (S.reopened, A.send): {M},
    (S.reopened, A.comment): {M},
    (S.in_review, A.edit): {M, E},
    (S.in_review, A.comment): {M, E},
    (S.in_review, A.respond): {E},
    (S.in_review, A.sign): {M, E},
    (S.in_review, A.expire): {None, M, E},
    (S.partially_signed, A.edit): {M, E},
    (S.partially_signed, A.comment): {M, E},
    (S.partially_signed, A.respond): {E},
    (S.partially_signed, A.sign): {M, E},
    (S.partially_signed, A.expire): {None, M, E},
    (S.signed, A.reopen): {None, M, E},
    (S.expired, A.send): {M},
}


@pytest.mark.parametrize(("state", "action", "party"), list(itertools.product(S, A, [M, E, None])))
def test_every_state_action_party(state: ReviewState, action: Action, party: Party | None) -> None:
    allowed = SPEC.get((state, action))
    if allowed is None:
        with pytest.raises(ConflictError, match=f"cannot {action.value}"):
            lc.check(state, action, party)
    elif party in allowed:
        lc.check(state, action, party)
    else:
        with pytest.raises(PermissionDenied):
            lc.check(state, action, party)


def test_signed_review_refuses_edit_with_a_clear_message() -> None:
    with pytest.raises(ConflictError, match="signed and archived; it is immutable"):
        lc.check(S.signed, A.edit, M)


@pytest.mark.parametrize(
    ("state", "action", "after"),
    [
        (S.draft, A.edit, S.draft),
        (S.reopened, A.edit, S.reopened),
        (S.in_review, A.edit, S.in_review),
        (S.partially_signed, A.edit, S.in_review),  # an edit voids the signature
        (S.draft, A.send, S.in_review),
        (S.reopened, A.send, S.in_review),
        (S.expired, A.send, S.in_review),
        (S.in_review, A.expire, S.expired),
        (S.partially_signed, A.expire, S.expired),
        (S.in_review, A.comment, S.in_review),
        (S.partially_signed, A.respond, S.partially_signed),
    ],
)
def test_next_state(state: ReviewState, action: Action, after: ReviewState) -> None:
    assert lc.next_state(state, action) is after


def test_state_after_signing() -> None:
    assert lc.state_after_signing({M}) is S.partially_signed
    assert lc.state_after_signing({E}) is S.partially_signed
    assert lc.state_after_signing({M, E}) is S.signed


def test_employee_sees_only_sent_reviews() -> None:
    assert [s for s in S if not lc.visible_to_employee(s)] == [S.draft, S.reopened]


def test_deadline_and_overdue() -> None:
    sent = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)
    deadline = lc.signing_deadline(sent, 48)
    assert deadline == dt.datetime(2026, 11, 4, 8, 0, tzinfo=dt.UTC)
    assert not lc.is_overdue(S.in_review, deadline, deadline - dt.timedelta(seconds=1))
    assert lc.is_overdue(S.in_review, deadline, deadline)
    assert lc.is_overdue(S.partially_signed, deadline, deadline + dt.timedelta(hours=1))
    assert not lc.is_overdue(S.signed, deadline, deadline + dt.timedelta(days=9))
    assert not lc.is_overdue(S.draft, None, deadline)


def test_escalation_levels_step_per_day() -> None:
    deadline = dt.datetime(2026, 11, 4, tzinfo=dt.UTC)
    assert lc.escalation_level(deadline, deadline - dt.timedelta(minutes=1)) == 0
    assert lc.escalation_level(deadline, deadline) == 1
    assert lc.escalation_level(deadline, deadline + dt.timedelta(hours=23)) == 1
    assert lc.escalation_level(deadline, deadline + dt.timedelta(hours=24)) == 2
    assert lc.escalation_level(deadline, deadline + dt.timedelta(hours=50), step_hours=12) == 5


def test_action_item_overdue() -> None:
    today = dt.date(2026, 11, 30)
    assert lc.action_item_overdue("open", dt.date(2026, 11, 29), today)
    assert not lc.action_item_overdue("open", today, today)
    assert not lc.action_item_overdue("done", dt.date(2026, 11, 1), today)
    assert not lc.action_item_overdue("open", None, today)


def test_unresolved_evidence_blocks_until_fixed() -> None:
    t = demo_transcript()
    draft = demo_draft(t)
    assert lc.unresolved_evidence(draft, t) == []
    draft.contributions[0].flags.append(Flag.needs_evidence)
    draft.action_items[0].evidence = [Evidence(segment_id=99, quote="nothing")]
    draft.summary[0].evidence = [Evidence(segment_id=0, quote="words never said")]
    assert lc.unresolved_evidence(draft, t) == [
        "summary[0]: quote not found in segment 0",
        "contributions[0]: flagged needs_evidence",
        "action_items[0]: cites unknown segment 99",
    ]
    # without a transcript only the flags can be checked
    assert lc.unresolved_evidence(draft, None) == ["contributions[0]: flagged needs_evidence"]
