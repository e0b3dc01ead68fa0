"""Open action items from the previous review: done, slipped or not discussed, with evidence.

Rules decide from the sentences that talk about the item (content-word
overlap with its task); the evidence is those sentences, verbatim.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from copilot.errors import InputError
from copilot.schema import ActionItem, Evidence, PreviousActionReview, ReviewDraft
from summarize.text import Sentence, content_words, overlap

DONE = re.compile(
    r"\b(?:done|finished|completed|sent|shipped|booked|delivered|published|submitted|wrapped\s+up|closed|did\s+(?:it|that)|"
    r"have\s+(?:sent|done|finished|booked|posted)|posted)\b|完成了|做完了|已经|已經|搞定",
    re.I,
)
SLIPPED = re.compile(
    r"\b(?:not\s+yet|haven't|hasn't|didn't|did\s+not|delayed|slipp\w*|still\s+(?:working|pending|open)|behind|"
    r"postponed|pushed|late|missed|ran\s+out\s+of\s+time)\b|还没|還沒|没有完成|沒有完成|推迟|推遲|延期",
    re.I,
)
MATCH_OVERLAP = 0.5


def load_previous(path: Path) -> list[ActionItem]:
    """Open action items from a previous ReviewDraft JSON or a JSON list of action items."""
    if not path.is_file():
        raise InputError(f"previous review file not found: {path}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path} is not valid JSON: {exc}") from exc
    try:
        if isinstance(data, dict):
            items = ReviewDraft.model_validate(data).action_items
        else:
            items = TypeAdapter(list[ActionItem]).validate_python(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError(
            f"{path} is neither a review draft nor a list of action items: "
            f"{'.'.join(map(str, err['loc']))}: {err['msg']}"
        ) from exc
    return [item for item in items if item.status == "open"]


def review_previous(
    items: list[ActionItem], sents: list[Sentence], *, skip: frozenset[int]
) -> list[PreviousActionReview]:
    """Status of each earlier item as discussed in this meeting."""
    out: list[PreviousActionReview] = []
    for item in items:
        words = content_words(item.task)
        mentions = [s for s in sents if s.index not in skip and words and overlap(item.task, s.text) >= MATCH_OVERLAP]
        if not mentions:
            out.append(PreviousActionReview(task=item.task, owner=item.owner, status="not_discussed"))
            continue
        window = {s.index for m in mentions for s in sents[m.index : m.index + 2] if s.index not in skip}
        talk = [sents[i] for i in sorted(window)]
        done = any(DONE.search(s.text) and not SLIPPED.search(s.text) for s in talk)
        status = "done" if done else "slipped"
        cited = [s for s in talk if (DONE.search(s.text) if done else SLIPPED.search(s.text))] or mentions
        out.append(
            PreviousActionReview(
                task=item.task,
                owner=item.owner,
                status=status,
                evidence=[Evidence(segment_id=s.segment_id, quote=s.text) for s in cited[:2]],
            )
        )
    return out
