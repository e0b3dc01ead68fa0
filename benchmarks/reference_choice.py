"""Can a local model pick the line a pronoun task refers to better than the rules?

Most action items the rules get wrong on unseen meetings cite the right sentence but show the wrong topic:
"Get them all over to me (How many shots have you got left)" where the gold item is about episode seven's
shots. The rules choose the topic line by position and form (`summarize/commitments.resolve_references`). This
asks a model the same question as a multiple choice: the six lines before the promise are numbered, and the
answer is one number, constrained by a grammar. Both choices are scored the same way: the task with the chosen
line as its topic is compared with the meeting's gold items (`evals.matching.task_similarity` >= 0.5, owners
ignored). "oracle" counts items where some line of the window would do. Dev cases only; test cases stay unopened.

    python benchmarks/reference_choice.py --gguf ~/.cache/review-copilot/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from copilot.schema import ReviewDraft  # noqa: E402
from copilot.settings import Settings  # noqa: E402
from evals.cases import ReviewCase  # noqa: E402
from evals.matching import TASK_THRESHOLD, task_similarity  # noqa: E402
from evals.runner import draft_case, load_cases  # noqa: E402
from summarize.pipeline import build_drafter  # noqa: E402
from summarize.text import sentences  # noqa: E402

WINDOW = 6  # lines shown before the promise: the rules look back as far (REFERENCE_WINDOW)
RESULTS = ROOT / "benchmarks" / "results"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gguf", type=Path, required=True)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    from llama_cpp import Llama
    from llama_cpp.llama_grammar import LlamaGrammar

    llm = Llama(model_path=str(args.gguf), n_ctx=4096, n_threads=args.threads, verbose=False)
    drafter = build_drafter(Settings(llm_backend="none"))
    counts = {"items": 0, "rules_right": 0, "model_right": 0, "oracle_right": 0}
    started = time.monotonic()
    for case in load_cases(["reviews"]).cases:
        if not isinstance(case, ReviewCase) or case.split != "dev" or case.transcript.language != "en":
            continue
        draft = ReviewDraft.model_validate(draft_case(drafter, case)["draft"])
        sents = sentences(case.transcript)
        gold = [[g.task, *g.task_alt] for g in case.gold.action_items]

        def matches(task: str, gold: list[list[str]] = gold) -> bool:
            return any(task_similarity(task, phrasings) >= TASK_THRESHOLD for phrasings in gold)

        for item in draft.action_items:
            if " (" not in item.task or len(item.evidence) < 2:
                continue  # only items the rules gave a topic
            base, said = item.task.split(" (")[0], item.evidence[0]
            cue = next((s for s in sents if s.segment_id == said.segment_id and said.quote in s.text), None)
            window = sents[max(0, cue.index - WINDOW) : cue.index] if cue else []
            if cue is None or not window:
                continue
            lines = "\n".join(f"{i + 1}. {s.speaker}: {s.text}" for i, s in enumerate(window))
            prompt = (
                f'Meeting excerpt:\n{lines}\nThen {cue.speaker} said: "{cue.text}"\n\n'
                f'The task is "{base}". Which numbered line names the thing this task is about? '
                "Answer with the number only."
            )
            grammar = LlamaGrammar.from_string(
                "root ::= " + " | ".join(f'"{i + 1}"' for i in range(len(window))), verbose=False
            )
            out = llm.create_chat_completion(
                messages=[{"role": "user", "content": prompt}], grammar=grammar, max_tokens=3, temperature=0
            )
            pick = window[int(str(out["choices"][0]["message"]["content"]).strip()) - 1]  # type: ignore[index]
            counts["items"] += 1
            counts["rules_right"] += matches(item.task)
            counts["model_right"] += matches(f"{base} ({pick.text})")
            counts["oracle_right"] += any(matches(f"{base} ({s.text})") for s in window)
            print(f"\r{counts}", end="", flush=True)  # noqa: T201
    report = {"model": args.gguf.name, "seconds": round(time.monotonic() - started), **counts}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "reference-choice.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"\n{json.dumps(report)}")  # noqa: T201


if __name__ == "__main__":
    main()
