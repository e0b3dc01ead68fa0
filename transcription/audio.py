"""Audio input checks and streamed decoding with PyAV (the decoder faster-whisper uses).

Bad input is caught here with a clear message before any model work starts, and
long recordings are decoded in bounded chunks cut at quiet moments, so a
one-hour meeting never sits in memory as one array (plus copies per channel).
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from copilot.errors import InputError, TranscriptionError

SAMPLE_RATE = 16000
AUDIO_ONLY_SUFFIXES = frozenset({".wav", ".flac", ".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus"})
TRUNCATION_TOLERANCE_S = 1.0
DUAL_MONO_RATIO = 0.01
"""Channels whose difference is 20 dB below the signal are one microphone recorded twice."""


@dataclass(frozen=True)
class AudioInfo:
    """What the container declares, before any decoding."""

    duration_s: float
    channels: int
    sample_rate: int
    codec: str
    sha256: str


@dataclass(frozen=True)
class AudioChunk:
    """A stretch of decoded 16 kHz float32 audio; `channels` is set only for stereo input."""

    offset_s: float
    mix: np.ndarray
    channels: tuple[np.ndarray, ...] | None

    @property
    def end_s(self) -> float:
        return self.offset_s + len(self.mix) / SAMPLE_RATE


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_file(path: Path, *, max_bytes: int | None = None, allow_empty: bool = False) -> int:
    """Cheap checks (exists, not empty, not too big) that need no decoding; returns the size.

    `allow_empty` lets an upload be kept (as evidence of what was sent) before it is refused.
    """
    if not path.exists():
        raise InputError(f"audio file not found: {path}")
    if not path.is_file():
        raise InputError(f"not a file: {path}")
    size = path.stat().st_size
    if size == 0 and not allow_empty:
        raise InputError(f"audio file is empty (0 bytes): {path.name}")
    if max_bytes is not None and size > max_bytes:
        raise InputError(f"audio file {path.name} is {size} bytes, over the limit of {max_bytes} bytes")
    return size


def probe(path: Path, *, max_bytes: int | None = None, sha256: str | None = None) -> AudioInfo:
    """Check that `path` is a readable audio file and describe it."""
    check_file(path, max_bytes=max_bytes)
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            real_video = [s for s in container.streams.video if not _is_cover_art(s)]
            if not container.streams.audio:
                kind = "video or image" if container.streams.video else "media"
                raise InputError(f"{path.name} has no audio stream: it is a {kind} file ({container.format.name})")
            if real_video and path.suffix.lower() in AUDIO_ONLY_SUFFIXES:
                raise InputError(
                    f"{path.name} is a {container.format.name} video renamed {path.suffix}; export its audio first"
                )
            stream = container.streams.audio[0]
            ctx = stream.codec_context
            info = AudioInfo(
                duration_s=max(_declared_duration(container, stream), _wav_declared_duration(path) or 0.0),
                channels=ctx.channels or 1,
                sample_rate=ctx.sample_rate or 0,
                codec=ctx.name,
                sha256=sha256 or sha256_file(path),
            )
    except av.error.FFmpegError as exc:
        raise InputError(f"cannot decode {path.name}: not a supported audio file ({exc.strerror or exc})") from exc
    if info.sample_rate <= 0:
        raise InputError(f"{path.name} declares no sample rate: corrupt header")
    return info


def _is_cover_art(stream: av.video.stream.VideoStream) -> bool:
    """mp3/m4a files may carry an album picture as a video stream; that is not a video."""
    return bool(stream.disposition & av.stream.Disposition.attached_pic)


def _declared_duration(container: av.container.InputContainer, stream: av.audio.stream.AudioStream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration) / 1_000_000
    return 0.0


def _wav_declared_duration(path: Path) -> float | None:
    """Seconds a RIFF/WAVE header promises (FFmpeg trusts the file size instead, which hides truncation)."""
    with path.open("rb") as fh:
        head = fh.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return None
        byte_rate = 0
        while True:
            chunk = fh.read(8)
            if len(chunk) < 8:
                return None
            cid, size = chunk[:4], struct.unpack("<I", chunk[4:])[0]
            if cid == b"fmt ":
                fmt = fh.read(size + (size & 1))
                byte_rate = struct.unpack("<I", fmt[8:12])[0] if len(fmt) >= 12 else 0
            elif cid == b"data":
                if byte_rate <= 0 or size in (0, 0xFFFFFFFF):
                    return None
                return float(size) / byte_rate
            else:
                fh.seek(size + (size & 1), 1)


def iter_chunks(
    path: Path, *, channels: int, chunk_s: float = 120.0, start_s: float = 0.0, search_s: float = 10.0
) -> Iterator[AudioChunk]:
    """Decode `path` as 16 kHz chunks of about `chunk_s`, each cut at the quietest moment near its end.

    Decoding streams frame by frame through resamplers, so memory stays at a
    couple of chunks whatever the length. The speech mix is FFmpeg's own mono
    downmix (what whisper is used to); stereo input also keeps each channel for
    speaker attribution. `start_s` skips audio that a resumed job already
    transcribed (decoding is cheap next to recognition).
    """
    layouts = ["mono", "stereo"] if channels >= 2 else ["mono"]
    skip = [int(round(start_s * SAMPLE_RATE))] * len(layouts)
    target, search = int(chunk_s * SAMPLE_RATE), int(search_s * SAMPLE_RATE)
    pending: list[list[np.ndarray]] = [[] for _ in layouts]
    pending_len = [0 for _ in layouts]  # samples held per layout, kept as a count: summing per frame is quadratic
    offset = skip[0]

    def add(i: int, frames: list[av.AudioFrame]) -> None:
        for out in frames:
            block = out.to_ndarray().reshape(len(out.layout.channels), -1)
            if skip[i]:
                drop = min(skip[i], block.shape[1])
                block, skip[i] = block[:, drop:], skip[i] - drop
            if block.shape[1]:
                pending[i].append(block)
                pending_len[i] += block.shape[1]

    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            stream = container.streams.audio[0]
            resamplers = [av.AudioResampler(format="fltp", layout=lay, rate=SAMPLE_RATE) for lay in layouts]
            for frame in _frames(container, stream):
                for i, resampler in enumerate(resamplers):
                    add(i, resampler.resample(frame))
                if min(pending_len) >= target + search:
                    bufs = [np.concatenate(p, axis=1) for p in pending]
                    cut = _quiet_cut(bufs[0], target, search)
                    yield _chunk([b[:, :cut] for b in bufs], offset)
                    offset += cut
                    pending = [[b[:, cut:]] for b in bufs]
                    pending_len = [b.shape[1] - cut for b in bufs]
            for i, resampler in enumerate(resamplers):
                add(i, resampler.resample(None))
    except av.error.FFmpegError as exc:
        raise TranscriptionError(f"decoding {path.name} failed part-way (truncated or corrupt?): {exc}") from exc
    if pending[0]:
        bufs = [np.concatenate(p, axis=1) for p in pending]
        n = min(b.shape[1] for b in bufs)
        if n:
            yield _chunk([b[:, :n] for b in bufs], offset)


def _frames(container: av.container.InputContainer, stream: av.audio.stream.AudioStream) -> Iterator[av.AudioFrame]:
    """Decoded frames; a packet the decoder rejects mid-file is a decoding error, not silence."""
    for packet in container.demux(stream):
        yield from packet.decode()


def _quiet_cut(buf: np.ndarray, target: int, search: int) -> int:
    """Index near `target` (within the following `search` samples) where 100 ms of audio is quietest."""
    window = SAMPLE_RATE // 10
    region = np.abs(buf[:, target : target + search]).mean(axis=0)
    n = len(region) // window
    if n == 0:
        return target
    energy = region[: n * window].reshape(n, window).mean(axis=1)
    return target + int(np.argmin(energy)) * window + window // 2


def _chunk(blocks: list[np.ndarray], offset: int) -> AudioChunk:
    mix = np.ascontiguousarray(blocks[0][0], dtype=np.float32)
    if len(blocks) > 1 and blocks[1].shape[0] >= 2:
        stereo = blocks[1].astype(np.float32, copy=False)
        return AudioChunk(offset / SAMPLE_RATE, mix, (np.ascontiguousarray(stereo[0]), np.ascontiguousarray(stereo[1])))
    return AudioChunk(offset / SAMPLE_RATE, mix, None)


def is_dual_mono(channels: tuple[np.ndarray, ...]) -> bool:
    """True when the channels are (nearly) the same signal, as in most 'stereo' phone or laptop recordings.

    Then channel energy says nothing about who speaks, and mono diarization applies.
    """
    left, right = channels[0], channels[1]
    diff = float(np.sum(np.square(left - right)))
    return diff <= DUAL_MONO_RATIO * max(float(np.sum(np.square(left))), float(np.sum(np.square(right))), 1e-12)


def check_complete(path: Path, info: AudioInfo, decoded_s: float) -> None:
    """Refuse a file whose audio stops well before the length its header declares (a cut-off upload)."""
    if info.duration_s > 0 and decoded_s + TRUNCATION_TOLERANCE_S < info.duration_s:
        raise TranscriptionError(
            f"{path.name} is truncated: only {decoded_s:.1f} s of the declared {info.duration_s:.1f} s could be decoded"
        )
