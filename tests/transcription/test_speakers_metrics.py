"""Speaker splitting, relabelling, clustering and the accuracy metrics, on synthetic data (fast)."""

from __future__ import annotations

import numpy as np
import pytest

from copilot.errors import InputError
from copilot.schema import Segment, Word
from transcription.metrics import cer, diarization_error_rate, edit_distance, wer
from transcription.speakers import (
    Piece,
    assign_speakers,
    cluster_voices,
    make_monotonic,
    relabel,
    voice_evidence,
    word_labels_stereo,
)


def _piece(words: list[tuple[str, float, float]], loud: list[int]) -> Piece:
    ws = [Word(start=s, end=e, word=f" {w}", probability=0.9) for w, s, e in words]
    evidence = [[1.0, 0.05] if side == 0 else [0.05, 1.0] for side in loud]
    return Piece(
        start=words[0][1],
        end=words[-1][2],
        text=" ".join(w for w, _, _ in words),
        language="en",
        words=ws,
        evidence=evidence,
    )


def test_a_segment_spanning_both_speakers_is_split_at_the_word_where_the_other_starts() -> None:
    words = [
        ("can", 0.0, 0.3),
        ("you", 0.3, 0.6),
        ("do", 0.6, 0.9),
        ("it", 0.9, 1.2),
        ("yes", 1.4, 1.8),
        ("I", 1.8, 2.0),
        ("will", 2.0, 2.4),
        ("today", 2.4, 3.0),
    ]
    piece = _piece(words, [0, 0, 0, 0, 1, 1, 1, 1])
    segments = assign_speakers([piece], word_labels_stereo([piece]), ("manager", "employee"))
    assert [(s.speaker, s.text) for s in segments] == [("manager", "can you do it"), ("employee", "yes I will today")]
    assert segments[0].end <= segments[1].start == 1.4
    assert [s.id for s in segments] == [0, 1]


def test_one_stray_word_does_not_flip_the_speaker() -> None:
    words = [(w, i * 0.3, i * 0.3 + 0.3) for i, w in enumerate("we shipped the new platform on time".split())]
    piece = _piece(words, [0, 0, 0, 1, 0, 0, 0])
    segments = assign_speakers([piece], word_labels_stereo([piece]), ("manager", "employee"))
    assert [s.speaker for s in segments] == ["manager"]
    assert segments[0].text == piece.text


def test_segments_are_monotonic_and_never_overlap() -> None:
    raw = [
        Segment(id=9, start=0.0, end=2.0, speaker="a", text="x"),
        Segment(
            id=3, start=1.5, end=1.8, speaker="b", text="y", words=[Word(start=1.4, end=1.9, word="y", probability=1.0)]
        ),
        Segment(id=4, start=2.5, end=3.0, speaker="a", text="z"),
    ]
    out = make_monotonic(raw)
    assert [s.id for s in out] == [0, 1, 2]
    for before, after in zip(out, out[1:], strict=False):
        assert before.end <= after.start
    assert out[1].start == out[1].end == 2.0
    assert out[1].words is not None and out[1].words[0].start >= out[1].start


def test_relabel_swaps_renames_and_fixes_single_turns() -> None:
    segs = [
        Segment(id=i, start=i, end=i + 1, speaker=s, text="t")
        for i, s in enumerate(["manager", "employee", "speaker_3"])
    ]
    assert [s.speaker for s in relabel(segs, swap=("manager", "employee"))] == ["employee", "manager", "speaker_3"]
    assert [s.speaker for s in relabel(segs, mapping={"speaker_3": "Priya"}, by_segment={0: "employee"})] == [
        "employee",
        "employee",
        "Priya",
    ]
    with pytest.raises(InputError, match="no segment with id 7"):
        relabel(segs, by_segment={7: "manager"})


def _tone(freq: float, seconds: float = 0.4, rate: int = 16000) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    harmonics = sum(np.sin(2 * np.pi * freq * k * t) / k for k in range(1, 8))
    return (0.2 * harmonics).astype(np.float32)


def test_voice_prints_separate_a_low_and_a_high_voice() -> None:
    rng = np.random.default_rng(1)
    low = [voice_evidence(_tone(100 * rng.uniform(0.95, 1.05)), 0.0, 0.0, 0.4) for _ in range(10)]
    high = [voice_evidence(_tone(210 * rng.uniform(0.95, 1.05)), 0.0, 0.0, 0.4) for _ in range(10)]
    assert np.exp(low[0][-1]) == pytest.approx(100, rel=0.1)
    labels = cluster_voices(np.array(low + high))
    assert len(set(labels[:10])) == 1 and len(set(labels[10:])) == 1 and labels[0] != labels[10]
    assert set(cluster_voices(np.array(low[:3])).tolist()) == {0}  # too few words to tell: one speaker


def test_wer_normalises_case_punctuation_and_numbers() -> None:
    assert wer("We are at four seconds, not two.", "we are at 4 seconds not 2") == 0.0
    assert wer("all twelve jobs", "all 12 jobs run") == pytest.approx(1 / 3)
    assert edit_distance(list("kitten"), list("sitting")) == 3


def test_cer_compares_chinese_in_one_script() -> None:
    assert cer("在短短兩週內", "在短短两周内") == 0.0
    assert cer("广州市房地产", "广州市房地") == pytest.approx(1 / 6)


def test_der_counts_confusion_miss_and_false_alarm_with_best_mapping() -> None:
    ref = [(0.0, 10.0, "a"), (10.0, 20.0, "b")]
    assert diarization_error_rate(ref, [(0.0, 10.0, "x"), (10.0, 20.0, "y")]) == 0.0
    assert diarization_error_rate(ref, [(0.0, 20.0, "x")], collar=0.0) == pytest.approx(0.5)
    assert diarization_error_rate(ref, [(0.0, 15.0, "x"), (15.0, 20.0, "y")], collar=0.0) == pytest.approx(0.25)


def test_a_window_long_segment_is_split_at_sentence_ends_keeping_words_and_evidence() -> None:
    from transcription.whisper import split_sentences

    words = [
        ("We", 0.0, 0.2), ("shipped", 0.2, 0.6), ("it.", 0.6, 1.0),
        ("OK.", 1.2, 1.5),
        ("I", 1.6, 1.7), ("will", 1.7, 1.9), ("write", 1.9, 2.2), ("docs.", 2.2, 2.6),
        ("Thanks", 2.8, 3.1), ("again", 3.1, 3.4),
    ]  # fmt: skip
    piece = _piece(words, [0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
    parts = split_sentences(piece)
    # "OK." is too short to stand alone and joins the next sentence; a short unfinished tail joins the last one
    assert [p.text for p in parts] == ["We shipped it.", "OK. I will write docs. Thanks again"]
    assert parts[0].start == 0.0 and parts[0].end == 1.0 and parts[1].start == 1.2 and parts[-1].end == 3.4
    assert sum(len(p.words) for p in parts) == len(words)
    assert [len(p.evidence) for p in parts] == [len(p.words) for p in parts]
    assert parts[1].evidence[1] == [0.05, 1.0]


def test_a_single_sentence_or_wordless_segment_is_left_alone() -> None:
    from transcription.whisper import split_sentences

    one = _piece([("Ask", 0.0, 0.3), ("not", 0.3, 0.5), ("why.", 0.5, 0.9)], [0, 0, 0])
    assert split_sentences(one) == [one]
    bare = Piece(start=0.0, end=1.0, text="Hello. There.", language="en")
    assert split_sentences(bare) == [bare]
