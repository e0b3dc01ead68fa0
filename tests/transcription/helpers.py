"""Helpers for transcription tests: tools, generated audio, reference speaker turns."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

DEMO = REPO_ROOT / "samples" / "review_demo.ogg"
DEMO_TEXT = REPO_ROOT / "samples" / "review_demo.txt"


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (apt-get install {tool})")
    return path


def sh(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True, timeout=120)


def make_video(path: Path) -> None:
    """A one-second mp4 with a picture and a tone: a video someone might rename to .wav."""
    sh(
        "ffmpeg", "-v", "error", "-y",
        "-f", "lavfi", "-i", "testsrc=duration=1:size=64x64:rate=10",
        "-f", "lavfi", "-i", "sine=duration=1",
        "-shortest", "-pix_fmt", "yuv420p", str(path),
    )  # fmt: skip


def reference_turns(path: Path) -> list[tuple[float, float, str]]:
    """Who speaks when in the stereo demo, from the channels themselves (one voice per channel, -26 dB bleed)."""
    import numpy as np
    from faster_whisper.audio import decode_audio

    left, right = decode_audio(str(path), split_stereo=True)
    hop = 160
    n = len(left) // hop
    el = np.sqrt((left[: n * hop].reshape(n, hop) ** 2).mean(axis=1))
    er = np.sqrt((right[: n * hop].reshape(n, hop) ** 2).mean(axis=1))
    threshold = 0.02 * max(el.max(), er.max())
    turns: list[list[float | str]] = []
    for i in range(n):
        if max(el[i], er[i]) < threshold:
            continue
        who = "manager" if el[i] >= er[i] else "employee"
        t = i * 0.01
        if turns and turns[-1][2] == who and t - float(turns[-1][1]) < 0.4:
            turns[-1][1] = t + 0.01
        else:
            turns.append([t, t + 0.01, who])
    return [(float(s), float(e), str(w)) for s, e, w in turns]


def demo_reference_text() -> str:
    return " ".join(line.split("|", 1)[1] for line in DEMO_TEXT.read_text().splitlines() if "|" in line)


def same_gender_dialogue(work: Path, voices: tuple[str, str]) -> tuple[Path, list[tuple[float, float, str]]]:
    """The demo dialogue read by two same-gender voices, mono, with its true turns (a harder diarization case)."""
    lines = [ln.split("|", 1) for ln in DEMO_TEXT.read_text().splitlines() if "|" in ln]
    parts: list[str] = []
    turns: list[tuple[float, float, str]] = []
    clock = 0.0
    for i, (who, text) in enumerate(lines):
        raw, mono = work / f"sg{i}.wav", work / f"sgm{i}.wav"
        voice = voices[0] if who == "manager" else voices[1]
        subprocess.run(["espeak-ng", "-v", voice, "-s", "165", "-w", str(raw), text], check=True)
        subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", str(mono), "pad", "0", "0.6"], check=True)
        length = float(subprocess.run(["soxi", "-D", str(mono)], capture_output=True, text=True).stdout)
        turns.append((clock, clock + length - 0.6, who))
        clock += length
        parts.append(str(mono))
    out = work / f"same_{voices[0]}_{voices[1]}.wav".replace("+", "_")
    subprocess.run(["sox", *parts, str(out)], check=True)
    return out, turns
