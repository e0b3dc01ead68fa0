"""Could a small learned model choose what "it" is better than the rules? (dev halves only; not in the pipeline)

Most action items that the rules find at the right sentence, with the right owner, but that do not match the gold
item by their words, name their object by a pronoun or by the wrong earlier line ("Send it through (I've got a list
of every one ...)"). This measures a logistic regression that picks the line a task is about among the rules' own
choice, the bare task and the eight sentences before the promise, trained and scored with cross validation by
authoring set (one set left out at a time), on the items the eval calls "located".

    python benchmarks/topic_chooser.py           # about 2 minutes; writes benchmarks/results/topic-chooser.md
    python benchmarks/topic_chooser.py --embed   # also how close in meaning (multilingual-e5-small) each line
                                                 # is to the task and the promise: topic-chooser-embed.md

It reads only dev halves: the never-opened test halves stay blind.
"""

from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from commitment_classifier import blind_set  # noqa: E402

from copilot.schema import ActionItem, ReviewDraft  # noqa: E402
from copilot.settings import Settings  # noqa: E402
from evals.cases import GoldActionItem, ReviewCase  # noqa: E402
from evals.matching import greedy_match, same_owner, task_similarity, tokens  # noqa: E402
from evals.metrics import cites_gold_segment  # noqa: E402
from evals.runner import draft_case, load_cases  # noqa: E402
from summarize.commitments import _topic_phrase  # noqa: E402
from summarize.item_filter import Embedder, e5_embedder  # noqa: E402
from summarize.pipeline import build_drafter  # noqa: E402
from summarize.text import Sentence, content_words, sentences  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
LOOKBACK = 8  # sentences before the promise offered as what the task is about
MARGINS = (0.0, 0.05, 0.1, 0.2)  # how much more likely a new line must look than the rules' choice to replace it
LISTWISE_MARGINS = (0.0, 0.5, 1.0)  # the same for the ranker, in its scores (logits)
PRONOUN = re.compile(r"\b(?:it|them|that|this|those|these|one|'em)\b", re.I)


@dataclass
class Option:
    """One way to write the task: the bare task, the rules' task, or the task with one earlier line as its topic."""

    task: str
    features: np.ndarray
    right: bool


@dataclass
class Item:
    set_name: str
    rules_task: str
    options: list[Option]


def _features(
    kind: str, task_core: str, line: Sentence | None, promise: Sentence, text: str, window: list[frozenset[str]]
) -> np.ndarray:
    """What a chooser may know without the gold: where the line is, who said it, and what it names."""
    vague = bool(PRONOUN.search(task_core)) or len(content_words(task_core)) <= 2
    k = promise.index - line.index if line is not None else -1
    seg = promise.segment_id - line.segment_id if line is not None else -1
    words = tokens(text)
    repeated = sum(1 for w in words if sum(w in other for other in window) >= 2)
    specific = sum(1 for w in text.split()[1:] if w[:1].isupper() or any(ch.isdigit() for ch in w))
    return np.array(
        [
            1.0,
            kind == "bare",
            kind == "rules",
            kind == "line",
            vague,
            vague and kind == "bare",
            vague and kind == "rules",
            k == 0,
            k == 1,
            k == 2,
            k in (3, 4),
            k >= 5,
            line is not None and line.speaker == promise.speaker,
            line is not None and line.text.rstrip().endswith("?"),
            seg == 0,
            seg == 1,
            seg >= 2,
            min(len(content_words(text)), 8) / 8,
            min(specific, 3) / 3,
            min(repeated, 4) / 4,
            bool(words & tokens(task_core)),
            line is not None and line.speaker == "manager",
        ],
        dtype=float,
    )


def _promise(item: ActionItem, sents: list[Sentence]) -> Sentence | None:
    first = item.evidence[0]
    return next(
        (s for s in sents if s.segment_id == first.segment_id and (s.text in first.quote or first.quote in s.text)),
        None,
    )


def located_items(case: ReviewCase, draft: ReviewDraft, embed: Embedder | None = None) -> list[Item]:
    """The eval's located pairs, each with its ways of writing the task and whether each would match the gold."""
    sents = sentences(case.transcript)
    gold, pred = case.gold.action_items, draft.action_items

    def owners(g: GoldActionItem, p: ActionItem) -> bool:
        return same_owner(g.owner, p.owner, employee=case.employee, manager=case.manager)

    items = []
    for m in greedy_match(
        gold,
        pred,
        lambda g, p: max(task_similarity(p.task, [g.task, *g.task_alt]), cites_gold_segment(g, p)),
        compatible=owners,
    ):
        g, p = gold[m.gold], pred[m.predicted]
        promise = _promise(p, sents)
        if promise is None:
            continue
        phrasings = [g.task, *g.task_alt]
        core = p.task.split(" (")[0]
        rules_topic = p.task[len(core) :].strip(" ()")
        lines = sents[max(0, promise.index - LOOKBACK) : promise.index + 1]
        window = [tokens(s.text) for s in sents[max(0, promise.index - LOOKBACK) : promise.index + 4]]
        written: list[tuple[str, Sentence | None, str, str]] = [("bare", None, "", core)]
        if rules_topic:
            written.append(("rules", None, rules_topic, p.task))
        for line in lines:
            phrase = _topic_phrase(line)
            if phrase and phrase != rules_topic:
                written.append(("line", line, phrase, f"{core} ({phrase})"))
        options = [
            Option(task, _features(kind, core, line, promise, text, window), task_similarity(task, phrasings) >= 0.5)
            for kind, line, text, task in written
        ]
        if embed is not None:  # how close in meaning each line is to the bare task and to the promise
            vectors = embed([core, promise.text, *(line.text if line else core for _, line, _, _ in written)])
            vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
            to_task, to_promise = vectors[2:] @ vectors[0], vectors[2:] @ vectors[1]
            best = to_task.max()
            for option, a, b in zip(options, to_task, to_promise, strict=True):
                option.features = np.append(option.features, [a, b, a >= best - 1e-6])
        items.append(Item(blind_set(case), p.task, options))
    return items


def _train(items: list[Item], l2: float = 1.0, steps: int = 300) -> np.ndarray:
    x = np.vstack([o.features for i in items for o in i.options])
    y = np.array([o.right for i in items for o in i.options], dtype=float)
    w = np.zeros(x.shape[1])
    for _ in range(steps):  # plain gradient descent on the L2-regularised log loss
        p = 1 / (1 + np.exp(-x @ w))
        w -= 5.0 * (x.T @ (p - y) + l2 * w) / len(y)
    return w


def _train_listwise(items: list[Item], l2: float = 1.0, steps: int = 400, rate: float = 0.5) -> np.ndarray:
    """Softmax over each item's options, fitted to the options that would match: it learns to rank, not to score."""
    usable = [i for i in items if any(o.right for o in i.options)]
    x = np.vstack([o.features for i in usable for o in i.options])
    target = np.concatenate(
        [np.array([o.right for o in i.options], dtype=float) / sum(o.right for o in i.options) for i in usable]
    )
    starts = np.cumsum([0, *(len(i.options) for i in usable)])[:-1]
    group = np.repeat(np.arange(len(usable)), [len(i.options) for i in usable])
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        s = x @ w
        s = np.exp(s - np.maximum.reduceat(s, starts)[group])
        p = s / np.add.reduceat(s, starts)[group]
        w -= rate * (x.T @ (p - target) + l2 * w) / len(usable)
    return w


def cross_validate(items: list[Item], margin: float, listwise: bool = False) -> tuple[int, int]:
    """Items written right and items whose task changed, each set scored by a model trained on the others."""
    right = changed = 0
    for held_out in sorted({i.set_name for i in items}):
        train = [i for i in items if i.set_name != held_out]
        w = _train_listwise(train) if listwise else _train(train)
        for item in (i for i in items if i.set_name == held_out):
            raw = np.vstack([o.features for o in item.options]) @ w
            scores = raw if listwise else 1 / (1 + np.exp(-raw))
            keep = next((j for j, o in enumerate(item.options) if o.task == item.rules_task), 0)
            best = int(np.argmax(scores))
            pick = best if scores[best] >= scores[keep] + margin else keep
            right += item.options[pick].right
            changed += item.options[pick].task != item.rules_task
    return right, changed


def main() -> None:
    started = time.monotonic()
    drafter = build_drafter(Settings(llm_backend="none"))
    embed = e5_embedder() if "--embed" in sys.argv else None
    items: list[Item] = []
    for case in load_cases(["reviews"]).cases:
        if isinstance(case, ReviewCase) and case.split == "dev" and case.transcript.language.startswith("en"):
            draft = ReviewDraft.model_validate(draft_case(drafter, case)["draft"])
            items += located_items(case, draft, embed)
    rules = sum(next(o.right for o in i.options if o.task == i.rules_task) for i in items)
    reachable = sum(any(o.right for o in i.options) for i in items)
    lines = [
        f"# Choosing what a task is about: rules vs a learned chooser ({time.strftime('%Y-%m-%d')}, dev halves"
        f"{', with e5 similarities' if embed else ''})",
        "",
        f"{len(items)} located items (right sentence, right owner); the rules' task matches the gold by its words on "
        f"{rules}; some way of writing it would on {reachable}.",
        "",
        "| chooser | items matched | change | tasks changed |",
        "|---|---:|---:|---:|",
        f"| rules (shipped) | {rules} | | 0 |",
    ]
    for margin in MARGINS:
        right, changed = cross_validate(items, margin)
        lines.append(f"| logistic regression, margin {margin:.2f} | {right} | {right - rules:+d} | {changed} |")
    for margin in LISTWISE_MARGINS:
        right, changed = cross_validate(items, margin, listwise=True)
        lines.append(f"| softmax ranker, margin {margin:.1f} (logit) | {right} | {right - rules:+d} | {changed} |")
    lines += ["", f"Cross validation by authoring set; {time.monotonic() - started:.0f} s."]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"topic-chooser{'-embed' if embed else ''}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))  # noqa: T201


if __name__ == "__main__":
    main()
