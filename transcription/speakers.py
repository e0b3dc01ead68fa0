"""Who spoke when: stereo channel energy, or offline voice clustering for mono.

Stereo works per word, so a recognised segment that spans a change of speaker
is split at the word where the other person starts; mono decides per sentence.
Evidence is computed chunk by chunk while the audio is in memory (a few numbers
per word, and for mono recordings a voice vector per sentence), and only the
clustering of mono recordings waits for the end of the file.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from copilot.errors import InputError
from copilot.schema import Segment, Word

SAMPLE_RATE = 16000
N_FFT = 512
HOP = 160
N_MELS = 26
N_MFCC = 13
MIN_RUN_S = 0.6
"""A speaker run shorter than this inside a segment is treated as noise, not a turn."""
PITCH_WEIGHT = 4.0
"""Pitch separates two voices far better than timbre on short words, so it counts most."""
OCTAVE_GUARD = 0.85
SEPARATION_MIN = 2.0
"""Below this between/within cluster distance ratio, a mono recording is taken as one voice."""
VOICEPRINT_SEPARATION = 2.5
"""Below this ratio of cosine distances (between the two centres / of sentences to their centre), d-vectors are
one voice. Measured on the espeak dialogue with true turns: one voice 1.1-1.6, two voices 3.8-6.1, and 1.7 for
en-us / en-gb, which is one synthesiser voice with two accents."""
VOICEPRINT_MAX_WEIGHT_S = 4.0
"""A sentence counts for its seconds of speech up to this, so a few long ones do not outvote all the others."""


@dataclass
class Piece:
    """A recognised segment before speakers are known: text, words and per-word speaker evidence."""

    start: float
    end: float
    text: str
    language: str | None
    words: list[Word] = field(default_factory=list)
    evidence: list[list[float]] = field(default_factory=list)
    """One vector per word (or a single one when there are no words)."""
    voice: list[float] = field(default_factory=list)
    """The d-vector of the whole piece (mono recordings with the voice encoder installed), else empty."""

    def to_json(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "language": self.language,
            "words": [w.model_dump() for w in self.words],
            "evidence": self.evidence,
            "voice": [round(x, 5) for x in self.voice],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Piece:
        return cls(
            start=float(data["start"]),
            end=float(data["end"]),
            text=str(data["text"]),
            language=data.get("language"),
            words=[Word.model_validate(w) for w in data.get("words") or []],
            evidence=[[float(x) for x in v] for v in data.get("evidence") or []],
            voice=[float(x) for x in data.get("voice") or []],
        )


# --------------------------------------------------------------------------- evidence


def _window(audio: np.ndarray, offset_s: float, start: float, end: float) -> np.ndarray:
    lo = max(int((start - offset_s) * SAMPLE_RATE), 0)
    hi = max(int((end - offset_s) * SAMPLE_RATE), lo + 1)
    return audio[lo:hi]


def channel_evidence(channels: Sequence[np.ndarray], offset_s: float, start: float, end: float) -> list[float]:
    """RMS of each channel over [start, end]: with one microphone per person the louder one speaks."""
    out = []
    for ch in channels:
        w = _window(ch, offset_s, start, end)
        out.append(float(np.sqrt(np.mean(np.square(w)))) if w.size else 0.0)
    return out


def _mel_filterbank() -> np.ndarray:
    def hz_to_mel(hz: np.ndarray) -> np.ndarray:
        return 2595.0 * np.log10(1.0 + hz / 700.0)

    mels = np.linspace(hz_to_mel(np.array(60.0)), hz_to_mel(np.array(7600.0)), N_MELS + 2)
    hz = 700.0 * (10 ** (mels / 2595.0) - 1.0)
    bins = np.floor((N_FFT + 1) * hz / SAMPLE_RATE).astype(int)
    fb = np.zeros((N_MELS, N_FFT // 2 + 1))
    for i in range(1, N_MELS + 1):
        left, centre, right = bins[i - 1], bins[i], bins[i + 1]
        for k in range(left, centre):
            fb[i - 1, k] = (k - left) / max(centre - left, 1)
        for k in range(centre, right):
            fb[i - 1, k] = (right - k) / max(right - centre, 1)
    return fb


_FILTERBANK = _mel_filterbank()
_FEATURE_WEIGHTS = np.array([1.0] * (N_MFCC - 1) + [0.5] * (N_MFCC - 1) + [PITCH_WEIGHT])
_DCT = np.cos(np.pi / N_MELS * (np.arange(N_MELS)[None, :] + 0.5) * np.arange(N_MFCC)[:, None])


def voice_evidence(mix: np.ndarray, offset_s: float, start: float, end: float) -> list[float]:
    """A small voice print of one word: mean and spread of MFCCs (timbre) and the median pitch."""
    w = _window(mix, offset_s, start, end).astype(np.float64)
    if w.size < N_FFT:
        w = np.pad(w, (0, N_FFT - w.size))
    n = 1 + (w.size - N_FFT) // HOP
    frames = np.lib.stride_tricks.sliding_window_view(w, N_FFT)[::HOP][:n]
    frames = frames - frames.mean(axis=1, keepdims=True)
    power = np.abs(np.fft.rfft(frames * np.hanning(N_FFT), axis=1)) ** 2
    energy = power.sum(axis=1)
    loud = energy >= np.percentile(energy, 50) if len(energy) > 2 else np.ones(len(energy), dtype=bool)
    mfcc = np.log(power[loud] @ _FILTERBANK.T + 1e-10) @ _DCT.T
    ceps = mfcc[:, 1:]  # c0 is loudness, which says more about the microphone than the voice
    return [*ceps.mean(axis=0).tolist(), *ceps.std(axis=0).tolist(), _pitch(frames[loud])]


def _pitch(frames: np.ndarray) -> float:
    """Median fundamental frequency (log Hz) of the voiced frames, from normalised autocorrelation."""
    acf = np.fft.irfft(np.abs(np.fft.rfft(frames, 2 * N_FFT, axis=1)) ** 2, axis=1)[:, :N_FFT]
    acf = acf / (acf[:, :1] + 1e-12)
    lo, hi = SAMPLE_RATE // 400, SAMPLE_RATE // 70
    band = acf[:, lo:hi]
    peak = band.max(axis=1, keepdims=True)
    # the shortest lag almost as strong as the best one: a multiple of the period would halve the pitch
    lags = lo + np.argmax(band >= OCTAVE_GUARD * peak, axis=1)
    strength = acf[np.arange(len(acf)), lags]
    voiced = lags[strength > 0.5]
    return float(np.log(SAMPLE_RATE / np.median(voiced))) if voiced.size else float("nan")


# --------------------------------------------------------------------------- labelling


def cluster_voices(vectors: np.ndarray, *, seed: int = 0) -> np.ndarray:
    """Two-way k-means on standardised voice prints; all zeros when the voices do not separate."""
    if len(vectors) < 4:
        return np.zeros(len(vectors), dtype=int)
    vectors = np.where(np.isnan(vectors), np.nanmean(vectors, axis=0), vectors)  # unvoiced words: neutral pitch
    x = (vectors - vectors.mean(axis=0)) / (vectors.std(axis=0) + 1e-9) * _FEATURE_WEIGHTS[: vectors.shape[1]]
    rng = np.random.default_rng(seed)
    best: tuple[float, np.ndarray] | None = None
    for _ in range(8):
        centres = x[rng.choice(len(x), size=2, replace=False)]
        labels = np.zeros(len(x), dtype=int)
        for step in range(50):
            dist = ((x[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
            new = dist.argmin(axis=1)
            if step > 0 and np.array_equal(new, labels):
                break
            labels = new
            centres = np.stack([x[labels == k].mean(axis=0) if np.any(labels == k) else centres[k] for k in (0, 1)])
        inertia = float(((x - centres[labels]) ** 2).sum())
        if best is None or inertia < best[0]:
            best = (inertia, labels.copy())
    assert best is not None
    labels = best[1]
    if min(np.sum(labels == 0), np.sum(labels == 1)) < 2:
        return np.zeros(len(x), dtype=int)
    c0, c1 = x[labels == 0].mean(axis=0), x[labels == 1].mean(axis=0)
    spread = np.sqrt(((x - np.where(labels[:, None] == 0, c0, c1)) ** 2).sum(axis=1).mean())
    if np.linalg.norm(c0 - c1) / (spread + 1e-9) < SEPARATION_MIN:
        return np.zeros(len(x), dtype=int)
    return labels


def cluster_voiceprints(vectors: np.ndarray, weights: np.ndarray, *, seed: int = 0) -> np.ndarray:
    """Two-way spherical k-means on unit d-vectors; all zeros when the two centres are one voice.

    `weights` (seconds of speech, capped) let long sentences, whose vectors are steadier, place the centres.
    """
    if len(vectors) < 4:
        return np.zeros(len(vectors), dtype=int)
    x = vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9)
    rng = np.random.default_rng(seed)
    mean = (weights[:, None] * x).sum(axis=0)
    far = int(np.argmin(x @ mean))
    starts = [(far, int(np.argmin(x @ x[far])))] + [
        tuple(int(i) for i in rng.choice(len(x), size=2, replace=False)) for _ in range(8)
    ]
    best: tuple[float, np.ndarray, np.ndarray] | None = None
    for a, b in starts:
        centres = x[[a, b]]
        labels = np.full(len(x), -1)
        for _ in range(50):
            new = np.argmax(x @ centres.T, axis=1)
            if np.array_equal(new, labels):
                break
            labels = new
            sums = [(weights[labels == k, None] * x[labels == k]).sum(axis=0) for k in (0, 1)]
            centres = np.stack([v / n if (n := np.linalg.norm(v)) > 0 else centres[k] for k, v in enumerate(sums)])
        fit = float((weights * (x * centres[labels]).sum(axis=1)).sum())
        if best is None or fit > best[0]:
            best = (fit, labels.copy(), centres)
    assert best is not None
    _, labels, centres = best
    if min(np.sum(labels == 0), np.sum(labels == 1)) < 2:
        return np.zeros(len(x), dtype=int)
    within = float(np.average((x * centres[labels]).sum(axis=1), weights=weights))
    between = float(centres[0] @ centres[1])
    if (1.0 - between) / max(1.0 - within, 1e-6) < VOICEPRINT_SEPARATION:
        return np.zeros(len(x), dtype=int)
    return labels


def _smooth(labels: list[int], width: int = 5) -> list[int]:
    """Majority vote over neighbouring words, so one odd word does not flip the speaker."""
    if len(labels) < 3:
        return labels
    half = width // 2
    out = []
    for i in range(len(labels)):
        window = labels[max(0, i - half) : i + half + 1]
        out.append(max(set(window), key=lambda v: (window.count(v), v == labels[i])))
    return out


def word_labels_stereo(pieces: Sequence[Piece]) -> list[list[int]]:
    """Per word, the index of the loudest channel."""
    return [[int(np.argmax(v)) for v in p.evidence] for p in pieces]


def word_labels_mono(pieces: Sequence[Piece]) -> list[list[int]]:
    """Per word, a voice cluster id (0 for the voice heard first), decided per sentence.

    Sentences carry a d-vector when the voice encoder is installed (transcription/voiceprint.py); it tells
    two men apart, which MFCC and pitch could not. Otherwise a sentence's print is the mean of its words'
    MFCC/pitch prints: single words were too noisy to separate two voices of the same gender (DER 48.6% ->
    9.0% on two female espeak voices). Sentences rarely change speaker now that window-long segments are
    split at sentence ends.
    """
    if not any(p.evidence for p in pieces):
        return [[] for _ in pieces]
    voiced = [p for p in pieces if p.evidence]
    if all(p.voice for p in voiced):
        vectors = np.asarray([p.voice for p in voiced], dtype=np.float64)
        seconds = np.asarray([min(max(p.end - p.start, 0.5), VOICEPRINT_MAX_WEIGHT_S) for p in voiced])
        return _per_word(pieces, cluster_voiceprints(vectors, seconds))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a sentence with no voiced frame has no pitch: NaN
        prints = [np.nanmean(np.asarray(p.evidence, dtype=np.float64), axis=0) for p in pieces if p.evidence]
    return _per_word(pieces, cluster_voices(np.asarray(prints, dtype=np.float64)))


def _per_word(pieces: Sequence[Piece], clusters: np.ndarray) -> list[list[int]]:
    """Spread one cluster id per sentence over its words, numbering the voice heard first 0."""
    if clusters.size and clusters[0] != 0:
        clusters = 1 - clusters
    labels = iter(clusters.tolist())
    return [[next(labels)] * len(p.evidence) if p.evidence else [] for p in pieces]


def assign_speakers(pieces: Sequence[Piece], labels: Sequence[Sequence[int]], names: Sequence[str]) -> list[Segment]:
    """Turn pieces into segments, splitting a piece where the speaker changes between words."""
    out: list[Segment] = []
    for piece, piece_labels in zip(pieces, labels, strict=True):
        runs = _runs(piece, _smooth(list(piece_labels)))
        for label, words, start, end in runs:
            text = "".join(w.word for w in words).strip() if len(runs) > 1 else piece.text
            name = names[label] if label < len(names) else f"speaker_{label + 1}"
            out.append(
                Segment(
                    id=0, start=start, end=end, speaker=name, text=text, language=piece.language, words=words or None
                )
            )
    return make_monotonic(out)


def _runs(piece: Piece, labels: list[int]) -> list[tuple[int, list[Word], float, float]]:
    if not piece.words or len(labels) != len(piece.words):
        label = labels[0] if labels else 0
        return [(label, list(piece.words), piece.start, piece.end)]
    runs: list[list[int]] = []  # [label, first word, last word]
    for i, label in enumerate(labels):
        if runs and runs[-1][0] == label:
            runs[-1][2] = i
        else:
            runs.append([label, i, i])
    merged: list[list[int]] = []
    for run in runs:
        too_short = piece.words[run[2]].end - piece.words[run[1]].start < MIN_RUN_S
        if merged and too_short:
            merged[-1][2] = run[2]
        elif merged and merged[-1][0] == run[0]:
            merged[-1][2] = run[2]
        else:
            merged.append(run)
    if len(merged) > 1 and piece.words[merged[0][2]].end - piece.words[merged[0][1]].start < MIN_RUN_S:
        merged[1][1] = merged[0][1]
        merged.pop(0)
    out = []
    for j, (label, first, last) in enumerate(merged):
        words = piece.words[first : last + 1]
        start = piece.start if j == 0 else words[0].start
        end = piece.end if j == len(merged) - 1 else words[-1].end
        out.append((label, words, start, max(end, start)))
    return out


def make_monotonic(segments: Sequence[Segment]) -> list[Segment]:
    """Renumber and clamp so segments are in time order and never overlap (words stay inside)."""
    out: list[Segment] = []
    last_end = 0.0
    for seg in segments:
        start = round(max(seg.start, last_end), 3)
        end = round(max(seg.end, start), 3)
        words = None
        if seg.words:
            words = [
                w.model_copy(
                    update={
                        "start": round(min(max(w.start, start), end), 3),
                        "end": round(min(max(w.end, w.start, start), end), 3),
                    }
                )
                for w in seg.words
            ]
        out.append(seg.model_copy(update={"id": len(out), "start": start, "end": end, "words": words}))
        last_end = end
    return out


def relabel(
    segments: Sequence[Segment],
    *,
    mapping: dict[str, str] | None = None,
    by_segment: dict[int, str] | None = None,
    swap: tuple[str, str] | None = None,
) -> list[Segment]:
    """Correct speaker labels by hand: rename labels, swap two, or set single segments (turn-level fixes)."""
    mapping = dict(mapping or {})
    if swap is not None:
        mapping.update({swap[0]: swap[1], swap[1]: swap[0]})
    by_segment = by_segment or {}
    known = {s.id for s in segments}
    unknown = sorted(set(by_segment) - known)
    if unknown:
        raise InputError(f"no segment with id {unknown[0]} in the transcript")
    return [s.model_copy(update={"speaker": by_segment.get(s.id, mapping.get(s.speaker, s.speaker))}) for s in segments]
