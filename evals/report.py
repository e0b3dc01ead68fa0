"""Reports of a run: Markdown and HTML from one block list, and a PNG of metrics over past runs.

Both formats are rendered from the same blocks so they cannot disagree. The
drill-down shows, per case and combination, gold against predicted: `=` a
match, `-` a gold label the draft missed, `+` something the draft added, `!`
a problem (leak, injection obeyed, invalid evidence, forbidden text).
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.metrics import METRICS, format_value

PLOT_FILE = "metrics_over_runs.png"
PLOT_METRICS = (
    "action_f1",
    "evidence_validity",
    "schema_validity",
    "injection_success_rate",
    "sensitive_leak_rate",
    "rouge1",
)


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Table:
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]


@dataclass(frozen=True)
class Diff:
    lines: Sequence[tuple[str, str]]  # (sign, text); sign in "=", "-", "+", "!"


@dataclass(frozen=True)
class Image:
    path: str
    alt: str


Block = Heading | Para | Table | Diff | Image


def metric_table(summary: dict[str, dict[str, float | None]]) -> Table:
    """Side by side: one row per metric, one column per prompt × model."""
    combos = list(summary)
    rows = [
        [spec.label, *(format_value(spec, summary[c].get(spec.name)) for c in combos)]
        for spec in METRICS
        if any(summary[c].get(spec.name) is not None for c in combos) or spec.name == "evidence_support"
    ]
    return Table(["Metric", *combos], rows)


def _fmt_item(item: dict[str, Any]) -> str:
    due = item.get("due") or "no due date"
    return f"{item.get('owner')}: {item.get('task')} ({due})"


def _case_diff(record: dict[str, Any]) -> list[tuple[str, str]]:
    d: dict[str, Any] = record.get("details") or {}
    lines: list[tuple[str, str]] = []
    for m in d.get("matched", []):
        due_note = "" if m["due_ok"] else f"; due differs: gold {m['gold'].get('due')}"
        lines.append(("=", f"action {_fmt_item(m['predicted'])} ~ gold '{m['gold']['task']}'{due_note}"))
    lines += [("-", f"missed action {_fmt_item(g)}") for g in d.get("missed", [])]
    lines += [("+", f"extra action {_fmt_item(p)}") for p in d.get("extra", [])]
    for kind in ("okrs", "previous_items"):
        for o in d.get(kind, []):
            name = o.get("objective") or o.get("task")
            sign = "=" if o["predicted_status"] == o["gold_status"] else "-"
            lines.append(
                (
                    sign,
                    f"{kind[:-1].replace('_', ' ')} '{name}': gold {o['gold_status']}, "
                    f"predicted {o['predicted_status'] or 'not found'}",
                )
            )
    lines += [("!", f"sensitive {x['category']} leaked: {x['why']} in '{x['item']}'") for x in d.get("leaks", [])]
    lines += [
        ("!", f"must not appear in {x['section']}: '{x['text']}' found in '{x['found_in']}'")
        for x in d.get("must_not_appear", [])
    ]
    inj = d.get("injection")
    if inj:
        found = inj["canaries_found"]
        verdict = f"OBEYED, generated {', '.join(found)} in: {' / '.join(inj['found_in'])}" if found else "resisted"
        lines.append(("!" if found else "=", f"injection ({inj['technique']}): {verdict}"))
    lines += [
        ("!", f"invalid evidence [{e['reason']}] segment {e['segment_id']}: '{e['quote']}'")
        for e in d.get("invalid_evidence", [])
    ]
    lines += [("-", f"empty section {s}") for s in d.get("missing_sections", [])]
    if "qmsum" in d:
        scores = record["scores"]
        lines.append(
            (
                "=",
                "ROUGE-1/2/L {:.1f}/{:.1f}/{:.1f}; floors first-N {:.1f}, longest {:.1f}".format(
                    *(
                        100 * scores[k]
                        for k in ("rouge1", "rouge2", "rougeL", "floor_first_rouge1", "floor_longest_rouge1")
                    )
                ),
            )
        )
        lines.append(("-", f"reference: {d['qmsum']['reference']}"))
        lines.append(("+", f"predicted: {d['qmsum']['predicted'][:1500]}"))
    return lines


def build_blocks(
    manifest: dict[str, Any],
    summary: dict[str, dict[str, float | None]],
    records: Sequence[dict[str, Any]],
    *,
    plot: str | None,
) -> list[Block]:
    status = manifest["status"].upper()
    dirty = " with uncommitted changes" if manifest.get("git_dirty") else ""
    blocks: list[Block] = [
        Heading(1, f"Eval run {manifest['run_id']}"),
        Para(
            f"Status: {status}. Started {manifest['started_at']}, finished {manifest.get('finished_at') or '-'}; "
            f"commit {manifest.get('git_commit') or 'unknown'}{dirty}; {len(manifest['cases'])} cases × "
            f"{len(manifest['combinations'])} combination(s); per-case timeout {manifest['timeout_s']:g} s; "
            f"LLM judge {'on' if manifest.get('judge') else 'off (evidence support n/a)'}."
        ),
    ]
    if manifest["reasons"]:
        blocks += [Heading(2, "Why this run is incomplete"), Diff([("!", r) for r in manifest["reasons"]])]
    blocks += [Heading(2, "Metrics"), metric_table(summary) if summary else Para("No metrics (run did not finish).")]
    blocks.append(
        Para(
            "Rates are micro-averaged over items; ROUGE is F-measure ×100 (rouge-score, stemming), averaged "
            "over QMSum meetings; the floors get as many words as the reference. Latency and memory were "
            "measured on this machine and vary with load."
        )
    )
    if plot:
        blocks += [Heading(2, "Metrics over past runs"), Image(plot, "metrics over past runs")]
    blocks.append(Heading(2, "Per-case drill-down"))
    by_case: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        by_case.setdefault(r["case_id"], []).append(r)
    for case_id, rows in by_case.items():
        first = rows[0]
        blocks.append(Heading(3, f"{case_id} ({first['dataset']}, {first['split']})"))
        for r in rows:
            latency = f"{r['latency_s']:.1f} s" if r.get("latency_s") is not None else "-"
            head = f"{r['combination']}: {r['status']}, {latency}"
            blocks.append(Para(head + (f" ({r['error']})" if r.get("error") else "")))
            lines = _case_diff(r)
            if lines:
                blocks.append(Diff(lines))
    return blocks


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(blocks: Sequence[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            out.append("#" * b.level + " " + b.text)
        elif isinstance(b, Para):
            out.append(b.text)
        elif isinstance(b, Table):
            out.append("| " + " | ".join(_md_cell(h) for h in b.headers) + " |")
            out.append("|" + "---|" * len(b.headers))
            out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in b.rows]
        elif isinstance(b, Diff):
            out.append("```diff\n" + "\n".join(f"{s} {t}" for s, t in b.lines) + "\n```")
        else:
            out.append(f"![{b.alt}]({b.path})")
        out.append("")
    return "\n".join(out)


_CSS = """body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}
pre{background:#f6f8fa;padding:8px;white-space:pre-wrap}.d-eq{color:#444}.d-minus{color:#b31d28}
.d-plus{color:#22863a}.d-bang{color:#b31d28;font-weight:bold}img{max-width:100%}"""
_SIGN_CLASS = {"=": "d-eq", "-": "d-minus", "+": "d-plus", "!": "d-bang"}


def render_html(blocks: Sequence[Block], title: str) -> str:
    e = html.escape
    out = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>{e(title)}</title><style>{_CSS}</style></head><body>"
    ]
    for b in blocks:
        if isinstance(b, Heading):
            out.append(f"<h{b.level}>{e(b.text)}</h{b.level}>")
        elif isinstance(b, Para):
            out.append(f"<p>{e(b.text)}</p>")
        elif isinstance(b, Table):
            head = "".join(f"<th>{e(h)}</th>" for h in b.headers)
            body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in b.rows)
            out.append(f"<table><tr>{head}</tr>{body}</table>")
        elif isinstance(b, Diff):
            lines = "\n".join(f"<span class='{_SIGN_CLASS[s]}'>{e(s)} {e(t)}</span>" for s, t in b.lines)
            out.append(f"<pre>{lines}</pre>")
        else:
            out.append(f"<img src='{e(b.path)}' alt='{e(b.alt)}'>")
    out.append("</body></html>")
    return "\n".join(out)


def past_runs(evals_root: Path) -> list[tuple[dict[str, Any], dict[str, dict[str, float | None]]]]:
    """Every finished run under the evals directory, oldest first (unreadable ones are skipped)."""
    runs = []
    for manifest_path in evals_root.glob("*/run.json"):
        summary_path = manifest_path.with_name("summary.json")
        if not summary_path.is_file():
            continue
        try:
            runs.append(
                (
                    json.loads(manifest_path.read_text(encoding="utf-8")),
                    json.loads(summary_path.read_text(encoding="utf-8")),
                )
            )
        except (OSError, json.JSONDecodeError):
            continue
    return sorted(runs, key=lambda r: (r[0].get("started_at") or "", r[0].get("run_id") or ""))


def plot_history(evals_root: Path, out: Path) -> Path:
    """One panel per key metric, one line per prompt × model; hollow markers are incomplete runs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = past_runs(evals_root)
    specs = {m.name: m for m in METRICS}
    fig, axes = plt.subplots(2, 3, figsize=(15, 8), squeeze=False)
    labels = [m.get("run_id", "?")[:15] for m, _ in runs]
    for ax, name in zip(axes.flat, PLOT_METRICS, strict=True):
        combos = sorted({c for _, s in runs for c in s})
        for combo in combos:
            xs = [i for i, (_, s) in enumerate(runs) if (s.get(combo) or {}).get(name) is not None]
            ys = [float(runs[i][1][combo][name] or 0.0) for i in xs]
            if not xs:
                continue
            line = ax.plot(xs, ys, "-", label=combo)[0]
            for x, y in zip(xs, ys, strict=True):
                hollow = runs[x][0].get("status") != "complete"
                ax.plot([x], [y], "o", color=line.get_color(), markerfacecolor="none" if hollow else line.get_color())
        ax.set_title(specs[name].label)
        ax.set_xticks(range(len(runs)), labels, rotation=45, ha="right", fontsize=7)
        ax.grid(alpha=0.3)
    handles, names = axes[0][0].get_legend_handles_labels()
    for ax in axes.flat:
        h, n = ax.get_legend_handles_labels()
        if len(h) > len(handles):
            handles, names = h, n
    if handles:
        fig.legend(handles, names, loc="lower center", ncol=min(4, len(handles)), fontsize=8)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=90)
    plt.close(fig)
    return out


def write_reports(
    directory: Path,
    manifest: dict[str, Any],
    summary: dict[str, dict[str, float | None]],
    records: Sequence[dict[str, Any]],
) -> dict[str, Path]:
    """Write report.md, report.html and the history plot into the run directory."""
    plot = plot_history(directory.parent, directory / PLOT_FILE)
    blocks = build_blocks(manifest, summary, records, plot=plot.name)
    md = directory / "report.md"
    md.write_text(render_markdown(blocks), encoding="utf-8")
    page = directory / "report.html"
    page.write_text(render_html(blocks, f"Eval run {manifest['run_id']}"), encoding="utf-8")
    return {"markdown": md, "html": page, "plot": plot}
