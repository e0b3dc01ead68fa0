"""Speaker attribution. Stereo: one microphone per person, so the louder channel speaks."""

from __future__ import annotations

import numpy as np

from copilot.schema import Segment


def attribute_by_channel(
    segments: list[Segment], channels: list[np.ndarray], sample_rate: int, labels: tuple[str, ...]
) -> list[Segment]:
    """Label each segment with the channel carrying the most energy during it."""
    out = []
    for seg in segments:
        lo, hi = int(seg.start * sample_rate), max(int(seg.end * sample_rate), int(seg.start * sample_rate) + 1)
        energies = [float(np.sqrt(np.mean(np.square(ch[lo:hi])))) if ch[lo:hi].size else 0.0 for ch in channels]
        best = int(np.argmax(energies))
        label = labels[best] if best < len(labels) else f"speaker_{best + 1}"
        out.append(seg.model_copy(update={"speaker": label}))
    return out
