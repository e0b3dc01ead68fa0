"""Fixtures for transcription tests: real models loaded once per session, audio made with sox/ffmpeg."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.transcription.helpers import need, sh
from transcription.whisper import WhisperTranscriber


@pytest.fixture(scope="session")
def model_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("asr-home")


@pytest.fixture(scope="session")
def tiny(model_home: Path) -> WhisperTranscriber:
    t = WhisperTranscriber("tiny.en", model_home)
    t.load()
    return t


@pytest.fixture(scope="session")
def base(model_home: Path) -> WhisperTranscriber:
    t = WhisperTranscriber("base", model_home)
    t.load()
    return t


@pytest.fixture(scope="session")
def base_traditional(model_home: Path) -> WhisperTranscriber:
    return WhisperTranscriber("base", model_home, chinese_script="traditional")


@pytest.fixture
def make_audio(tmp_path: Path) -> Callable[..., Path]:
    """ffmpeg-transcode `source` (default: a tone) into `name` with the given rate and channels."""

    def make(
        name: str,
        *,
        source: Path | None = None,
        rate: int = 16000,
        channels: int = 1,
        seconds: float = 3.0,
        extra: tuple[str, ...] = (),
    ) -> Path:
        need("ffmpeg")
        out = tmp_path / name
        inp = ["-i", str(source)] if source else ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
        sh("ffmpeg", "-v", "error", "-y", *inp, "-ar", str(rate), "-ac", str(channels), *extra, str(out))
        return out

    return make
