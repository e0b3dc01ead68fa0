"""Why a 1-minute clip runs slower per second than a 60-minute meeting: RTF against length for short clips.

faster-whisper pads every window to 30 s, however little speech it holds, so a clip costs one full encoder pass
per started window of voiced audio (after VAD, with its padding). RTF on short clips is therefore a sawtooth: it
drops each time the voiced audio spills into one more window, and climbs back as that window fills. This cuts
the first N seconds of the benchmark meeting (the two-voice dialogue repeated), times the real pipeline on each
cut (fresh subprocess, model loaded, warm-up first, median of repeats: `asr.py`'s own measurement), and prints the
number of 30 s windows faster-whisper packs each cut into.

    python benchmarks/asr_short.py                    # about 5 minutes; writes benchmarks/results/asr-short.{json,md}
    python benchmarks/asr_short.py --models base --lengths 55 60 64 70
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))
from asr import concat, cpu_model, run_sub  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
WINDOW_S = 30.0


def windows(audio: Path) -> tuple[int, float]:
    """30 s windows and voiced seconds, packed the way faster-whisper's batched pipeline packs them."""
    from faster_whisper.audio import decode_audio
    from faster_whisper.vad import VadOptions, collect_chunks, get_speech_timestamps

    samples = decode_audio(str(audio))
    options = VadOptions(max_speech_duration_s=WINDOW_S, min_silence_duration_ms=160)  # the batched defaults
    _, meta = collect_chunks(samples, get_speech_timestamps(samples, options), max_duration=WINDOW_S)
    return len(meta), sum(float(m["duration"]) for m in meta)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", nargs="*", default=["tiny.en", "base"])
    ap.add_argument("--lengths", type=int, nargs="*", default=[30, 45, 55, 60, 64, 70, 80, 90, 120])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        meeting = concat(10, work)
        for model in args.models:
            for seconds in args.lengths:
                cut = work / f"cut_{seconds}.flac"
                if not cut.exists():
                    subprocess.run(["sox", str(meeting), str(cut), "trim", "0", str(seconds)], check=True)
                n_windows, voiced = windows(cut)
                # the reference text does not matter here: only time is read
                runs = [run_sub(model, cut, "", args.threads, 0) for _ in range(args.repeats)]
                rtf = statistics.median(float(r["rtf"]) for r in runs)  # type: ignore[arg-type]
                row = {"model": model, "seconds": seconds, "windows": n_windows, "voiced_s": round(voiced, 1)}
                row |= {"rtf_median": round(rtf, 2), "runs": args.repeats}
                rows.append(row)
                print(  # noqa: T201
                    f"{model:8} {seconds:4d} s  windows {n_windows}  voiced {voiced:5.1f} s  "
                    f"voiced/window {voiced / n_windows:4.1f} s  RTF {rtf:5.1f}x",
                    flush=True,
                )
    report = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "cpu": cpu_model(), "rows": rows}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "asr-short.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        f"# RTF of short clips ({report['date']}, {report['cpu']}, {args.threads} threads)",
        "",
        "| model | clip s | 30 s windows | voiced s | voiced s per window | RTF (median) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        per_window = float(r["voiced_s"]) / int(r["windows"])  # type: ignore[arg-type]
        lines.append(
            f"| {r['model']} | {r['seconds']} | {r['windows']} | {r['voiced_s']} | {per_window:.1f} | "
            f"{r['rtf_median']} |"
        )
    (RESULTS / "asr-short.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
