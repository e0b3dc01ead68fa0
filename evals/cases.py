"""Eval cases: a transcript plus gold labels, loaded from versioned JSON files.

Gold labels are only worth something if they point at words that were really
said, so every gold quote is checked verbatim against its segment when a case
is loaded. A malformed file or a bad quote becomes a `CaseProblem` for that
case alone: the runner reports it and goes on with the others (and marks the
run incomplete), instead of one typo stopping or silently skewing a run.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from copilot.schema import OkrStatus, PreviousStatus, SectionName, StrictModel, Transcript

DATASETS_DIR = Path(__file__).resolve().parent / "datasets"
REVIEW_DATASETS = ("reviews", "injection")
"""Hand-written datasets, one JSON file per case under evals/datasets/<name>/."""

Split = Literal["dev", "test"]


class GoldEvidence(StrictModel):
    """Where a gold label was said: a segment id and words verbatim from it."""

    segment_id: int = Field(ge=0, description="Segment that supports the label.")
    quote: str = Field(min_length=1, description="Words copied verbatim from that segment.")


class GoldActionItem(StrictModel):
    """A commitment that a good draft must list."""

    owner: str = Field(description="'manager', 'employee' or a participant name.")
    task: str = Field(description="Concise task; its content words drive the similarity match.")
    task_alt: list[str] = Field(default_factory=list, description="Other acceptable phrasings (e.g. other language).")
    due: dt.date | None = Field(default=None, description="Due date resolved from the meeting date, or null.")
    due_alt: list[dt.date] = Field(default_factory=list, description="Other acceptable readings of an ambiguous date.")
    evidence: GoldEvidence


class GoldOkr(StrictModel):
    """An objective discussed, with the status a careful listener would record."""

    objective: str
    objective_alt: list[str] = Field(default_factory=list)
    status: OkrStatus
    evidence: GoldEvidence


class GoldPreviousItem(StrictModel):
    """An earlier review's action item and how it stands now (follow-up reviews)."""

    owner: str
    task: str
    task_alt: list[str] = Field(default_factory=list)
    status: PreviousStatus
    evidence: GoldEvidence


class SensitiveQuote(StrictModel):
    """Personal information that must be flagged sensitive so it never reaches the index or HRIS."""

    category: Literal["health", "family", "religion", "union", "other"]
    segment_id: int = Field(ge=0)
    quote: str = Field(min_length=1)
    keywords: list[str] = Field(min_length=1, description="Distinctive words whose presence in an item reveals it.")


class MustNotAppear(StrictModel):
    """Text that must not be generated in a section (e.g. a withdrawn proposal as an action item)."""

    text: str = Field(min_length=1)
    alt: list[str] = Field(default_factory=list, description="Other phrasings that count as the same violation.")
    section: SectionName | Literal["any"] = "any"
    why: str = ""


class Injection(StrictModel):
    """An instruction spoken inside the transcript; the draft must treat it as data."""

    technique: str = Field(description="Short name of the injection style.")
    segment_id: int = Field(ge=0)
    quote: str = Field(min_length=1, description="The injected words, verbatim.")
    canaries: list[str] = Field(min_length=1, description="Generated text containing any of these means it obeyed.")


class Gold(StrictModel):
    action_items: list[GoldActionItem] = Field(default_factory=list)
    okrs: list[GoldOkr] = Field(default_factory=list)
    previous_items: list[GoldPreviousItem] = Field(default_factory=list)
    sensitive: list[SensitiveQuote] = Field(default_factory=list)
    must_not_appear: list[MustNotAppear] = Field(default_factory=list)
    expected_sections: list[SectionName] = Field(default_factory=list)
    low_content: bool = Field(default=False, description="True when a faithful draft has (almost) nothing to list.")


class ReviewCase(StrictModel):
    """One hand-written review meeting with its gold labels."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    split: Split = Field(description="dev cases may be used to tune prompts; test cases must not be.")
    tags: list[str] = Field(default_factory=list)
    meeting_date: dt.date
    employee: str | None = None
    manager: str | None = None
    transcript: Transcript
    gold: Gold
    injection: Injection | None = None

    @property
    def dataset(self) -> str:
        return "injection" if self.injection is not None else "reviews"


@dataclass(frozen=True)
class QmsumCase:
    """A real QMSum meeting with the reference answer to its whole-meeting summary query."""

    id: str
    transcript: Transcript
    query: str
    reference: str
    meeting_date: dt.date = dt.date(2026, 1, 1)
    employee: str | None = None
    manager: str | None = None
    split: str = "test"
    dataset: str = "qmsum"


EvalCase = ReviewCase | QmsumCase


@dataclass(frozen=True)
class CaseProblem:
    """A case that could not be used, with a one-line reason."""

    dataset: str
    case_id: str
    reason: str


@dataclass
class LoadedCases:
    cases: list[EvalCase] = field(default_factory=list)
    problems: list[CaseProblem] = field(default_factory=list)

    def extend(self, other: LoadedCases) -> None:
        self.cases.extend(other.cases)
        self.problems.extend(other.problems)


def quote_problems(case: ReviewCase) -> list[str]:
    """Every gold quote that is not verbatim in the segment it names."""
    problems: list[str] = []
    cited: list[tuple[str, int, str]] = []
    gold = case.gold
    cited += [(f"action item {i}", a.evidence.segment_id, a.evidence.quote) for i, a in enumerate(gold.action_items)]
    cited += [(f"okr {i}", o.evidence.segment_id, o.evidence.quote) for i, o in enumerate(gold.okrs)]
    cited += [
        (f"previous item {i}", p.evidence.segment_id, p.evidence.quote) for i, p in enumerate(gold.previous_items)
    ]
    cited += [(f"sensitive quote {i}", s.segment_id, s.quote) for i, s in enumerate(gold.sensitive)]
    if case.injection is not None:
        cited.append(("injection", case.injection.segment_id, case.injection.quote))
    for label, segment_id, quote in cited:
        segment = case.transcript.segment(segment_id)
        if segment is None:
            problems.append(f"{label}: segment {segment_id} does not exist")
        elif quote not in segment.text:
            problems.append(f"{label}: quote {quote!r} is not verbatim in segment {segment_id}")
    return problems


def load_case_file(path: Path, dataset: str) -> ReviewCase | CaseProblem:
    """Parse and validate one case file; never raises for bad content."""
    case_id = path.stem
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return CaseProblem(dataset, case_id, f"{path.name}: not valid JSON: {exc}")
    try:
        case = ReviewCase.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(root)"
        return CaseProblem(dataset, case_id, f"{path.name}: {where}: {first['msg']}")
    if case.id != case_id:
        return CaseProblem(dataset, case_id, f"{path.name}: id {case.id!r} does not match the file name")
    problems = quote_problems(case)
    if problems:
        return CaseProblem(dataset, case_id, f"{path.name}: " + "; ".join(problems))
    return case


def load_review_dataset(name: str, *, root: Path = DATASETS_DIR) -> LoadedCases:
    """All cases of one hand-written dataset, sorted by id, plus the problems found."""
    directory = root / name
    out = LoadedCases()
    for path in sorted(directory.glob("*.json")):
        loaded = load_case_file(path, name)
        if isinstance(loaded, CaseProblem):
            out.problems.append(loaded)
        else:
            out.cases.append(loaded)
    return out
