"""What telling voices apart on one microphone costs: the numpy voice encoder's speed and the whole mono pipeline.

1. Encoder alone: sentences of the two-voice demo dialogue (mono mix), cut at its words' sentence ends, embedded in
   one batch; seconds of speech per second of compute, for 1, 5 and 20 copies of the dialogue (about 1 to 21
   minutes), median of repeats.
2. Whole pipeline on the mono dialogue (whisper base, `--language en`), with the encoder and with its fallback
   (the voice_encoder setting pointing nowhere, so MFCC/pitch clustering): real-time factor, median of repeats, each run
   in a fresh subprocess with its peak RSS.

    python benchmarks/voiceprint.py        # about 3 minutes; writes benchmarks/results/voiceprint.{json,md}
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
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DIALOGUE = ROOT / "samples" / "review_demo.ogg"
RESULTS = ROOT / "benchmarks" / "results"


def encoder_speed(copies: list[int], repeats: int) -> list[dict[str, float]]:
    from faster_whisper.audio import decode_audio

    from transcription.voiceprint import load_encoder

    mono = decode_audio(str(DIALOGUE))
    encoder = load_encoder()
    cut = int(4.0 * 16000)  # sentences of the dialogue last 2-6 s
    sentences = [mono[i : i + cut] for i in range(0, len(mono) - cut // 2, cut)]
    encoder.embed_many(sentences[:2])  # warm-up
    rows = []
    for n in copies:
        batch = sentences * n
        speech_s = sum(len(s) for s in batch) / 16000
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            encoder.embed_many(batch)
            times.append(time.perf_counter() - t0)
        median = statistics.median(times)
        rows.append(
            {"speech_s": round(speech_s, 1), "seconds": round(median, 3), "speed_x": round(speech_s / median, 1)}
        )
        print(f"encoder: {speech_s:7.1f} s of speech in {median:6.2f} s = {speech_s / median:6.1f}x", flush=True)
    return rows


def one_run(audio: Path, fallback: bool) -> dict[str, float]:
    """Child process: transcribe once after a warm-up, report seconds and own peak RSS."""
    from copilot.procstats import peak_rss_mb
    from transcription.whisper import TranscribeOptions, WhisperTranscriber

    missing = str(Path(tempfile.gettempdir()) / "no-voice-encoder.pt")
    t = WhisperTranscriber(
        "base", Path(tempfile.gettempdir()) / "bench-home", threads=2, voice_encoder=missing if fallback else None
    )
    options = TranscribeOptions(language="en")
    t.transcribe(audio, options=options)  # warm-up: model load, first-call costs
    t0 = time.perf_counter()
    tr = t.transcribe(audio, options=options)
    seconds = time.perf_counter() - t0
    rss_mb = peak_rss_mb()
    return {"seconds": seconds, "rss_mb": rss_mb, "duration_s": tr.duration_s or 0.0}


def pipeline(repeats: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        mono = Path(tmp) / "mono.wav"
        subprocess.run(["sox", str(DIALOGUE), "-c", "1", str(mono), "remix", "1,2"], check=True)
        for name, fallback in (("voice encoder", False), ("MFCC/pitch fallback", True)):
            runs = []
            for _ in range(repeats):
                out = subprocess.run(
                    [sys.executable, __file__, "--child", str(mono)] + (["--fallback"] if fallback else []),
                    capture_output=True,
                    text=True,
                    check=True,
                    cwd=ROOT,
                )
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
            seconds = statistics.median(float(r["seconds"]) for r in runs)
            duration = float(runs[0]["duration_s"])
            rss = max(float(r["rss_mb"]) for r in runs)
            rows.append(
                {
                    "speakers": name,
                    "rtf_x": round(duration / seconds, 1),
                    "seconds": round(seconds, 2),
                    "rss_mb": round(rss),
                }
            )
            print(
                f"pipeline, mono dialogue, {name}: {duration / seconds:.1f}x real time, peak {rss:.0f} MB", flush=True
            )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--fallback", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(one_run(Path(args.child), args.fallback)))
        return
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from asr import cpu_model

    encoder = encoder_speed([1, 5, 20], args.repeats)
    whole = pipeline(args.repeats)
    ratio = float(whole[0]["seconds"]) / float(whole[1]["seconds"])
    report = {"cpu": cpu_model(), "encoder": encoder, "pipeline": whole, "encoder_over_fallback_time": round(ratio, 3)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "voiceprint.json").write_text(json.dumps(report, indent=2))
    md = [
        f"# Mono speakers: cost of the voice encoder ({report['cpu']}, 2 threads)",
        "",
        "| speech embedded | compute | speed |",
        "|---:|---:|---:|",
        *(f"| {r['speech_s']} s | {r['seconds']} s | {r['speed_x']}x |" for r in encoder),
        "",
        "| mono dialogue (64 s), whisper base | RTF | peak RSS |",
        "|---|---:|---:|",
        *(f"| {r['speakers']} | {r['rtf_x']}x | {r['rss_mb']} MB |" for r in whole),
        "",
        f"Pipeline time with the encoder / with the fallback: {ratio:.2f} (medians of {args.repeats} runs).",
    ]
    (RESULTS / "voiceprint.md").write_text("\n".join(md) + "\n")
    print(md[-1])


if __name__ == "__main__":
    main()
