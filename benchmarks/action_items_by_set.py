"""Action items of the rules alone (no model), scored per set of review cases: the table in the README.

Each set was written by a different author at a different time, so a set the rules were never tuned on shows how
they generalise. Sets tagged `test` were never opened while the rules were written; this script prints only their
totals, never their items.

    python benchmarks/action_items_by_set.py          # writes benchmarks/results/action-items-by-set.json and .md
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from copilot.schema import ReviewDraft  # noqa: E402
from copilot.settings import Settings  # noqa: E402
from evals.cases import ReviewCase  # noqa: E402
from evals.matching import Match, greedy_match, same_owner, task_dice  # noqa: E402
from evals.metrics import score_action_items  # noqa: E402
from evals.runner import draft_case, load_cases  # noqa: E402
from summarize.pipeline import build_drafter  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
SET_TAGS = tuple(f"blind{n}" for n in range(43, 2, -1))
"""Authoring rounds, newest first ("blind13" ... "blind3"); "blind2" and the first cases are told by their ids."""


def set_of(case: ReviewCase) -> str:
    """The set a case belongs to: its authoring round, and its split where a round has both."""
    for tag in SET_TAGS:
        if tag in case.tags:
            return f"{tag} {case.split}"
    if case.id.startswith("blind_en"):
        return f"blind2 {case.split}"
    return f"first {case.transcript.language} {case.split}"


def dice_matches(case: ReviewCase, draft: ReviewDraft) -> list[Match]:
    """Matches under the stricter rule (token Dice >= 0.5, owners agreeing), where longer tasks do not help."""
    gold, pred = case.gold.action_items, draft.action_items
    return greedy_match(
        gold,
        pred,
        lambda g, p: task_dice(p.task, [g.task, *g.task_alt]),
        compatible=lambda g, p: same_owner(g.owner, p.owner, employee=case.employee, manager=case.manager),
    )


def main() -> None:
    drafter = build_drafter(Settings(llm_backend="none"))
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    counts: dict[str, int] = defaultdict(int)
    for case in load_cases(["reviews"]).cases:
        assert isinstance(case, ReviewCase)
        drafted = draft_case(drafter, case)  # the harness's own drafting step, so both score the same drafts
        if drafted["status"] != "ok":
            raise SystemExit(f"{case.id}: {drafted['error']}")
        draft = ReviewDraft.model_validate(drafted["draft"])
        scores, _ = score_action_items(case, draft)  # totals only: test cases are never shown item by item
        name = set_of(case)
        counts[name] += 1
        for key, value in scores.items():
            totals[name][key] += int(value)
        totals[name]["ai_tp_dice"] += len(dice_matches(case, draft))
    rows = []
    for name in sorted(totals):
        t = totals[name]
        rows.append(
            {
                "set": name,
                "cases": counts[name],
                "precision": t["ai_tp"] / max(t["ai_pred"], 1),
                "recall": t["ai_tp"] / max(t["ai_gold"], 1),
                "owner": t["owner_correct"] / max(t["owner_pairs"], 1),
                "due": t["due_correct"] / max(t["due_pairs"], 1),
                **{k: t[k] for k in ("ai_tp", "ai_pred", "ai_gold", "ai_tp_dice", "ai_located")},
            }
        )
    lines = [
        f"# Action items, rules only, per set ({time.strftime('%Y-%m-%d')})",
        "",
        "| set | cases | precision | recall | owner | due | matched / predicted / gold | matched, strict (Dice) "
        "| located (task words or gold segment, owner right) |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['set']} | {r['cases']} | {r['precision']:.1%} | {r['recall']:.1%} | {r['owner']:.1%} | "
            f"{r['due']:.1%} | {r['ai_tp']} / {r['ai_pred']} / {r['ai_gold']} | {r['ai_tp_dice']} | {r['ai_located']} |"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "action-items-by-set.json").write_text(json.dumps(rows, indent=2) + "\n")
    (RESULTS / "action-items-by-set.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))  # noqa: T201


if __name__ == "__main__":
    main()
