"""Decoding every supported format, streamed chunking, and every kind of bad input (no model needed)."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from copilot.errors import InputError, TranscriptionError
from tests.transcription.helpers import make_video, need, sh
from transcription.audio import SAMPLE_RATE, check_complete, is_dual_mono, iter_chunks, probe

FORMATS = [
    # name, ffmpeg extra args, rate, channels
    ("clip.wav", (), 44100, 2),
    ("clip.flac", (), 8000, 1),
    ("clip.mp3", (), 22050, 2),
    ("clip.m4a", ("-c:a", "aac"), 48000, 1),
    ("clip.aac", ("-c:a", "aac"), 32000, 2),
    ("clip.ogg", ("-c:a", "libvorbis"), 16000, 2),
    ("clip.opus", ("-c:a", "libopus"), 48000, 1),
    ("clip.webm", ("-c:a", "libopus"), 48000, 2),
]


@pytest.mark.parametrize(("name", "extra", "rate", "channels"), FORMATS, ids=[f[0] for f in FORMATS])
def test_every_format_decodes_to_16k_with_its_channels(
    make_audio: Callable[..., Path], name: str, extra: tuple[str, ...], rate: int, channels: int
) -> None:
    path = make_audio(name, rate=rate, channels=channels, seconds=3.0, extra=extra)
    info = probe(path)
    assert info.channels == channels
    assert info.sample_rate == rate
    assert len(info.sha256) == 64
    chunks = list(iter_chunks(path, channels=info.channels))
    total = sum(len(c.mix) for c in chunks) / SAMPLE_RATE
    assert total == pytest.approx(3.0, abs=0.08)  # codecs pad a few ms
    assert (chunks[0].channels is not None) == (channels == 2)
    # a 440 Hz tone survives resampling: the spectrum peaks there
    spectrum = np.abs(np.fft.rfft(chunks[0].mix[:SAMPLE_RATE]))
    assert abs(int(np.argmax(spectrum)) - 440) <= 2


def test_long_audio_streams_in_chunks_cut_at_quiet_moments(tmp_path: Path) -> None:
    """Tone bursts with gaps: every cut falls in a gap, chunks are contiguous, and resuming skips exactly."""
    need("sox")
    path = tmp_path / "bursts.wav"
    # 1.5 s tone + 0.5 s silence, 10 times = 20 s
    sh(
        "sox",
        "-n",
        "-r",
        "16000",
        "-c",
        "1",
        str(tmp_path / "burst.wav"),
        "synth",
        "1.5",
        "sine",
        "300",
        "pad",
        "0",
        "0.5",
    )
    sh("sox", *[str(tmp_path / "burst.wav")] * 10, str(path))
    chunks = list(iter_chunks(path, channels=1, chunk_s=4.0, search_s=2.0))
    assert len(chunks) >= 4
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert after.offset_s == pytest.approx(before.end_s)
        assert (before.end_s % 2.0) > 1.5  # the cut is inside a 0.5 s silence
    assert chunks[-1].end_s == pytest.approx(20.0, abs=0.01)
    resumed = list(iter_chunks(path, channels=1, chunk_s=4.0, search_s=2.0, start_s=chunks[1].end_s))
    assert resumed[0].offset_s == pytest.approx(chunks[1].end_s)
    assert np.allclose(resumed[0].mix[:1000], chunks[2].mix[:1000], atol=1e-4)


def test_dual_mono_is_told_apart_from_two_microphones() -> None:
    rng = np.random.default_rng(0)
    voice = rng.normal(size=16000).astype(np.float32)
    assert is_dual_mono((voice, voice * 1.0001))
    assert not is_dual_mono((voice, voice * 0.05))


# --------------------------------------------------------------------------- bad input


def _wav_header_only(path: Path) -> None:
    """A valid 16-bit mono WAV header that declares zero samples."""
    fmt = struct.pack("<4sIHHIIHH", b"fmt ", 16, 1, 1, 16000, 32000, 2, 16)
    path.write_bytes(b"RIFF" + struct.pack("<I", 4 + len(fmt) + 8) + b"WAVE" + fmt + b"data" + struct.pack("<I", 0))


def test_nonexistent_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="audio file not found"):
        probe(tmp_path / "nope.wav")


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.wav").write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        probe(tmp_path / "empty.wav")


def test_zero_length_audio_has_no_samples(tmp_path: Path) -> None:
    path = tmp_path / "zero.wav"
    _wav_header_only(path)
    info = probe(path)
    assert info.duration_s == 0.0
    assert list(iter_chunks(path, channels=info.channels)) == []


def test_corrupt_header(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.wav"
    path.write_bytes(b"RIFF\xff\xff\xff\xffWAVEfmt " + bytes(range(256)) * 8)
    with pytest.raises(InputError, match="cannot decode|corrupt"):
        probe(path)


@pytest.mark.parametrize("suffix", [".wav", ".flac"])
def test_truncated_file_is_refused_after_decoding_what_is_there(
    make_audio: Callable[..., Path], tmp_path: Path, suffix: str
) -> None:
    whole = make_audio(f"whole{suffix}", seconds=10.0)
    cut = tmp_path / f"cut{suffix}"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    info = probe(cut)
    assert info.duration_s == pytest.approx(10.0, abs=0.1)  # what the header promises
    decoded: list[float] = []

    def decode_all() -> None:
        for chunk in iter_chunks(cut, channels=1, chunk_s=2.0, search_s=0.5):
            decoded.append(chunk.end_s)
        check_complete(cut, info, decoded[-1])

    with pytest.raises(TranscriptionError, match="truncated"):
        decode_all()
    assert decoded and decoded[-1] < 6.0  # what was there was decoded first (a job keeps it as partial results)


def test_video_renamed_wav(make_audio: Callable[..., Path], tmp_path: Path) -> None:
    need("ffmpeg")
    video = tmp_path / "clip.mp4"
    make_video(video)
    renamed = tmp_path / "meeting.wav"
    renamed.write_bytes(video.read_bytes())
    with pytest.raises(InputError, match="video renamed .wav"):
        probe(renamed)


def test_image_renamed_wav(tmp_path: Path) -> None:
    need("ffmpeg")
    image = tmp_path / "photo.png"
    sh("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=red:size=32x32", "-frames:v", "1", str(image))
    renamed = tmp_path / "meeting.wav"
    renamed.write_bytes(image.read_bytes())
    with pytest.raises(InputError, match="no audio stream|cannot decode"):
        probe(renamed)


def test_two_gigabyte_upload_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "huge.wav"
    with big.open("wb") as fh:  # sparse: no 2 GB are written
        fh.truncate(2 * 1024**3)
    with pytest.raises(InputError, match="over the limit"):
        probe(big, max_bytes=2 * 1024**3 - 1)
