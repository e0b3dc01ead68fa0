"""The numpy voice encoder: safe checkpoint reading, clear errors, and real voices told apart."""

from __future__ import annotations

import pickle
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from copilot.errors import ModelUnavailable
from copilot.settings import Settings
from tests.transcription.helpers import need
from transcription import voiceprint
from transcription.speakers import Piece, cluster_voiceprints, word_labels_mono


def _legacy_checkpoint(path: Path, payload: object) -> None:
    """The layout torch's legacy format uses: three header records, then the state pickle, then storage keys."""
    with path.open("wb") as fh:
        for record in (0x1950A86A20F9469CFC6C, 1001, {"protocol_version": 1001}):
            pickle.dump(record, fh)
        pickle.dump(payload, fh)
        pickle.dump([], fh)


class _RunsCode:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (print, ("this must never run",))


def test_a_checkpoint_that_would_run_code_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "evil.pt"
    _legacy_checkpoint(bad, {"model_state": _RunsCode()})
    with pytest.raises(ModelUnavailable, match="builtins.print"):
        voiceprint.read_state_dict(bad)


def test_a_file_that_is_no_checkpoint_gives_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.pt"
    junk.write_bytes(b"\x00not a pickle at all")
    with pytest.raises(ModelUnavailable, match="not a readable voice encoder checkpoint"):
        voiceprint.read_state_dict(junk)


def test_a_configured_path_that_does_not_exist_says_so(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match="COPILOT_VOICE_ENCODER"):
        voiceprint.load_encoder(str(tmp_path / "missing.pt"))


def test_the_setting_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COPILOT_VOICE_ENCODER", str(tmp_path / "mine.pt"))
    assert Settings().voice_encoder == str(tmp_path / "mine.pt")


def test_the_packaged_checkpoint_is_checked_against_its_known_digest(tmp_path: Path) -> None:
    tampered = tmp_path / "pretrained.pt"
    _legacy_checkpoint(tampered, {"model_state": {}})
    with pytest.raises(ModelUnavailable, match="fails its checksum"):
        voiceprint._load(tampered, 0, packaged=True)
    with pytest.raises(ModelUnavailable, match="lacks"):  # a configured file is not held to that digest
        voiceprint._load(tampered, 0, packaged=False)


def test_the_mel_filterbank_covers_the_band_with_area_normalised_triangles() -> None:
    bank = voiceprint.mel_filterbank()
    assert bank.shape == (voiceprint.N_MELS, voiceprint.N_FFT // 2 + 1)
    peaks = bank.argmax(axis=1)
    assert np.all(np.diff(peaks) >= 0) and peaks[0] < 3 and peaks[-1] > 180  # low to high, 0 to 8 kHz
    assert np.all(bank >= 0) and np.all(bank.sum(axis=1) > 0)


def test_slices_cover_an_utterance_like_the_trained_encoder() -> None:
    assert voiceprint.partial_starts(8000) == [0]  # half a second: one padded slice
    starts = voiceprint.partial_starts(16000 * 5)  # five seconds: 1.6 s slices every 0.77 s
    assert starts[:3] == [0, 77, 154] and (starts[-1] + 160) * 160 >= 16000 * 5 * 0.75


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def test_two_voices_of_sentence_vectors_are_split_and_one_voice_is_not() -> None:
    rng = np.random.default_rng(3)
    a, b = _unit(rng.normal(size=256)), _unit(rng.normal(size=256))
    b = _unit(a + 0.9 * b)  # a second voice about as close as two men were (centre cosine ~0.8)
    voices = [_unit(c + rng.normal(scale=0.012, size=256)) for c in (a, b, a, a, b, b, a, b, a, b)]
    labels = cluster_voiceprints(np.array(voices), np.ones(len(voices)))
    assert labels.tolist() in ([0, 1, 0, 0, 1, 1, 0, 1, 0, 1], [1, 0, 1, 1, 0, 0, 1, 0, 1, 0])
    one = [_unit(a + rng.normal(scale=0.012, size=256)) for _ in range(10)]
    assert set(cluster_voiceprints(np.array(one), np.ones(10)).tolist()) == {0}
    assert set(cluster_voiceprints(np.array(voices[:3]), np.ones(3)).tolist()) == {0}  # too few to tell


def test_sentence_vectors_label_every_word_and_the_first_voice_is_zero() -> None:
    rng = np.random.default_rng(5)
    a, b = _unit(rng.normal(size=256)), _unit(rng.normal(size=256))
    pieces = [
        Piece(start=i, end=i + 2.0, text="x y", language="en", evidence=[[0.0], [0.0]], voice=list(c))
        for i, c in enumerate((b, a, b, a, b, a))
    ]
    assert word_labels_mono(pieces) == [[0, 0], [1, 1], [0, 0], [1, 1], [0, 0], [1, 1]]
    restored = Piece.from_json(pieces[0].to_json())
    assert np.allclose(restored.voice, pieces[0].voice, atol=1e-5)


def _espeak(voice: str, text: str, work: Path) -> np.ndarray:
    raw, out = work / "raw.wav", work / "out.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(raw), text], check=True, capture_output=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out)], check=True)
    with wave.open(str(out)) as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768


def test_the_encoder_puts_two_male_voices_apart(tmp_path: Path) -> None:
    need("espeak-ng")
    need("sox")
    encoder = voiceprint.load_encoder()
    lines = [
        "Can you send me the updated rota by Friday please?",
        "The dashboard latency goal is still behind, we are at four seconds.",
        "I think the caching layer is the main problem here.",
    ]
    first = encoder.embed_many([_espeak("en-us+m3", line, tmp_path) for line in lines])
    second = encoder.embed_many([_espeak("en-gb+m7", line, tmp_path) for line in lines])
    same = np.mean([first[i] @ first[j] for i in range(3) for j in range(i + 1, 3)])
    same += np.mean([second[i] @ second[j] for i in range(3) for j in range(i + 1, 3)])
    across = np.mean([f @ s for f in first for s in second])
    assert same / 2 > across + 0.05, (same / 2, across)  # the same words, so only the voice differs
    assert all(abs(float(np.linalg.norm(v)) - 1.0) < 1e-4 for v in first)


def test_a_tensor_reaching_outside_its_storage_is_refused() -> None:
    storage = voiceprint._Storage(np.float32, 4, np.zeros(4, dtype=np.float32))
    assert voiceprint._TensorRef(storage, 0, (2, 2), (2, 1)).array().shape == (2, 2)
    for offset, shape, stride in ((0, (4, 4), (4, 1)), (3, (2,), (1,)), (0, (2,), (-1,)), (0, (2, 2), (1,))):
        with pytest.raises(ModelUnavailable, match="outside its storage"):
            voiceprint._TensorRef(storage, offset, shape, stride).array()
