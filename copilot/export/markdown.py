"""Markdown export of a signed review: the draft rendering plus responses, signatures, certificate and audit."""

from __future__ import annotations

from typing import Any

from copilot.render import draft_to_markdown
from copilot.schema import ReviewDraft, Transcript


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def certificate_markdown(cert: dict[str, Any]) -> list[str]:
    lines = [
        "## Certificate of Completion",
        "",
        f"Review `{cert['review_id']}`, version {cert['version']}, completed {cert['completed_at']}.",
        "",
        f"Content sha256: `{cert['content_sha256']}`",
        "",
    ]
    for s in cert["signers"]:
        lines += [
            f"- **{_cell(s['name'])}** ({s['role']}, {_cell(s['email'])}) signed at {s['signed_at']} "
            f"with {s['algorithm']} key `{s['key_id'][:16]}…`, signature `{s['signature_id']}`.",
            f"  Intent affirmed: “{_cell(s['intent'])}”",
        ]
    lines.append("")
    return lines


def bundle_to_markdown(bundle: dict[str, Any], transcript: Transcript | None = None) -> str:
    """Readable record of an archived review; `copilot verify` checks the JSON export, not this text."""
    review = bundle["review"]
    draft = ReviewDraft.model_validate(bundle["content"])
    body = draft_to_markdown(draft, transcript).replace("# Review draft, meeting", "# Signed review, meeting", 1)
    lines = [
        body.rstrip(),
        "",
        f"Review `{review['id']}` · version {review['version']} · state {review['state']}"
        + (f" · amends `{review['amends_review_id']}`" if review.get("amends_review_id") else ""),
        "",
        "## Employee's responses",
        "",
    ]
    responses = bundle["field_responses"]
    if not responses:
        lines.append("_No field responses recorded._")
    for r in responses:
        label = "agrees" if r["decision"] == "agree" else "acknowledges with objection"
        lines.append(f"- `{r['field_path']}`: {label}" + (f": “{_cell(r['statement'])}”" if r["statement"] else ""))
    lines += ["", "## Signatures", "", "| Role | Name | Signed at (UTC) | Key |", "|---|---|---|---|"]
    for s in bundle["signatures"]:
        rec = s["record"]
        lines.append(
            f"| {rec['signer_role']} | {_cell(rec['signer_name'])} | {rec['signed_at']} | `{rec['key_id'][:16]}…` |"
        )
    lines.append("")
    lines += certificate_markdown(bundle["certificate"])
    audit = bundle["audit"]
    lines += [
        "## Audit summary",
        "",
        f"{len(audit['events'])} events on this review; audit chain head at export: "
        f"seq {audit['head']['seq']}, `{audit['head']['hash']}`.",
        "",
        "| Seq | Time (UTC) | Action | Event hash |",
        "|---|---|---|---|",
    ]
    for e in audit["events"]:
        lines.append(f"| {e['seq']} | {e['at']} | {e['action']} | `{e['hash'][:16]}…` |")
    lines.append("")
    return "\n".join(lines)
