"""ASR benchmark: speed (RTF), accuracy (WER) and peak memory of the real pipeline, by model and length.

Each measurement runs in a fresh subprocess so its peak RSS is its own. RTF is
audio seconds per processing second (higher is faster), timed around
`WhisperTranscriber.transcribe` (decode + VAD + recognition + words +
speakers), with the model already loaded. Reports medians over repeats.

    python benchmarks/asr.py                 # everything (about 20 min on 2 cores)
    python benchmarks/asr.py --quick         # jfk, dialogue and 1 min only
    python benchmarks/asr.py --lengths 1 10  # choose the long-recording lengths (minutes)
    python benchmarks/asr.py --quick --batch-sizes 1 4 8   # sequential vs batched (default: per model)

Writes benchmarks/results/asr.json and asr.md and prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
JFK = ROOT.parent / "shared" / "data" / "audio" / "jfk.flac"
JFK_TEXT = "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country."
DIALOGUE = ROOT / "samples" / "review_demo.ogg"
DIALOGUE_TEXT = " ".join(
    line.split("|", 1)[1] for line in (ROOT / "samples" / "review_demo.txt").read_text().splitlines() if "|" in line
)
RESULTS = ROOT / "benchmarks" / "results"
TARGET_RTF = {"base": 20.0, "tiny.en": 40.0}


def measure_one(
    model: str, audio: str, reference: str, threads: int, batch_size: int, chunk_s: float = 0.0
) -> dict[str, object]:
    """Runs inside the subprocess: load, transcribe once, report time, WER and peak RSS."""
    from copilot.procstats import peak_rss_mb
    from transcription.metrics import wer
    from transcription.whisper import TranscribeOptions, WhisperTranscriber

    home = Path(os.environ.get("COPILOT_HOME", tempfile.gettempdir())) / "bench-home"
    t = WhisperTranscriber(model, home, threads=threads, batch_size=batch_size or None, chunk_s=chunk_s or None)
    t0 = time.perf_counter()
    t.load()
    load_s = time.perf_counter() - t0
    t.transcribe(JFK, options=TranscribeOptions(language="en"))  # warm-up: VAD session, first-call allocations
    t0 = time.perf_counter()
    transcript = t.transcribe(Path(audio), options=TranscribeOptions(language="en"))
    elapsed = time.perf_counter() - t0
    text = " ".join(s.text for s in transcript.segments)
    return {
        "load_s": load_s,
        "elapsed_s": elapsed,
        "audio_s": transcript.duration_s,
        "rtf": transcript.duration_s / elapsed,
        "wer": wer(reference, text),
        "peak_rss_mb": peak_rss_mb(),
        "text_head": text[:120],
        "segments": len(transcript.segments),
        "batch_size": t.batch_size,
        "chunk_s": t.chunk_s,
    }


def quality(threads: int) -> None:
    """CER on the real Chinese clips (forced and auto language) and DER of stereo and mono speaker attribution."""
    from faster_whisper.audio import decode_audio

    from transcription.metrics import cer, diarization_error_rate
    from transcription.whisper import TranscribeOptions, WhisperTranscriber

    audio_dir = JFK.parent
    t = WhisperTranscriber("base", Path(tempfile.gettempdir()) / "bench-home", threads=threads)
    rows = []
    for clip, forced in (("zh_aishell1_wenet", "zh"), ("yue_fleurs_01", "yue"), ("zh_en_fleurs_mix", "zh")):
        reference = (audio_dir / f"{clip}.txt").read_text(encoding="utf-8").strip()
        for language in (forced, "auto"):
            tr = t.transcribe(audio_dir / f"{clip}.wav", options=TranscribeOptions(language=language))
            text = " ".join(s.text for s in tr.segments)
            rows.append(
                {"clip": clip, "language": language, "detected": tr.language, "cer": cer(reference, text), "text": text}
            )
            print(
                f"CER base {clip:18} --language {language:4} → {tr.language:3} {cer(reference, text) * 100:5.1f}%  "
                f"{text}",
                flush=True,
            )
    left, right = decode_audio(str(DIALOGUE), split_stereo=True)
    hop, n = 160, len(left) // 160
    el = (left[: n * hop].reshape(n, hop) ** 2).mean(axis=1) ** 0.5
    er = (right[: n * hop].reshape(n, hop) ** 2).mean(axis=1) ** 0.5
    threshold = 0.02 * max(el.max(), er.max())
    reference_turns: list[tuple[float, float, str]] = []
    for i in range(n):
        if max(el[i], er[i]) >= threshold:
            who = "manager" if el[i] >= er[i] else "employee"
            if reference_turns and reference_turns[-1][2] == who and i * 0.01 - reference_turns[-1][1] < 0.4:
                reference_turns[-1] = (reference_turns[-1][0], i * 0.01 + 0.01, who)
            else:
                reference_turns.append((i * 0.01, i * 0.01 + 0.01, who))
    with tempfile.TemporaryDirectory() as tmp:
        mono = Path(tmp) / "mono.wav"
        subprocess.run(["sox", str(DIALOGUE), "-c", "1", str(mono), "remix", "1,2"], check=True)
        der = {}
        for name, path in (("stereo (channel energy)", DIALOGUE), ("mono (voice clustering)", mono)):
            tr = t.transcribe(path, options=TranscribeOptions(language="en"))
            der[name] = diarization_error_rate(reference_turns, [(s.start, s.end, s.speaker) for s in tr.segments])
            print(f"DER base dialogue {name}: {der[name] * 100:.1f}% (collar 0.25 s)", flush=True)
        from tests.transcription.helpers import same_gender_dialogue

        for name, voices in SAME_GENDER_PAIRS.items():
            path, turns = same_gender_dialogue(Path(tmp), voices)
            tr = t.transcribe(path, options=TranscribeOptions(language="en"))
            der[name] = diarization_error_rate(turns, [(s.start, s.end, s.speaker) for s in tr.segments])
            print(f"DER base {name}: {der[name] * 100:.1f}% (collar 0.25 s)", flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "asr-quality.json").write_text(json.dumps({"cer": rows, "der": der}, ensure_ascii=False, indent=2))
    md = ["# ASR quality (whisper base)", "", "| clip | --language | detected | CER |", "|---|---|---|---:|"]
    md += [f"| {r['clip']} | {r['language']} | {r['detected']} | {float(r['cer']) * 100:.1f}% |" for r in rows]
    md += ["", "| speakers on the two-voice dialogue | DER |", "|---|---:|"]
    md += [f"| {k} | {v * 100:.1f}% |" for k, v in der.items()]
    (RESULTS / "asr-quality.md").write_text("\n".join(md) + "\n")


SAME_GENDER_PAIRS = {
    "mono, one male voice with two accents (en-us / en-gb)": ("en-us", "en-gb"),
    "mono, two male voices (en-us+m3 / en-gb+m7)": ("en-us+m3", "en-gb+m7"),
    "mono, two male voices (en-us+m2 / en-gb+m5)": ("en-us+m2", "en-gb+m5"),
    "mono, two female voices (en-us+f2 / en-gb-x-rp+f3)": ("en-us+f2", "en-gb-x-rp+f3"),
}


def run_sub(
    model: str, audio: Path, reference: str, threads: int, batch_size: int, chunk_s: float = 0.0
) -> dict[str, object]:
    ref_file = Path(tempfile.mkstemp(suffix=".txt")[1])
    ref_file.write_text(reference)
    try:
        proc = subprocess.run(
            [sys.executable, __file__, "--one", model, str(audio), str(ref_file), "--threads", str(threads)]
            + ["--batch-sizes", str(batch_size), "--chunk-s", str(chunk_s)],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
    finally:
        ref_file.unlink()
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark run failed: {proc.stderr.strip().splitlines()[-1:]}")
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def concat(minutes: int, work: Path) -> Path:
    """A long meeting made of the two-voice dialogue repeated (stereo FLAC, 16 kHz)."""
    out = work / f"meeting_{minutes}min.flac"
    if out.exists():
        return out
    dialogue_s = float(subprocess.run(["soxi", "-D", str(DIALOGUE)], capture_output=True, text=True, check=True).stdout)
    repeats = max(1, round(minutes * 60 / dialogue_s))
    list_file = work / f"list_{minutes}.txt"
    list_file.write_text("".join(f"file '{DIALOGUE}'\n" for _ in range(repeats)))
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "concat",
            "-safe",
            "0",
            "-i",
            str(list_file),
            "-ac",
            "2",
            "-ar",
            "16000",
            str(out),
        ],
        check=True,
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--one", nargs=3, metavar=("MODEL", "AUDIO", "REFERENCE_FILE"), help=argparse.SUPPRESS)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument(
        "--batch-sizes", type=int, nargs="*", default=[0], help="1 = sequential decoding, 0 = the model's default"
    )
    ap.add_argument("--repeats", type=int, default=3, help="repeats for clips up to 1 minute")
    ap.add_argument("--long-repeats", type=int, default=1, help="repeats for 10 minutes and longer")
    ap.add_argument("--lengths", type=int, nargs="*", default=[1, 10, 30, 60], help="long-recording minutes")
    ap.add_argument("--models", nargs="*", default=["tiny.en", "base"])
    ap.add_argument("--chunk-s", type=float, default=0.0, help="seconds decoded at a time; 0 = the model's default")
    ap.add_argument("--quick", action="store_true", help="only jfk, the dialogue and 1 minute")
    ap.add_argument("--skip-short", action="store_true", help="only the long recordings")
    ap.add_argument("--quality-only", action="store_true", help="only CER on the Chinese clips and DER")
    ap.add_argument("--skip-quality", action="store_true", help="skip CER on the Chinese clips and DER")
    ap.add_argument("--name", default="asr", help="results file name (benchmarks/results/NAME.json and .md)")
    args = ap.parse_args()
    if args.one:
        model, audio, ref_file = args.one
        reference = Path(ref_file).read_text()
        print(json.dumps(measure_one(model, audio, reference, args.threads, args.batch_sizes[0], args.chunk_s)))
        return
    if not args.skip_quality:
        quality(args.threads)
        if args.quality_only:
            return
    lengths = [1] if args.quick else args.lengths
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs: list[tuple[str, Path, str, int]] = []
        if not args.skip_short:
            inputs += [
                ("jfk.flac (11 s)", JFK, JFK_TEXT, args.repeats),
                ("dialogue (64 s)", DIALOGUE, DIALOGUE_TEXT, args.repeats),
            ]
        dialogue_s = float(
            subprocess.run(["soxi", "-D", str(DIALOGUE)], capture_output=True, text=True, check=True).stdout
        )
        for minutes in lengths:
            repeats = max(1, round(minutes * 60 / dialogue_s))
            inputs.append(
                (
                    f"meeting {minutes} min",
                    concat(minutes, work),
                    " ".join([DIALOGUE_TEXT] * repeats),
                    args.repeats if minutes <= 1 else args.long_repeats,
                )
            )
        for model, batch_size in [(m, b) for m in args.models for b in args.batch_sizes]:
            for name, audio, reference, repeats in inputs:
                runs = [
                    run_sub(model, audio, reference, args.threads, batch_size, args.chunk_s) for _ in range(repeats)
                ]
                row = {
                    "model": model,
                    "batch_size": runs[0]["batch_size"],
                    "chunk_s": runs[0]["chunk_s"],
                    "input": name,
                    "repeats": repeats,
                    "audio_s": runs[0]["audio_s"],
                    "rtf_median": statistics.median(float(r["rtf"]) for r in runs),  # type: ignore[arg-type]
                    "elapsed_s_median": statistics.median(float(r["elapsed_s"]) for r in runs),  # type: ignore[arg-type]
                    "wer_median": statistics.median(float(r["wer"]) for r in runs),  # type: ignore[arg-type]
                    "peak_rss_mb_max": max(float(r["peak_rss_mb"]) for r in runs),  # type: ignore[arg-type]
                    "load_s_median": statistics.median(float(r["load_s"]) for r in runs),  # type: ignore[arg-type]
                }
                rows.append(row)
                print(_line(row), flush=True)
                _write(args, rows)  # after every row, so a long run that is stopped still reports
    print(_markdown(_write(args, rows)))


def cpu_model() -> str:
    """The CPU's name: RTF differs about 2x between the machines this was measured on (AVX-512 Xeon vs AVX2 EPYC)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _write(args: argparse.Namespace, rows: list[dict[str, object]]) -> dict[str, object]:
    report: dict[str, object] = {
        "machine": {
            "cpu": cpu_model(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "threads": args.threads,
            "load_average_at_end": os.getloadavg(),
        },
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "rows": rows,
        "linearity": _linearity(rows),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / f"{args.name}.md").write_text(_markdown(report))
    return report


def _line(row: dict[str, object]) -> str:
    return (
        f"{row['model']:8} batch {row.get('batch_size', 1)!s:2} chunk {row.get('chunk_s', '')!s:5} {row['input']:18} "
        f"RTF {float(row['rtf_median']):6.1f}x  "  # type: ignore[arg-type]
        f"WER {float(row['wer_median']) * 100:5.1f}%  peak RSS {float(row['peak_rss_mb_max']):6.0f} MB"
    )  # type: ignore[arg-type]


def _linearity(rows: list[dict[str, object]]) -> dict[str, float]:
    """RTF at the longest length relative to 1 minute (1.0 = perfectly linear cost)."""
    out = {}
    for model, batch in {(str(r["model"]), r.get("batch_size", 1)) for r in rows}:
        mine = [r for r in rows if r["model"] == model and r.get("batch_size", 1) == batch]
        long = [r for r in mine if str(r["input"]).startswith("meeting")]
        one = [r for r in long if r["input"] == "meeting 1 min"]
        if one and len(long) > 1:
            out[f"{model} batch {batch}"] = float(long[-1]["rtf_median"]) / float(one[0]["rtf_median"])  # type: ignore[arg-type]
    return out


def _markdown(report: dict[str, object]) -> str:
    rows = report["rows"]
    assert isinstance(rows, list)
    lines = [
        f"# ASR benchmark ({report['when']}, {report['machine'].get('cpu', '?')}, "  # type: ignore[index,attr-defined]
        f"{report['machine']['cpus']} CPUs, "  # type: ignore[index]
        f"{report['machine']['threads']} threads)",  # type: ignore[index]
        "",
        "| model | batch | chunk s | input | audio s | RTF (× real time, median) | target | WER | peak RSS MB | runs |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r.get('batch_size', 1)} | {r.get('chunk_s', '')} | {r['input']} | "
            f"{float(r['audio_s']):.0f} | "
            f"{float(r['rtf_median']):.1f} | "
            f"≥{TARGET_RTF.get(str(r['model']), 0):.0f} | {float(r['wer_median']) * 100:.1f}% | "
            f"{float(r['peak_rss_mb_max']):.0f} | {r['repeats']} |"
        )
    lines += [
        "",
        "RTF at the longest length ÷ RTF at 1 min (target ≥ 0.85): "
        + ", ".join(f"{m} {v:.2f}" for m, v in sorted(report["linearity"].items())),
        "",
    ]  # type: ignore[attr-defined]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
