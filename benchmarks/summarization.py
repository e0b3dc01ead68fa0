"""Summarisation benchmark: action-item quality per split, whether model scoring helps, and speed.

1. Rules on the dev split (designed on) and the held-out test split: precision, recall, owner, due.
2. SmolLM2 as a commitment classifier, on every sentence of both splits:
   (a) generated yes/no answers, (b) the yes-vs-no logit margin (threshold picked on dev, applied to test),
   (c) rules filtered by the logit margin; compared with the rules alone.
3. Speed of the embedded default: the demo dialogue and a ~30-minute meeting (QMSum, real transcript),
   with tokens/s and peak memory. Numbers taken while other work runs on the machine are inflated.

(Not named summarize.py: run as a script, that name would shadow the `summarize` package.)
Run: .venv/bin/python benchmarks/summarization.py [--skip-speed] [--skip-scoring]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import time
from pathlib import Path
from typing import Any

from copilot.procstats import peak_rss_mb
from copilot.schema import ActionItem, Segment, Transcript
from copilot.settings import Settings
from summarize.commitments import Participants, detect
from summarize.llm import LlamaCppChatModel, packaged_gguf
from summarize.pipeline import ReviewDrafter, build_drafter
from summarize.scoring import Case, evaluate, load_cases
from summarize.template import load_template
from summarize.text import Sentence, sentences

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "summarize" / "data"
QMSUM = ROOT.parent / "shared" / "data" / "qmsum" / "val.jsonl"
QUESTION = (
    "Does the speaker commit to doing a specific task, or ask someone to do one, in this line of a meeting? "
    "Answer Yes or No.\nLine: "
)


def rules_only(t: Transcript, date: dt.date, employee: str | None, manager: str | None) -> list[ActionItem]:
    drafter = ReviewDrafter(handle=None, template=load_template())
    return drafter.draft(t, meeting_date=date, employee=employee, manager=manager).action_items


def labelled_sentences(cases: list[Case]) -> list[tuple[Case, Sentence, bool]]:
    """Each sentence with a label: positive if its segment states a gold item (first cited segment)."""
    out = []
    for case in cases:
        first_segments = {g["seg"][0] for g in case.gold}
        other_gold = {s for g in case.gold for s in g["seg"][1:]}
        for sent in sentences(case.transcript):
            if sent.segment_id in other_gold and sent.segment_id not in first_segments:
                continue  # an acceptance ("Sure.") is neither a commitment statement nor a clean negative
            out.append((case, sent, sent.segment_id in first_segments))
    return out


def chatml(user: str) -> str:
    return f"<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n"


class Scorer:
    """Yes/no answers and yes-vs-no logit margins from the packaged SmolLM2 (llama.cpp, in process)."""

    def __init__(self) -> None:
        from llama_cpp import Llama

        self.chat = LlamaCppChatModel(model_path=str(packaged_gguf()), n_ctx=512)
        # logits_all keeps the logits of every position in `scores` (without it llama-cpp-python keeps none)
        self.llama = Llama(model_path=str(packaged_gguf()), n_ctx=256, n_threads=2, logits_all=True, verbose=False)
        self.yes = self.llama.tokenize(b"Yes", add_bos=False, special=False)[0]
        self.no = self.llama.tokenize(b"No", add_bos=False, special=False)[0]

    def margin(self, text: str) -> float:
        tokens = self.llama.tokenize(chatml(QUESTION + text).encode(), add_bos=False, special=True)
        self.llama.reset()
        self.llama.eval(tokens)
        logits = self.llama.scores[self.llama.n_tokens - 1]
        return float(logits[self.yes] - logits[self.no])

    def generated(self, text: str) -> bool:
        out = self.chat.llama.create_chat_completion(
            messages=[{"role": "user", "content": QUESTION + text}], max_tokens=3, temperature=0.0
        )
        return str(out["choices"][0]["message"]["content"]).strip().lower().startswith("yes")


def prf(pred: list[bool], gold: list[bool]) -> str:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
    fn = sum(g and not p for p, g in zip(pred, gold, strict=True))
    acc = sum(p == g for p, g in zip(pred, gold, strict=True)) / len(gold)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return f"acc={acc:.2f} P={precision:.2f} R={recall:.2f}"


def auc(scores: list[float], gold: list[bool]) -> float:
    pos = [s for s, g in zip(scores, gold, strict=True) if g]
    neg = [s for s, g in zip(scores, gold, strict=True) if not g]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return wins / (len(pos) * len(neg)) if pos and neg else math.nan


def rule_flags(rows: list[tuple[Case, Sentence, bool]]) -> list[bool]:
    flags = []
    for case, sent, _ in rows:
        sents = sentences(case.transcript)
        speakers = tuple(dict.fromkeys(s.speaker for s in case.transcript.segments))
        cands = detect(sents, Participants(speakers, case.employee, case.manager), case.meeting_date)
        flags.append(any(c.sentence.index == sent.index for c in cands))
    return flags


def scoring_experiment(*, with_generated: bool = True) -> dict[str, Any]:
    scorer = Scorer()
    result: dict[str, Any] = {}
    threshold = 0.0
    for split in ("dev", "test"):
        rows = labelled_sentences(load_cases(DATA / f"commitments_{split}.jsonl"))
        gold = [label for _, _, label in rows]
        margins = [scorer.margin(sent.text) for _, sent, _ in rows]
        answers = [scorer.generated(sent.text) for _, sent, _ in rows] if with_generated else []
        rules = rule_flags(rows)
        if split == "dev":  # pick the margin threshold with the best accuracy on dev only
            threshold = max(
                sorted(set(margins)), key=lambda t: sum((m >= t) == g for m, g in zip(margins, gold, strict=True))
            )
        result[split] = {
            "sentences": len(rows),
            "positives": sum(gold),
            "rules": prf(rules, gold),
            "model_generated_yes_no": prf(answers, gold) if answers else "skipped",
            "model_logit_margin_auc": round(auc(margins, gold), 3),
            "model_logit_threshold_from_dev": prf([m >= threshold for m in margins], gold),
            "rules_and_logit_filter": prf([r and m >= threshold for r, m in zip(rules, margins, strict=True)], gold),
        }
    result["threshold"] = round(threshold, 3)
    return result


def qmsum_transcript(max_words: int = 4500) -> Transcript:
    """About 30 minutes of a real meeting (~150 words/minute) from QMSum, as a Transcript."""
    meeting = json.loads(QMSUM.read_text(encoding="utf-8").splitlines()[0])
    segments, words, t = [], 0, 0.0
    for turn in meeting["meeting_transcripts"]:
        text = " ".join(w for w in turn["content"].split() if not (w.startswith("{") and w.endswith("}")))
        if not text:
            continue
        n = len(text.split())
        segments.append(Segment(id=len(segments), start=t, end=t + n / 2.5, speaker=turn["speaker"], text=text))
        t += n / 2.5
        words += n
        if words >= max_words:
            break
    return Transcript(language="en", duration_s=t, segments=segments)


def timed_draft(transcript: Transcript, label: str) -> dict[str, Any]:
    drafter = build_drafter(Settings())
    start = time.perf_counter()
    draft = drafter.draft(transcript, meeting_date=dt.date(2026, 11, 30))
    seconds = time.perf_counter() - start
    u = drafter.usage
    return {
        "transcript": label,
        "words": sum(len(s.text.split()) for s in transcript.segments),
        "audio_minutes": round(transcript.duration_s / 60, 1),
        "draft_seconds": round(seconds, 1),
        "llm_calls": u.calls,
        "reasks": u.retries,
        "input_tokens": u.input_tokens,
        "output_tokens": u.output_tokens,
        "tokens_per_second_overall": round((u.input_tokens + u.output_tokens) / seconds, 1) if seconds else None,
        "model_fields_accepted": u.accepted,
        "model_fields_rejected": u.rejected,
        "action_items": len(draft.action_items),
        "section_items": len(draft.cited_items()) - len(draft.action_items),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-scoring", action="store_true")
    parser.add_argument("--skip-generated", action="store_true", help="score by logits only (faster)")
    parser.add_argument("--out", default="summarize.json", help="file name under benchmarks/results/")
    args = parser.parse_args()
    report: dict[str, Any] = {}
    for split in ("dev", "test"):
        score = evaluate(load_cases(DATA / f"commitments_{split}.jsonl"), rules_only)
        report[f"rules_{split}"] = score.line()
        print(f"rules on {split}: {score.line()}", flush=True)
    if not args.skip_scoring:
        report["model_scoring"] = scoring_experiment(with_generated=not args.skip_generated)
        print(json.dumps(report["model_scoring"], indent=2), flush=True)
    if not args.skip_speed:
        demo_lines = (ROOT / "samples" / "review_demo.txt").read_text(encoding="utf-8").splitlines()
        demo = Transcript(
            language="en",
            duration_s=64.0,
            segments=[
                Segment(id=i, start=i * 5.0, end=i * 5.0 + 4.5, speaker=s, text=x)
                for i, (s, x) in enumerate(line.split("|", 1) for line in demo_lines)
            ],
        )
        report["demo"] = timed_draft(demo, "samples/review_demo.txt")
        print(json.dumps(report["demo"], indent=2), flush=True)
        if QMSUM.exists():
            report["meeting_30min"] = timed_draft(qmsum_transcript(), "qmsum val[0], first ~4500 words")
            print(json.dumps(report["meeting_30min"], indent=2))
        report["peak_rss_mb"] = round(peak_rss_mb(), 1)
        print(f"peak RSS: {report['peak_rss_mb']} MB")
    out = ROOT / "benchmarks" / "results" / args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
