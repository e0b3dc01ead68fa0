"""Evidence verification: every cited quote must be verbatim in the segment it names.

Code checks every item; an item whose evidence is missing, cites an unknown
segment or quotes words not in it is flagged `needs_evidence`, never silently
kept as if grounded.
"""

from __future__ import annotations

from copilot.schema import Cited, Evidence, Flag, OkrProgress, PreviousActionReview, ReviewDraft, Transcript


def evidence_ok(evidence: Evidence, transcript: Transcript) -> bool:
    segment = transcript.segment(evidence.segment_id)
    return segment is not None and bool(evidence.quote.strip()) and evidence.quote in segment.text


def verify_item(item: Cited, transcript: Transcript) -> bool:
    """True when the item has evidence and all of it checks out; otherwise flag it.

    A KPI imported from HR data, or an earlier action item, that was not discussed has nothing to cite:
    its source is that data, and "not discussed" is the finding.
    """
    if not item.evidence and (
        (isinstance(item, OkrProgress) and item.kpi is not None and item.status == "not_discussed")
        or (isinstance(item, PreviousActionReview) and item.status == "not_discussed")
    ):
        return True
    ok = bool(item.evidence) and all(evidence_ok(e, transcript) for e in item.evidence)
    if not ok and Flag.needs_evidence not in item.flags:
        item.flags.append(Flag.needs_evidence)
    return ok


def verify_draft(draft: ReviewDraft, transcript: Transcript) -> int:
    """Check every cited item of a draft; returns how many were flagged."""
    return sum(0 if verify_item(item, transcript) else 1 for item in draft.cited_items())
