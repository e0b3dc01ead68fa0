"""Score action-item extraction on labelled dialogues (precision, recall, owner and due accuracy).

Cases are JSON lines: `{"id", "date", "turns": [[speaker, text], ...], "gold": [{"seg": [ids], "owner", "due"}]}`
(optional "employee"/"manager" names). A predicted item matches a gold item when it cites one of the gold
segments; owner and due accuracy are measured over matched items. Used by the tests (dev split) and the
benchmark (dev and held-out test split); the eval harness in `evals/` scores whole drafts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from copilot.schema import ActionItem, Segment, Transcript

Extractor = Callable[[Transcript, dt.date, str | None, str | None], list[ActionItem]]


@dataclass(frozen=True)
class Case:
    id: str
    meeting_date: dt.date
    transcript: Transcript
    gold: list[dict[str, Any]]
    employee: str | None = None
    manager: str | None = None


def load_cases(path: Path) -> list[Case]:
    cases: list[Case] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        segments = [
            Segment(id=i, start=float(i * 5), end=float(i * 5 + 4), speaker=speaker, text=text)
            for i, (speaker, text) in enumerate(raw["turns"])
        ]
        transcript = Transcript(language="en", duration_s=float(len(segments) * 5), segments=segments)
        cases.append(
            Case(
                id=raw["id"],
                meeting_date=dt.date.fromisoformat(raw["date"]),
                transcript=transcript,
                gold=raw["gold"],
                employee=raw.get("employee"),
                manager=raw.get("manager"),
            )
        )
    return cases


@dataclass
class Score:
    """Counts over a set of cases; the properties give the rates."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    owner_ok: int = 0
    due_ok: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def owner_accuracy(self) -> float:
        return self.owner_ok / self.tp if self.tp else 1.0

    @property
    def due_accuracy(self) -> float:
        return self.due_ok / self.tp if self.tp else 1.0

    def line(self) -> str:
        return (
            f"P={self.precision:.2f} R={self.recall:.2f} owner={self.owner_accuracy:.2f} due={self.due_accuracy:.2f} "
            f"(tp={self.tp} fp={self.fp} fn={self.fn})"
        )


def score_case(case: Case, predicted: list[ActionItem], score: Score) -> None:
    unmatched = list(range(len(case.gold)))
    for item in predicted:
        cited = {e.segment_id for e in item.evidence}
        match = next((g for g in unmatched if cited & set(case.gold[g]["seg"])), None)
        if match is None:
            score.fp += 1
            score.errors.append(f"{case.id}: false positive {item.owner}: {item.task!r}")
            continue
        unmatched.remove(match)
        gold = case.gold[match]
        score.tp += 1
        if item.owner == gold["owner"]:
            score.owner_ok += 1
        else:
            score.errors.append(f"{case.id}: owner {item.owner!r} != {gold['owner']!r}")
        due = item.due.isoformat() if item.due else None
        if due == gold["due"]:
            score.due_ok += 1
        else:
            score.errors.append(f"{case.id}: due {due} != {gold['due']}")
    for g in unmatched:
        score.fn += 1
        score.errors.append(f"{case.id}: missed segment(s) {case.gold[g]['seg']}")


def evaluate(cases: list[Case], extractor: Extractor) -> Score:
    score = Score()
    for case in cases:
        predicted = extractor(case.transcript, case.meeting_date, case.employee, case.manager)
        score_case(case, predicted, score)
    return score
