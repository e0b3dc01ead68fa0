"""The review state machine: which action is allowed in which state, by which party.

draft → in_review → partially_signed → signed (archived). An amendment of a
signed review is a new review in `reopened` that links to the signed one,
which stays untouched. A review whose signing deadline passes becomes
`expired` until the manager sends it again. Pure rules, every one tested.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Collection, Iterable
from enum import StrEnum

from copilot.errors import ConflictError, PermissionDenied
from copilot.schema import SECTION_NAMES, Cited, Flag, ReviewDraft, ReviewState, Transcript


class Party(StrEnum):
    """The two people a review is between; only they write to it."""

    manager = "manager"
    employee = "employee"


class Action(StrEnum):
    edit = "edit"
    send = "send"
    comment = "comment"
    respond = "respond"  # the employee's agree / acknowledge_with_objection on a field
    sign = "sign"
    expire = "expire"
    reopen = "reopen"


S, A, P = ReviewState, Action, Party
_BOTH = frozenset({P.manager, P.employee})
_MANAGER = frozenset({P.manager})
_EMPLOYEE = frozenset({P.employee})
_SYSTEM: frozenset[Party] = frozenset()  # not a party action: the deadline sweep or HR

_UNDER_REVIEW = {A.edit: _BOTH, A.comment: _BOTH, A.respond: _EMPLOYEE, A.sign: _BOTH, A.expire: _SYSTEM}
_PREPARING = {A.edit: _MANAGER, A.send: _MANAGER, A.comment: _MANAGER}

ALLOWED: dict[ReviewState, dict[Action, frozenset[Party]]] = {
    S.draft: _PREPARING,
    S.reopened: _PREPARING,
    S.in_review: _UNDER_REVIEW,
    S.partially_signed: _UNDER_REVIEW,
    S.signed: {A.reopen: _SYSTEM},
    S.expired: {A.send: _MANAGER},
}
"""State → action → parties allowed; `_SYSTEM` means no party check here (permissions decide)."""

_REFUSAL = {
    S.signed: "review is signed and archived; it is immutable (start an amendment with reopen)",
    S.expired: "review's signing deadline passed; the manager must send it again first",
    S.draft: "review has not been sent for review yet",
    S.reopened: "amendment has not been sent for review yet",
}


def check(state: ReviewState, action: Action, party: Party | None) -> None:
    """Refuse an action the state does not allow (ConflictError) or a party may not take (PermissionDenied)."""
    allowed = ALLOWED[state].get(action)
    if allowed is None:
        reason = _REFUSAL.get(state, f"review is {state.value}")
        raise ConflictError(f"cannot {action.value}: {reason}", details={"state": state.value})
    if allowed and party not in allowed:
        who = party.value if party else "this user"
        raise PermissionDenied(f"the {who} may not {action.value} a review in state {state.value}")


def next_state(state: ReviewState, action: Action) -> ReviewState:
    """The state after an allowed action other than sign (see `state_after_signing`)."""
    if action is A.edit:
        # An edit after any signature voids it: both sign the new text again.
        return S.in_review if state is S.partially_signed else state
    if action is A.send:
        return S.in_review
    if action is A.expire:
        return S.expired
    return state


def state_after_signing(signed_by: Collection[Party]) -> ReviewState:
    """Signatures on the current version decide: both → signed (archived), one → partially signed."""
    return S.signed if set(signed_by) >= _BOTH else S.partially_signed


def visible_to_employee(state: ReviewState) -> bool:
    """The employee sees a review once it is sent; drafts and unsent amendments are the manager's."""
    return state not in (S.draft, S.reopened)


# --------------------------------------------------------------------------- deadlines


def signing_deadline(sent_at: dt.datetime, hours: float) -> dt.datetime:
    return sent_at + dt.timedelta(hours=hours)


def is_overdue(state: ReviewState, deadline: dt.datetime | None, now: dt.datetime) -> bool:
    """Only reviews still waiting for signatures can be overdue."""
    return deadline is not None and state in (S.in_review, S.partially_signed, S.expired) and now >= deadline


def escalation_level(deadline: dt.datetime, now: dt.datetime, *, step_hours: float = 24.0) -> int:
    """0 before the deadline, 1 at it, one more for every further `step_hours` overdue."""
    if now < deadline:
        return 0
    return 1 + math.floor((now - deadline) / dt.timedelta(hours=step_hours))


def action_item_overdue(status: str, due: dt.date | None, today: dt.date) -> bool:
    return status == "open" and due is not None and due < today


# --------------------------------------------------------------------------- evidence


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


def unresolved_evidence(draft: ReviewDraft, transcript: Transcript | None) -> list[str]:
    """Items that block signing: flagged `needs_evidence`, or citing a quote the transcript lacks."""
    problems: list[str] = []
    for section, items in _cited_sections(draft):
        for index, item in enumerate(items):
            where = f"{section}[{index}]"
            if Flag.needs_evidence in item.flags:
                problems.append(f"{where}: flagged needs_evidence")
                continue
            if transcript is None:
                continue
            for ev in item.evidence:
                seg = transcript.segment(ev.segment_id)
                if seg is None:
                    problems.append(f"{where}: cites unknown segment {ev.segment_id}")
                elif _norm(ev.quote) not in _norm(seg.text):
                    problems.append(f"{where}: quote not found in segment {ev.segment_id}")
    return problems


def _cited_sections(draft: ReviewDraft) -> Iterable[tuple[str, list[Cited]]]:
    for name in SECTION_NAMES:
        yield name, getattr(draft, name)
