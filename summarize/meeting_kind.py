"""Is this meeting a review, or a short check-in? The draft and the item filter treat the two differently.

Why: a quick check-in ("just our monthly chat", "five minutes, that's all") holds a few real action items and
a lot of chit-chat. Drafted like a review, its chit-chat fills the review sections: "Someday I'd like to try
for lead" becomes a development goal, "Wang Lei helped with the replicas" a behaviour observation, "eight
days, and the target is ten" an OKR. On the 82 low-content dev check-ins that was 75 invented items in all
(SmolLM2, 28 Nov); authors who label such meetings list little there but an action item or a progress figure.

So a short meeting that opens by calling itself a check-in is drafted as one: summary, OKR/KPI progress and
action items, without the sections that judge the person (contributions, improvement areas, development plan,
behaviour), and with a flag that says so and how to draft it as a review instead. So is a short meeting whose
opening never names a review ("your appraisal", "the objectives", "mid-year", "growth plan"): a review says what
it is early, and a chat that opens with the weekend and mentions the mid-year review in passing at minute four is
not one. A person can also say which it is (`--meeting-kind`, `meeting_kind` on a recording upload,
`COPILOT_MEETING_KIND`). The words were read from dev
meetings; the counts of what they catch, and what they cost, are in the README ("Drafting").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from copilot.schema import MeetingKindRequest, Segment

MeetingKind = Literal["review", "check_in"]
RequestedKind = MeetingKindRequest

CHECK_IN_MAX_SEGMENTS = 40  # talk segments: every low-content dev check-in is shorter; most reviews are longer
CHECK_IN_HEAD = 6  # opening segments read for the announcement
CHECK_IN_OPENING = re.compile(
    r"\bcheck-in\b|\bcatch-up\b"
    r"|\b(?:quick|little|monthly|weekly|usual|regular|informal)\s+(?:check\s+in|catch\s+up|chat|one|word)\b"
    r"|\bjust\s+(?:a|our|the)\s+(?:(?:quick|monthly|weekly)\s+)?(?:check\s+in|catch\s+up|chat)\b"
    r"|\bnothing\s+(?:much\s+)?on\s+the\s+agenda\b|\bno\s+agenda\b|\bnothing\s+(?:serious|formal)\b"
    r"|\b(?:two|five|ten|couple\s+of)\s+minutes\b|\bthis(?:['’]ll|\s+will)\s+be\s+quick\b"
    r"|\bthe\s+monthly\b|\btouch\s+base\b",
    re.IGNORECASE,
)


REVIEW_HEAD = 10  # opening segments read for a review's name: 16 of the 17 short dev reviews name one by then
REVIEW_OPENING = re.compile(
    r"\b(?:review|appraisal|objectives?|OKRs?|KPIs?|mid-?(?:year|quarter)|year-?end|end[- ]of[- ]year"
    r"|development|growth|improvement\s+areas?|areas?\s+(?:for|of)\s+improvement|rating|career|promotion"
    r"|performance|feedback|your\s+(?:goals|targets))\b"
    r"|考核|绩效|績效|评估|評估|述职|述職|年中|年终|年終|季度|目标|目標|回顾|回顧|发展计划|發展計劃|晋升|晉升",
    re.IGNORECASE,
)


def review_opening(segments: Sequence[Segment]) -> Segment | None:
    """The opening segment that names a review or what a review covers, if one does."""
    return next((s for s in segments[:REVIEW_HEAD] if REVIEW_OPENING.search(s.text)), None)


def check_in_announcement(segments: Sequence[Segment]) -> Segment | None:
    """The opening segment that calls the meeting a short check-in, if one does."""
    return next((s for s in segments[:CHECK_IN_HEAD] if CHECK_IN_OPENING.search(s.text)), None)


def announced_check_in(segments: Sequence[Segment]) -> bool:
    """The meeting opens by saying it is a short check-in, where real items are few and chit-chat is most of it."""
    return check_in_announcement(segments) is not None


def meeting_kind(segments: Sequence[Segment], requested: RequestedKind = "auto") -> MeetingKind:
    """What a person said it is, or else: a short meeting that announces a check-in, or never names a review, is one."""
    if requested != "auto":
        return requested
    if len(segments) > CHECK_IN_MAX_SEGMENTS:
        return "review"
    return "check_in" if announced_check_in(segments) or review_opening(segments) is None else "review"
