"""Readable Markdown for a draft, with every statement's citations visible."""

from __future__ import annotations

from copilot.schema import Cited, Evidence, ReviewDraft, Transcript


def _timestamp(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes:02d}:{secs:02d}"


def _cite(evidence: list[Evidence], transcript: Transcript | None) -> str:
    if not evidence:
        return "_no evidence_"
    parts = []
    for ev in evidence:
        seg = transcript.segment(ev.segment_id) if transcript else None
        where = f"#{ev.segment_id}" + (f" {_timestamp(seg.start)}" if seg else "")
        parts.append(f"[{where}] “{_cell(ev.quote)}”")
    return "; ".join(parts)


def _cell(text: str) -> str:
    """Keep table cells on one line and stop transcript text from breaking the table."""
    return " ".join(text.split()).replace("|", "\\|")


def _flags(item: Cited) -> str:
    return f" **[{', '.join(f.value for f in item.flags)}]**" if item.flags else ""


def draft_to_markdown(draft: ReviewDraft, transcript: Transcript | None = None) -> str:
    """Render the draft for people: sections as bullet lists, action items as a table."""
    who = " · ".join(
        x
        for x in (draft.employee and f"Employee: {draft.employee}", draft.manager and f"Manager: {draft.manager}")
        if x
    )
    lines = [f"# Review draft, meeting of {draft.meeting_date.isoformat()}", ""]
    if who:
        lines += [who, ""]

    def section(title: str, items: list[tuple[str, Cited]]) -> None:
        lines.append(f"## {title}")
        if not items:
            lines.append("_Nothing recorded._")
        for text, item in items:
            lines.append(f"- {_cell(text)}{_flags(item)} — {_cite(item.evidence, transcript)}")
        lines.append("")

    section("Summary", [(p.text, p) for p in draft.summary])
    section(
        "OKR / KPI progress",
        [(f"{o.objective}: {o.status.replace('_', ' ')}. {o.note}".strip(), o) for o in draft.okr_progress],
    )
    section("Contributions", [(c.statement, c) for c in draft.contributions])
    section("Improvement areas", [(f"{a.area}: {a.behavioural_example}", a) for a in draft.improvement_areas])
    section(
        "Development plan", [(g.goal + (f" ({g.timeframe})" if g.timeframe else ""), g) for g in draft.development_plan]
    )
    section(
        "Behaviour observations",
        [
            (
                f"{b.competency}: {b.observation}"
                + (f" (suggested level, for a person to decide: {b.suggested_level})" if b.suggested_level else ""),
                b,
            )
            for b in draft.behaviour_observations
        ],
    )
    if draft.previous_action_items:
        section(
            "Previous action items",
            [(f"{p.task} ({p.owner}): {p.status.replace('_', ' ')}", p) for p in draft.previous_action_items],
        )
    lines += ["## Action items", "", "| Owner | Task | Due | Evidence |", "|---|---|---|---|"]
    for item in draft.action_items:
        due = item.due.isoformat() if item.due else "—"
        lines.append(
            f"| {_cell(item.owner)} | {_cell(item.task)}{_flags(item)} | {due} | {_cite(item.evidence, transcript)} |"
        )
    if not draft.action_items:
        lines.append("| — | _no action items found_ | | |")
    lines.append("")
    if draft.review_flags:  # kept out of the content above: a person decides what, if anything, they mean
        lines += ["## For a person to decide", ""]
        for flag in draft.review_flags:
            lines.append(f"- **{flag.kind.replace('_', ' ')}**: {flag.reason} — {_cite(flag.evidence, transcript)}")
        lines.append("")
    return "\n".join(lines)
