"""Audio input checks and decoding (PyAV through faster-whisper).

Bad input is caught here with a clear message before any model work starts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from faster_whisper.audio import decode_audio

from copilot.errors import InputError, TranscriptionError

SAMPLE_RATE = 16000


@dataclass(frozen=True)
class AudioInfo:
    duration_s: float
    channels: int
    sha256: str


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def probe(path: Path, *, max_bytes: int | None = None) -> AudioInfo:
    """Check that `path` is a readable audio file and describe it."""
    if not path.exists():
        raise InputError(f"audio file not found: {path}")
    if not path.is_file():
        raise InputError(f"not a file: {path}")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"audio file is empty: {path}")
    if max_bytes is not None and size > max_bytes:
        raise InputError(f"audio file is {size} bytes, over the limit of {max_bytes} bytes: {path}")
    try:
        with av.open(str(path)) as container:
            streams = container.streams.audio
            if not streams:
                raise InputError(f"no audio stream in {path} (is it a video or image renamed?)")
            stream = streams[0]
            channels = stream.codec_context.channels or 1
            duration = _duration(container, stream)
    except av.error.FFmpegError as exc:
        raise InputError(f"cannot decode {path.name}: not a supported audio file ({exc.strerror or exc})") from exc
    return AudioInfo(duration_s=duration, channels=channels, sha256=sha256_file(path))


def _duration(container: av.container.InputContainer, stream: av.audio.stream.AudioStream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration) / 1_000_000
    return 0.0


def load_channels(path: Path, channels: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """Decode to 16 kHz float32: the mono mix plus each channel when stereo."""
    try:
        if channels >= 2:
            left, right = decode_audio(str(path), sampling_rate=SAMPLE_RATE, split_stereo=True)
            mix = ((left + right) / 2).astype(np.float32)
            return mix, [left, right]
        mono = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
        return mono, [mono]
    except (av.error.FFmpegError, ValueError, IndexError) as exc:
        raise TranscriptionError(f"decoding {path.name} failed part-way (truncated or corrupt?): {exc}") from exc
