"""QMSum meetings as eval cases, and the two extractive floors a summary must beat.

The data is read from ../shared/data (never copied into the repo). QMSum marks
disfluencies and noises with tokens such as `{disfmarker}` and `{vocalsound}`;
they are stripped because no recogniser would produce them. QMSum has no
timings, so segment times are synthesised at a steady speaking rate: evidence
checks use segment ids and text, never times.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from copilot.schema import Segment, Transcript
from evals.cases import CaseProblem, LoadedCases, QmsumCase

DEFAULT_QMSUM_PATH = Path(__file__).resolve().parents[2] / "shared" / "data" / "qmsum" / "val.jsonl"
_MARKUP = re.compile(r"\{[a-z_]+\}")
_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.?!;:])")
WORDS_PER_SECOND = 2.5


def qmsum_path() -> Path:
    """Where the QMSum file is: $COPILOT_EVAL_QMSUM, else the shared data folder."""
    return Path(os.environ.get("COPILOT_EVAL_QMSUM", str(DEFAULT_QMSUM_PATH)))


def clean_utterance(text: str) -> str:
    """Drop QMSum markup tokens and tidy the whitespace they leave behind."""
    text = _MARKUP.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text)


def meeting_transcript(utterances: list[dict[str, str]]) -> Transcript:
    """QMSum `meeting_transcripts` → our Transcript, with synthesised times."""
    segments: list[Segment] = []
    clock = 0.0
    for item in utterances:
        text = clean_utterance(item["content"])
        if not text or not any(ch.isalnum() for ch in text):
            continue
        duration = max(len(text.split()) / WORDS_PER_SECOND, 0.5)
        segments.append(
            Segment(
                id=len(segments),
                start=round(clock, 2),
                end=round(clock + duration, 2),
                speaker=item["speaker"],
                text=text,
            )
        )
        clock += duration
    return Transcript(language="en", duration_s=round(clock, 2), segments=segments, model="qmsum-gold")


def is_whole_meeting_query(query: str) -> bool:
    """QMSum's general queries ask for the whole meeting ('Summarize the whole meeting', 'main discussion points')."""
    q = query.lower()
    return any(k in q for k in ("summar", "main discussion", "general discussion", "meeting about"))


def load_qmsum(path: Path | None = None) -> LoadedCases:
    """One case per meeting with a whole-meeting query; a bad line is a problem, not a crash."""
    path = path or qmsum_path()
    out = LoadedCases()
    if not path.is_file():
        out.problems.append(CaseProblem("qmsum", "*", f"QMSum file not found: {path}"))
        return out
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh):
            case_id = f"qmsum_val_{number:03d}"
            if not line.strip():
                continue
            try:
                meeting = json.loads(line)
                queries = [q for q in meeting["general_query_list"] if is_whole_meeting_query(q["query"])]
                if not queries:
                    out.problems.append(CaseProblem("qmsum", case_id, "no whole-meeting summary query"))
                    continue
                transcript = meeting_transcript(meeting["meeting_transcripts"])
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                out.problems.append(CaseProblem("qmsum", case_id, f"line {number + 1}: malformed: {exc!r}"))
                continue
            out.cases.append(
                QmsumCase(id=case_id, transcript=transcript, query=queries[0]["query"], reference=queries[0]["answer"])
            )
    return out


def first_words(transcript: Transcript, n_words: int) -> str:
    """Floor 1: the first N words of the meeting."""
    words: list[str] = []
    for seg in transcript.segments:
        words.extend(seg.text.split())
        if len(words) >= n_words:
            break
    return " ".join(words[:n_words])


def longest_utterances(transcript: Transcript, n_words: int) -> str:
    """Floor 2: the longest utterances that fit in N words together, in meeting order."""
    by_length = sorted(transcript.segments, key=lambda s: (-len(s.text.split()), s.id))
    chosen: list[Segment] = []
    total = 0
    for seg in by_length:
        size = len(seg.text.split())
        if total + size <= n_words:
            chosen.append(seg)
            total += size
    if not chosen and by_length:  # even the shortest does not fit: truncate the longest
        return " ".join(by_length[0].text.split()[:n_words])
    return " ".join(seg.text for seg in sorted(chosen, key=lambda s: s.id))
