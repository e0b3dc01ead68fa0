"""Accuracy measures for speech output: WER, CER and diarization error rate.

Used by the tests and by benchmarks/asr.py, so both score the same way.
Normalisation follows common ASR practice: case, punctuation and number
spelling ("12" vs "twelve") do not count as errors; Chinese is compared
character by character in one script.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence

import numpy as np

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split()
)
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n: int) -> str:
    """Spell a non-negative integer below one million in English words."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " " + number_words(rest))
    rest = n % 1000
    return number_words(n // 1000) + " thousand" + ("" if rest == 0 else " " + number_words(rest))


def normalise_english(text: str) -> list[str]:
    """Lower-case words without punctuation, digits spelled out."""
    text = text.lower().replace("%", " percent")
    text = re.sub(r"\d+", lambda m: " " + number_words(int(m.group())) + " " if len(m.group()) < 7 else m.group(), text)
    text = re.sub(r"[^\w\s']|_", " ", text).replace("'", "")
    return text.split()


def normalise_chinese(text: str, *, to_simplified: bool = True) -> list[str]:
    """Characters without spaces or punctuation, in Simplified script; Latin words stay whole."""
    if to_simplified:
        from opencc import OpenCC

        text = str(OpenCC("t2s").convert(text))
    text = text.lower()
    tokens = re.findall(r"[a-z0-9']+|[^\sa-z0-9']", text)
    return [t for t in tokens if not unicodedata.category(t[0]).startswith("P")]


def edit_distance(ref: Sequence[str], hyp: Sequence[str]) -> int:
    """Levenshtein distance over tokens, one numpy row at a time (an hour of speech is ~10k words)."""
    vocab: dict[str, int] = {}
    h = np.array([vocab.setdefault(t, len(vocab)) for t in hyp], dtype=np.int64)
    idx = np.arange(len(hyp) + 1, dtype=np.int64)
    prev = idx.copy()
    for i, token in enumerate(ref, 1):
        r = vocab.get(token, -1)
        cur = np.empty_like(prev)
        cur[0] = i
        cur[1:] = np.minimum(prev[1:] + 1, prev[:-1] + (h != r))
        # insertions: cur[j] = min over k <= j of cur[k] + (j - k)
        prev = np.minimum.accumulate(cur - idx) + idx
    return int(prev[-1])


def wer(reference: str, hypothesis: str) -> float:
    ref = normalise_english(reference)
    return edit_distance(ref, normalise_english(hypothesis)) / max(len(ref), 1)


def cer(reference: str, hypothesis: str) -> float:
    ref = normalise_chinese(reference)
    return edit_distance(ref, normalise_chinese(hypothesis)) / max(len(ref), 1)


Turn = tuple[float, float, str]
"""(start seconds, end seconds, speaker label)"""


def diarization_error_rate(
    reference: Sequence[Turn], hypothesis: Sequence[Turn], *, collar: float = 0.25, step: float = 0.01
) -> float:
    """Frame-level DER (missed + false alarm + confusion over reference speech), best label mapping.

    A `collar` around each reference boundary is not scored, as in the NIST
    md-eval convention, because turn edges are not well defined to 10 ms.
    """
    end = max([t[1] for t in reference] + [t[1] for t in hypothesis] + [0.0])
    n = int(np.ceil(end / step)) + 1
    ref_names = sorted({t[2] for t in reference})
    hyp_names = sorted({t[2] for t in hypothesis})
    ref = np.full(n, -1)
    hyp = np.full(n, -1)
    scored = np.ones(n, dtype=bool)
    for s, e, who in reference:
        ref[int(s / step) : int(e / step)] = ref_names.index(who)
        for edge in (s, e):
            scored[max(int((edge - collar) / step), 0) : int((edge + collar) / step)] = False
    for s, e, who in hypothesis:
        hyp[int(s / step) : int(e / step)] = hyp_names.index(who)
    ref, hyp = ref[scored], hyp[scored]
    speech = int(np.sum(ref >= 0))
    if speech == 0:
        return 0.0
    best = None
    for perm in itertools.permutations(range(max(len(ref_names), len(hyp_names)))):
        mapped = np.where(hyp >= 0, np.array(perm)[np.clip(hyp, 0, None)], -1)
        errors = int(np.sum((ref >= 0) & (mapped != ref)) + np.sum((ref < 0) & (mapped >= 0)))
        best = errors if best is None else min(best, errors)
    assert best is not None
    return best / speech
