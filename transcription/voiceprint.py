"""Speaker embeddings (d-vectors) for telling voices apart on one microphone, in numpy only.

The weights are Resemblyzer's pretrained GE2E voice encoder (Apache-2.0): a 3-layer LSTM over 40 mel bands
that maps 1.6 s of speech to a 256-d unit vector, trained so that one speaker's vectors lie close together.
The `resemblyzer` wheel ships them as `pretrained.pt`; it is installed with `--no-deps`, because the package
itself needs torch and librosa, and this module reads only the weights: a restricted unpickler that accepts
nothing but tensors (no code runs from the file), and a numpy LSTM. `COPILOT_VOICE_ENCODER` may point at
another checkpoint of the same architecture (the `voice_encoder` setting). Nothing is downloaded.

Why: MFCC and pitch statistics separate a man from a woman, but not two men (DER 50% and 19.7% on two pairs of
male espeak voices); with these embeddings the same pairs reach 10.3% and 7.5% (benchmarks/results/asr-quality.md).
"""

from __future__ import annotations

import collections
import functools
import hashlib
import importlib.util
import pickle
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from copilot.errors import ModelUnavailable

SAMPLE_RATE = 16000
N_FFT = 400  # 25 ms windows
HOP = 160  # 10 ms steps
N_MELS = 40
HIDDEN = 256
LAYERS = 3
PARTIAL_FRAMES = 160
"""The encoder was trained on 1.6 s slices; an utterance's vector is the mean over its slices."""
PARTIAL_RATE = 1.3
"""Slices per second (so consecutive 1.6 s slices overlap by half)."""
MIN_COVERAGE = 0.75
"""A last slice less than this full is dropped, unless it is the only one."""
TARGET_DBFS = -30.0
"""Quiet speech is raised to this loudness (never lowered), as the encoder was trained."""
BATCH_SLICES = 64
"""Slices run through the LSTM together: enough to amortise numpy's per-step overhead, while the gate inputs
(slices x 160 x 1024 floats) stay near 40 MB; 1,100 slices at once (21 minutes of speech) peaked at 2.7 GB."""
INSTALL_HINT = "pip install --no-deps resemblyzer==0.1.4 (only its weights are used; no torch needed)"
PACKAGED_SHA256 = "39373b86598fa3da9fcddee6142382efe09777e8d37dc9c0561f41f0070f134e"
"""sha256 of `resemblyzer/pretrained.pt` in Resemblyzer 0.1.4, the checkpoint the thresholds were measured on."""


def find_weights(configured: str | None = None) -> Path:
    """A configured checkpoint (`COPILOT_VOICE_ENCODER`), else the resemblyzer wheel's; a clear error otherwise."""
    if configured:
        path = Path(configured).expanduser()
        if not path.is_file():
            raise ModelUnavailable(f"COPILOT_VOICE_ENCODER points at {path}, which is not a file")
        return path
    spec = importlib.util.find_spec("resemblyzer")  # locates the package without importing it (it imports torch)
    if spec is None or spec.origin is None:
        raise ModelUnavailable(f"the voice encoder is not installed; install it with: {INSTALL_HINT}")
    path = Path(spec.origin).parent / "pretrained.pt"
    if not path.is_file():
        raise ModelUnavailable(f"resemblyzer is installed but {path} is missing; reinstall with: {INSTALL_HINT}")
    return path


# --------------------------------------------------------------------------- checkpoint reading


@dataclass
class _Storage:
    dtype: type[np.generic]
    size: int
    data: np.ndarray | None = None


@dataclass(frozen=True)
class _TensorRef:
    storage: _Storage
    offset: int
    shape: tuple[int, ...]
    stride: tuple[int, ...]

    def array(self) -> np.ndarray:
        """The tensor as float32; a shape or stride reaching outside its storage is refused (as_strided would
        read whatever memory lies there)."""
        assert self.storage.data is not None
        item = self.storage.data.itemsize
        fits = len(self.shape) == len(self.stride) and min((*self.shape, *self.stride, self.offset), default=0) >= 0
        if fits and all(n > 0 for n in self.shape):
            last = self.offset + sum((n - 1) * st for n, st in zip(self.shape, self.stride, strict=True))
            fits = last < self.storage.data.size
        if not fits:
            raise ModelUnavailable("voice encoder checkpoint has a tensor that reaches outside its storage")
        view = np.lib.stride_tricks.as_strided(
            self.storage.data[self.offset :], shape=self.shape, strides=[s * item for s in self.stride]
        )
        return np.array(view, dtype=np.float32)


_STORAGE_TYPES: dict[str, type[np.generic]] = {
    "FloatStorage": np.float32,
    "DoubleStorage": np.float64,
    "LongStorage": np.int64,
    "IntStorage": np.int32,
}


def _rebuild_tensor(storage: _Storage, offset: int, shape: tuple[int, ...], stride: tuple[int, ...], *_: Any) -> Any:
    return _TensorRef(storage, offset, tuple(shape), tuple(stride))


class _DataOnly(pickle.Unpickler):
    """Refuses every global: the header records of a checkpoint are plain data."""

    def find_class(self, module: str, name: str) -> Any:
        raise ModelUnavailable(f"voice encoder checkpoint refers to {module}.{name}; refusing to load it")


class _TensorsOnly(pickle.Unpickler):
    """Admits only what a torch state dict needs (tensor rebuilds, storages, OrderedDict)."""

    def __init__(self, fh: BinaryIO) -> None:
        super().__init__(fh)
        self.storages: dict[str, _Storage] = {}

    def find_class(self, module: str, name: str) -> Any:
        if module == "torch._utils" and name in ("_rebuild_tensor", "_rebuild_tensor_v2"):
            return _rebuild_tensor
        if module == "torch" and name in _STORAGE_TYPES:
            return name
        if module == "collections" and name == "OrderedDict":
            return collections.OrderedDict
        raise ModelUnavailable(f"voice encoder checkpoint refers to {module}.{name}; refusing to load it")

    def persistent_load(self, pid: Any) -> _Storage:
        kind, type_name, key, _location, size = pid[:5]
        if kind != "storage" or type_name not in _STORAGE_TYPES:
            raise ModelUnavailable(f"voice encoder checkpoint has an unknown storage {kind}/{type_name}")
        return self.storages.setdefault(str(key), _Storage(_STORAGE_TYPES[type_name], int(size)))


def read_state_dict(path: Path) -> dict[str, np.ndarray]:
    """Tensors of a legacy-format torch checkpoint (`{"model_state": ...}` or a bare state dict), as numpy."""
    with path.open("rb") as fh:
        try:
            for _ in range(3):  # magic number, protocol version, system info
                _DataOnly(fh).load()
            reader = _TensorsOnly(fh)
            root = reader.load()
            keys = _DataOnly(fh).load()
            for key in keys:
                storage = reader.storages[str(key)]
                (count,) = struct.unpack("<q", fh.read(8))
                raw = fh.read(count * np.dtype(storage.dtype).itemsize)
                storage.data = np.frombuffer(raw, dtype=storage.dtype)
        except (pickle.UnpicklingError, EOFError, KeyError, ValueError, struct.error) as exc:
            raise ModelUnavailable(f"{path} is not a readable voice encoder checkpoint ({exc})") from exc
    state = root.get("model_state", root) if isinstance(root, dict) else None
    if not isinstance(state, dict):
        raise ModelUnavailable(f"{path} holds no state dict")
    return {name: t.array() for name, t in state.items() if isinstance(t, _TensorRef)}


# --------------------------------------------------------------------------- features and network


def _slaney_mel(hz: np.ndarray) -> np.ndarray:
    """Slaney's mel scale (linear below 1 kHz, logarithmic above), as librosa's default."""
    linear = hz / (200.0 / 3)
    log_part = 15.0 + np.log(np.maximum(hz, 1e-10) / 1000.0) / (np.log(6.4) / 27.0)
    return np.where(hz >= 1000.0, log_part, linear)


def _slaney_hz(mel: np.ndarray) -> np.ndarray:
    return np.where(mel >= 15.0, 1000.0 * np.exp((np.log(6.4) / 27.0) * (mel - 15.0)), mel * (200.0 / 3))


def mel_filterbank() -> np.ndarray:
    """Area-normalised triangular filters, the ones the encoder was trained with (librosa.filters.mel)."""
    fft_hz = np.fft.rfftfreq(N_FFT, 1.0 / SAMPLE_RATE)
    edges = _slaney_hz(np.linspace(_slaney_mel(np.array(0.0)), _slaney_mel(np.array(SAMPLE_RATE / 2)), N_MELS + 2))
    widths = np.diff(edges)
    ramps = edges[:, None] - fft_hz[None, :]
    rising = -ramps[:-2] / widths[:-1, None]
    falling = ramps[2:] / widths[1:, None]
    bank = np.maximum(0.0, np.minimum(rising, falling))
    return np.asarray(bank * (2.0 / (edges[2:] - edges[:-2]))[:, None], dtype=np.float32)


_FILTERBANK = mel_filterbank()
_HANN = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)


def mel_power(wav: np.ndarray) -> np.ndarray:
    """(frames, 40) mel power spectrogram, centred frames, as the encoder saw in training (not log-scaled)."""
    padded = np.pad(wav.astype(np.float32), (N_FFT // 2, N_FFT // 2))
    n = 1 + (len(padded) - N_FFT) // HOP
    frames = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP][:n]
    power: np.ndarray = np.abs(np.fft.rfft(frames * _HANN, axis=1)) ** 2
    return np.asarray(power @ _FILTERBANK.T, dtype=np.float32)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # no overflow for large |x|


def partial_starts(n_samples: int) -> list[int]:
    """First frame of each 1.6 s slice covering an utterance (Resemblyzer's slicing)."""
    n_frames = int(np.ceil((n_samples + 1) / HOP))
    step = int(round(SAMPLE_RATE / PARTIAL_RATE / HOP))
    starts = list(range(0, max(1, n_frames - PARTIAL_FRAMES + step + 1), step))
    if len(starts) > 1 and (n_samples - starts[-1] * HOP) / (PARTIAL_FRAMES * HOP) < MIN_COVERAGE:
        starts.pop()
    return starts


class VoiceEncoder:
    """Maps utterances (16 kHz float audio) to unit d-vectors; same speaker, high cosine similarity."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        try:
            self._layers = [
                (
                    np.ascontiguousarray(weights[f"lstm.weight_ih_l{k}"].T),
                    np.ascontiguousarray(weights[f"lstm.weight_hh_l{k}"].T),
                    weights[f"lstm.bias_ih_l{k}"] + weights[f"lstm.bias_hh_l{k}"],
                )
                for k in range(LAYERS)
            ]
            self._proj_w = np.ascontiguousarray(weights["linear.weight"].T)
            self._proj_b = weights["linear.bias"]
        except KeyError as exc:
            raise ModelUnavailable(f"voice encoder checkpoint lacks {exc}; it is not a GE2E LSTM encoder") from exc
        if self._layers[0][0].shape != (N_MELS, 4 * HIDDEN) or self._proj_w.shape[0] != HIDDEN:
            raise ModelUnavailable("voice encoder checkpoint has unexpected shapes; it is not a GE2E LSTM encoder")

    def _forward(self, mels: np.ndarray) -> np.ndarray:
        """(batch, 160, 40) mel slices -> (batch, 256) unit vectors; PyTorch LSTM gate order i, f, g, o."""
        x = mels
        h = np.zeros((mels.shape[0], HIDDEN), dtype=np.float32)  # the last layer's final state is the output
        for w_in, w_hidden, bias in self._layers:
            gates_in = x @ w_in + bias
            h = np.zeros((mels.shape[0], HIDDEN), dtype=np.float32)
            c = np.zeros_like(h)
            outputs = np.empty((mels.shape[0], mels.shape[1], HIDDEN), dtype=np.float32)
            for t in range(mels.shape[1]):
                g = gates_in[:, t] + h @ w_hidden
                i, f = _sigmoid(g[:, :HIDDEN]), _sigmoid(g[:, HIDDEN : 2 * HIDDEN])
                cell, o = np.tanh(g[:, 2 * HIDDEN : 3 * HIDDEN]), _sigmoid(g[:, 3 * HIDDEN :])
                c = f * c + i * cell
                h = o * np.tanh(c)
                outputs[:, t] = h
            x = outputs
        embedded: np.ndarray = np.maximum(h @ self._proj_w + self._proj_b, 0.0)
        return np.asarray(embedded / (np.linalg.norm(embedded, axis=1, keepdims=True) + 1e-9))

    def embed_many(self, utterances: Sequence[np.ndarray]) -> list[np.ndarray]:
        """One unit vector per utterance; all 1.6 s slices of all utterances go through the LSTM together."""
        slices: list[np.ndarray] = []
        owner: list[int] = []
        for index, wav in enumerate(utterances):
            wav = np.asarray(wav, dtype=np.float32)
            rms = float(np.sqrt(np.mean(np.square(wav)))) if wav.size else 0.0
            if rms > 0:
                wav = wav * max(1.0, 10 ** (TARGET_DBFS / 20) / rms)
            starts = partial_starts(len(wav))
            need = (starts[-1] + PARTIAL_FRAMES) * HOP
            if need >= len(wav):
                wav = np.pad(wav, (0, need - len(wav)))
            mel = mel_power(wav)
            for s in starts:
                slices.append(mel[s : s + PARTIAL_FRAMES])
                owner.append(index)
        if not slices:
            return []
        vectors = np.concatenate(
            [self._forward(np.stack(slices[i : i + BATCH_SLICES])) for i in range(0, len(slices), BATCH_SLICES)]
        )
        out = []
        owners = np.asarray(owner)
        for index in range(len(utterances)):
            mean = vectors[owners == index].mean(axis=0)
            out.append(mean / (np.linalg.norm(mean) + 1e-9))
        return out


@functools.lru_cache(maxsize=2)
def _load(path: Path, mtime_ns: int, *, packaged: bool) -> VoiceEncoder:
    del mtime_ns  # part of the cache key only: a replaced file is read again
    if packaged and hashlib.sha256(path.read_bytes()).hexdigest() != PACKAGED_SHA256:
        raise ModelUnavailable(f"{path} fails its checksum; reinstall with: {INSTALL_HINT}")
    return VoiceEncoder(read_state_dict(path))


def load_encoder(configured: str | None = None) -> VoiceEncoder:
    """The voice encoder, read once per process; ModelUnavailable says how to install it.

    `configured` (the `voice_encoder` setting) is a checkpoint of the same architecture; without it the
    packaged one is used, after checking its digest.
    """
    path = find_weights(configured)
    return _load(path, path.stat().st_mtime_ns, packaged=not configured)
