"""PDF export of a signed review (reportlab).

Sections, action items, evidence timestamps, signatures, certificate, audit.

Latin text uses the standard Helvetica fonts; a review containing other
scripts (Chinese, for example) switches to reportlab's built-in CID font
STSong-Light, which needs no font files on the machine.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from copilot.schema import Cited, ReviewDraft

CJK_FONT = "STSong-Light"


def _needs_cid_font(bundle: dict[str, Any]) -> bool:
    import json

    return any(ord(ch) > 0x24F for ch in json.dumps(bundle, ensure_ascii=False))


def _styles(font: str | None) -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    names = ("Title", "Heading2", "BodyText", "Normal")
    styles = {n: ParagraphStyle(f"rc{n}", parent=base[n]) for n in names}
    styles["Small"] = ParagraphStyle("rcSmall", parent=base["BodyText"], fontSize=7.5, leading=9)
    if font:
        for style in styles.values():
            style.fontName = font
    return styles


def _time(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes:02d}:{secs:02d}"


def _cite(item: Cited, times: dict[str, float]) -> str:
    refs = []
    for ev in item.evidence:
        start = times.get(str(ev.segment_id))
        refs.append(f"#{ev.segment_id}" + (f" {_time(start)}" if start is not None else "") + f" “{ev.quote}”")
    flags = f" [flags: {', '.join(f.value for f in item.flags)}]" if item.flags else ""
    return ("; ".join(refs) or "no evidence") + flags


def _sections(draft: ReviewDraft) -> list[tuple[str, list[tuple[str, Cited]]]]:
    return [
        ("Summary", [(p.text, p) for p in draft.summary]),
        (
            "OKR / KPI progress",
            [(f"{o.objective}: {o.status.replace('_', ' ')}. {o.note}", o) for o in draft.okr_progress],
        ),
        ("Contributions", [(c.statement, c) for c in draft.contributions]),
        ("Improvement areas", [(f"{a.area}: {a.behavioural_example}", a) for a in draft.improvement_areas]),
        (
            "Development plan",
            [(g.goal + (f" ({g.timeframe})" if g.timeframe else ""), g) for g in draft.development_plan],
        ),
        ("Behaviour observations", [(f"{b.competency}: {b.observation}", b) for b in draft.behaviour_observations]),
        (
            "Previous action items",
            [(f"{p.task} ({p.owner}): {p.status.replace('_', ' ')}", p) for p in draft.previous_action_items],
        ),
    ]


def _table(rows: list[list[Any]], widths: list[float], font: str | None) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    style: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if font:
        style.append(("FONTNAME", (0, 0), (-1, -1), font))
    table.setStyle(TableStyle(style))
    return table


def bundle_to_pdf(bundle: dict[str, Any]) -> bytes:
    """Render the JSON export as a PDF; the JSON stays the verifiable original."""
    font = None
    if _needs_cid_font(bundle):
        if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
        font = CJK_FONT
    st = _styles(font)

    def p(text: str, style: str = "BodyText") -> Paragraph:
        return Paragraph(escape(text), st[style])

    review, draft = bundle["review"], ReviewDraft.model_validate(bundle["content"])
    times = {str(k): float(v) for k, v in bundle["evidence_times"].items()}
    story: list[Any] = [
        p(f"Performance review: {draft.employee or review['employee']['name']}", "Title"),
        p(
            f"Meeting {draft.meeting_date.isoformat()} · manager {draft.manager or review['manager']['name']} · "
            f"version {review['version']} · {review['state']}"
        ),
        p(f"Review {review['id']} · content sha256 {bundle['content_sha256']}", "Small"),
        Spacer(1, 4 * mm),
    ]
    for title, items in _sections(draft):
        if not items:
            continue
        story.append(p(title, "Heading2"))
        for text, item in items:
            story.append(p(f"• {text}"))
            story.append(p(f"   evidence: {_cite(item, times)}", "Small"))
    story.append(p("Action items", "Heading2"))
    rows: list[list[Any]] = [[p("Owner", "Small"), p("Task", "Small"), p("Due", "Small"), p("Evidence", "Small")]]
    for item in draft.action_items:
        rows.append(
            [
                p(item.owner, "Small"),
                p(item.task, "Small"),
                p(item.due.isoformat() if item.due else "—", "Small"),
                p(_cite(item, times), "Small"),
            ]
        )
    story.append(_table(rows, [25 * mm, 60 * mm, 22 * mm, 70 * mm], font))
    story.append(p("Employee's responses", "Heading2"))
    for r in bundle["field_responses"] or []:
        label = "agrees" if r["decision"] == "agree" else "acknowledges with objection"
        story.append(p(f"• {r['field_path']}: {label}" + (f": “{r['statement']}”" if r["statement"] else "")))
    if not bundle["field_responses"]:
        story.append(p("No field responses recorded."))
    story.append(p("Signatures", "Heading2"))
    rows = [[p(h, "Small") for h in ("Role", "Name", "Signed at (UTC)", "Key id")]]
    for s in bundle["signatures"]:
        rec = s["record"]
        rows.append(
            [
                p(rec["signer_role"], "Small"),
                p(f"{rec['signer_name']} <{rec['signer_email']}>", "Small"),
                p(rec["signed_at"], "Small"),
                p(rec["key_id"], "Small"),
            ]
        )
    story.append(_table(rows, [20 * mm, 55 * mm, 42 * mm, 60 * mm], font))

    cert = bundle["certificate"]
    story += [
        PageBreak(),
        p(cert["title"], "Title"),
        p(f"Review {cert['review_id']}, version {cert['version']}, completed {cert['completed_at']}."),
        p(f"Content sha256: {cert['content_sha256']}", "Small"),
        Spacer(1, 3 * mm),
    ]
    for s in cert["signers"]:
        story += [
            p(
                f"{s['name']} ({s['role']}, {s['email']}) signed at {s['signed_at']} with {s['algorithm']} key "
                f"{s['key_id']}; signature {s['signature_id']}."
            ),
            p(f"Intent affirmed: “{s['intent']}”", "Small"),
            Spacer(1, 2 * mm),
        ]
    audit = bundle["audit"]
    story += [
        p("Audit summary", "Heading2"),
        p(
            f"{len(audit['events'])} events on this review. Audit chain head at export: seq {audit['head']['seq']}, "
            f"{audit['head']['hash']}.",
            "Small",
        ),
    ]
    rows = [[p(h, "Small") for h in ("Seq", "Time (UTC)", "Action", "Event hash")]]
    for e in audit["events"]:
        rows.append([p(str(e["seq"]), "Small"), p(e["at"], "Small"), p(e["action"], "Small"), p(e["hash"], "Small")])
    story.append(_table(rows, [12 * mm, 45 * mm, 30 * mm, 90 * mm], font))
    story.append(Spacer(1, 3 * mm))
    story.append(p("Verify the JSON export of this review offline with: copilot verify FILE.json", "Small"))

    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=f"Review {review['id']}",
        author="Review Copilot",
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        invariant=True,
    )
    doc.build(story)
    return out.getvalue()
