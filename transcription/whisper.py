"""faster-whisper adapter implementing the `Transcriber` port.

Audio is decoded and recognised chunk by chunk (see `audio.iter_chunks`), so a
one-hour meeting runs in bounded memory and a durable job (copilot/jobs.py) can
checkpoint after every chunk and resume from there.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from copilot.errors import InputError, ModelUnavailable
from copilot.ports import ProgressCallback
from copilot.schema import Transcript, Word
from transcription.audio import SAMPLE_RATE, AudioChunk, AudioInfo, check_complete, is_dual_mono, iter_chunks, probe
from transcription.models import ResolvedModel, resolve_model
from transcription.speakers import (
    Piece,
    assign_speakers,
    channel_evidence,
    voice_evidence,
    word_labels_mono,
    word_labels_stereo,
)
from transcription.voiceprint import VoiceEncoder, load_encoder

log = logging.getLogger(__name__)
LANGUAGES = ("auto", "en", "zh", "yue")
CHINESE = ("zh", "yue")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
SILENT_RMS = 1e-4
"""Below this a chunk is silence, which cannot tell two microphones from one."""
MIN_SWITCH_WORDS = 4
"""Fewer English words than this inside Chinese speech are names or terms, not a switch of language."""
SILENCE_WARNING = "no speech detected (silence?): the transcript is empty"
BATCHED_BEAM = 2
"""Batched multilingual decoding: beam 2 cut base's dialogue WER from 7.4% (beam 1) to 6.7% at the same speed."""
DEFAULT_BATCH_SIZE = 4
"""30 s windows decoded together. Peak memory grows with the batch. On the AVX-512 Xeon (before the encoder ran
window by window) tiny.en ran 40.7x at batch 8 but peaked at 1086 MB over 60 minutes, 34.8x in 867 MB at batch 4.
On the AVX2 EPYC batch 8 is only 4% faster than 4 (23.3x vs 22.4x on 10 minutes) for 902 vs 658 MB, so 4 stays
(benchmarks/results/asr-memory.md)."""
CHUNK_S = {"tiny.en": 240.0}
"""Audio decoded, voice-detected and checkpointed at a time. Longer chunks fill batches better but hold more
audio: base peaked at 950-1061 MB with 4-minute chunks over 60 minutes, 881 MB with 2-minute ones (18.2x
instead of 19.6x), so the bigger model gets the shorter chunks."""
DEFAULT_CHUNK_S = 120.0
ENGLISH_ONLY_BEAM = 1
"""tiny.en is the fast option: beam 1 decoded 13% faster than beam 2 (batch 16: 40.6x vs 36.0x), +0.5 points WER."""
SEQUENTIAL_BEAM = 1
"""Sequential (auto-language) decoding: beam 2 lost a Mandarin sentence between English ones in the code-switch test."""
GAP_SILENCE_MS = 300
"""Pauses this long separate the stretches of speech checked for being skipped (sentence pauses, not words)."""
MIN_GAP_S = 1.0
"""Shorter stretches are left alone: a breath or a word fragment is not worth a decoder pass."""
MAX_GAP_COVERAGE = 0.2
"""A stretch with words over less than this share of it was skipped by the first pass."""


def default_chunk_s(model: str) -> float:
    return CHUNK_S.get(model, DEFAULT_CHUNK_S)


def encode_window_by_window(model: Any) -> None:
    """Make the batched pipeline run the encoder one 30 s window at a time; decoding stays batched.

    Encoder self-attention holds a 1500x1500 score matrix per head and window (about 54 MB for tiny.en, 72 MB for
    base), so encoding a batch of 8 at once peaks hundreds of MB higher than encoding its windows in turn, at the
    same speed: the encoder's matrix products are already large for one window. Batching pays off in the decoder,
    which generates one token at a time. Measured on 10 minutes of stereo dialogue, tiny.en batch 8, 4-minute
    chunks: 1046 MB -> 868 MB peak (benchmarks/results/asr-memory.md). The outputs are concatenated on the CPU
    (1500 x width floats per window, a few MB).
    """
    import ctranslate2

    encode_batch = model.encode

    def encode(features: np.ndarray) -> Any:
        if features.ndim != 3 or features.shape[0] <= 1:
            return encode_batch(features)
        outputs = [np.asarray(encode_batch(features[i : i + 1])) for i in range(features.shape[0])]
        return ctranslate2.StorageView.from_array(np.ascontiguousarray(np.concatenate(outputs)))

    model.encode = encode


@dataclass(frozen=True)
class TranscribeOptions:
    """What a caller may ask for beyond the file itself."""

    language: str = "auto"
    hotwords: tuple[str, ...] = ()
    """Participant names and OKR terms, given to the decoder as a prompt so they are spelled right."""
    speakers: tuple[str, ...] = ("manager", "employee")
    """Labels in channel order (stereo) or in order of first appearance (mono: first-speaker heuristic)."""
    diarize_mono: bool = True

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TranscribeOptions:
        """Rebuild options stored (as JSON) in a job's payload."""
        return cls(
            language=str(data.get("language", "auto")),
            hotwords=tuple(str(h) for h in data.get("hotwords", ())),
            speakers=tuple(str(s) for s in data.get("speakers", ("manager", "employee"))),
            diarize_mono=bool(data.get("diarize_mono", True)),
        )


@dataclass
class ChunkResult:
    """What one decoded chunk produced; `end_s` is where a resumed run starts."""

    end_s: float
    pieces: list[Piece]
    language: str
    complete: bool = True
    """False when stopped (cancelled) part-way: its pieces are partial results, not a checkpoint."""


@dataclass
class RunState:
    """Everything needed to finish (or resume) a transcription run."""

    info: AudioInfo
    options: TranscribeOptions
    pieces: list[Piece] = field(default_factory=list)
    languages: dict[str, float] = field(default_factory=dict)
    next_start_s: float = 0.0
    warnings: list[str] = field(default_factory=list)
    partial: list[Piece] = field(default_factory=list)
    split_channels: bool | None = None
    """Whether channels carry different people; None until the first chunk has been heard."""
    """Pieces of a chunk interrupted part-way; shown to users, redone on resume."""


class WhisperTranscriber:
    """Transcribes audio locally with VAD, word timestamps, languages and speakers."""

    def __init__(
        self,
        model: str,
        home: Path,
        *,
        threads: int = 2,
        beam_size: int | None = None,
        batch_size: int | None = None,
        chinese_script: str = "simplified",
        max_bytes: int | None = None,
        chunk_s: float | None = None,
        voice_encoder: str | None = None,
    ) -> None:
        self._spec = model
        self._voice_encoder_path = voice_encoder
        self._home = home
        self._threads = threads
        self._beam_size = beam_size
        self._batch_size = batch_size if batch_size is not None else DEFAULT_BATCH_SIZE
        self._chinese_script = chinese_script
        self._max_bytes = max_bytes
        self._chunk_s = chunk_s if chunk_s is not None else default_chunk_s(model)
        self._resolved: ResolvedModel | None = None
        self._model: Any = None
        self._batched: Any = None
        self._voice_encoder: VoiceEncoder | None = None
        self._voice_problem: str | None = None
        """Why the voice encoder could not be loaded; reported once per run as a transcript warning."""
        self._opencc: Any = None

    # ------------------------------------------------------------------ model

    @property
    def batch_size(self) -> int:
        """Windows decoded together; 1 means sequential decoding."""
        return self._batch_size

    @property
    def chunk_s(self) -> float:
        """Seconds of audio decoded (and checkpointed) at a time."""
        return self._chunk_s

    @property
    def model_name(self) -> str:
        return self._resolved.name if self._resolved else self._spec

    def load(self) -> Any:
        """Resolve and load the model once (it is the slow, memory-heavy part)."""
        if self._model is None:
            from faster_whisper import WhisperModel

            self._resolved = resolve_model(self._spec, self._home)
            try:
                self._model = WhisperModel(
                    str(self._resolved.path),
                    device="cpu",
                    compute_type="int8",
                    cpu_threads=self._threads,
                    local_files_only=True,
                )
            except (RuntimeError, ValueError, OSError) as exc:
                raise ModelUnavailable(f"cannot load speech model {self._resolved.path}: {exc}") from exc
            encode_window_by_window(self._model)
        return self._model

    def decode_language(self, requested: str) -> tuple[str | None, str | None]:
        """Map the user's choice to a language token the model really has, plus a warning if it differs."""
        if requested not in LANGUAGES:
            raise InputError(f"unknown language {requested!r}; choose one of {', '.join(LANGUAGES)}")
        self.load()
        assert self._resolved is not None
        if requested == "auto":
            return None, None
        if not self._resolved.multilingual and requested != "en":
            raise InputError(f"model {self._resolved.name} is English-only; use COPILOT_ASR_MODEL=base for {requested}")
        if requested == "yue" and not self.has_token("<|yue|>"):
            # Forcing a token the model lacks yields garbage ("For For For ..."): whisper base writes Cantonese
            # read speech well as zh.
            return "zh", f"model {self._resolved.name} has no Cantonese (yue) token; decoded as Mandarin (zh)"
        return requested, None

    def _multilingual(self) -> bool:
        return self._resolved is not None and self._resolved.multilingual

    def has_token(self, token: str) -> bool:
        return self.load().hf_tokenizer.token_to_id(token) is not None

    # ------------------------------------------------------------------ port

    def transcribe(
        self,
        audio: Path,
        *,
        language: str = "auto",
        progress: ProgressCallback | None = None,
        options: TranscribeOptions | None = None,
    ) -> Transcript:
        """Transcribe a whole file in one go (the durable job runner uses `start`/`run_chunks`/`finish`)."""
        state = self.start(audio, options or TranscribeOptions(language=language))
        for _ in self.run_chunks(audio, state, progress=progress):
            pass
        return self.finish(state)

    # ------------------------------------------------------------------ steps

    def start(self, audio: Path, options: TranscribeOptions, *, sha256: str | None = None) -> RunState:
        """Check the file and the options before any heavy work."""
        info = probe(audio, max_bytes=self._max_bytes, sha256=sha256)
        self.decode_language(options.language)
        return RunState(info=info, options=options)

    def run_chunks(
        self,
        audio: Path,
        state: RunState,
        *,
        progress: ProgressCallback | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> Iterator[ChunkResult]:
        """Recognise chunk after chunk from `state.next_start_s`, updating `state` as each one completes."""
        decode_lang, warning = self.decode_language(state.options.language)
        if warning and warning not in state.warnings:
            state.warnings.append(warning)
        duration = max(state.info.duration_s, 1e-6)
        decoded_end = state.next_start_s
        for chunk in iter_chunks(
            audio, channels=state.info.channels, chunk_s=self._chunk_s, start_s=state.next_start_s
        ):
            if chunk.channels is None:
                state.split_channels = False
            elif state.split_channels is None and float(np.sqrt(np.mean(np.square(chunk.mix)))) > SILENT_RMS:
                state.split_channels = not is_dual_mono(chunk.channels)  # decided on the first chunk with sound
            if state.split_channels is False:
                chunk = AudioChunk(chunk.offset_s, chunk.mix, None)
            result = self._recognise(chunk, state.options, decode_lang, progress, duration, should_stop)
            if self._voice_problem and chunk.channels is None and state.options.diarize_mono:
                if self._voice_problem not in state.warnings:
                    state.warnings.append(self._voice_problem)
            if not result.complete:
                state.partial = result.pieces
                yield result
                return
            state.pieces.extend(result.pieces)
            for piece in result.pieces:
                lang = piece.language or result.language
                state.languages[lang] = state.languages.get(lang, 0.0) + (piece.end - piece.start)
            state.next_start_s = decoded_end = result.end_s
            yield result
        if decoded_end == 0.0:
            raise InputError(f"{audio.name} contains no audio samples (zero-length audio)")
        check_complete(audio, state.info, decoded_end)
        if progress is not None:
            progress(1.0)

    def _recognise(
        self,
        chunk: AudioChunk,
        options: TranscribeOptions,
        decode_lang: str | None,
        progress: ProgressCallback | None,
        duration: float,
        should_stop: Callable[[], bool] | None,
    ) -> ChunkResult:
        model = self.load()
        batched = self._batch_size > 1 and (decode_lang is not None or not self._multilingual())
        common: dict[str, Any] = {
            "language": decode_lang,
            "beam_size": self._beam_size or self._default_beam(batched),
            "vad_filter": True,
            "word_timestamps": True,
            "condition_on_previous_text": False,
            # no sampling fallback: faster-whisper re-decodes a looping window at temperatures 0.2-1.0 with an
            # unseeded sampler, so the same audio gave different transcripts (the code-switch test failed 1 run in 4
            # on a 2-core Xeon); greedy/beam only is reproducible, and passed that test 4 in 4
            "temperature": 0.0,
            "hotwords": ", ".join(options.hotwords) or None,
            "multilingual": decode_lang is None and self._multilingual(),
        }
        if batched:
            # Batching the 30 s windows of a chunk is ~1.4x faster on 2 cores (benchmarks/results/asr-batching.md),
            # but it decodes every window in one language: auto-detected multilingual speech stays sequential, so
            # code-switching keeps both languages.
            if self._batched is None:
                from faster_whisper import BatchedInferencePipeline

                self._batched = BatchedInferencePipeline(model=model)
            segments, tinfo = self._batched.transcribe(chunk.mix, batch_size=self._batch_size, **common)
        else:
            segments, tinfo = model.transcribe(chunk.mix, **common)
        chunk_lang = str(tinfo.language)
        pieces: list[Piece] = []
        for raw in segments:
            piece = self._piece(raw, chunk, options, chunk_lang)
            if piece is not None:
                for sentence in split_sentences(piece):
                    pieces.extend(split_by_script(sentence) if options.language == "auto" else [sentence])
            if progress is not None:
                progress(min((chunk.offset_s + float(raw.end)) / duration, 0.999))
            if should_stop is not None and should_stop():
                return ChunkResult(end_s=chunk.offset_s, pieces=pieces, language=chunk_lang, complete=False)
        if decode_lang is None and self._multilingual():
            pieces = self._recover_skipped_speech(pieces, chunk, options, common)
        if chunk.channels is None and options.diarize_mono:
            self._add_voices(pieces, chunk)
        return ChunkResult(end_s=chunk.end_s, pieces=pieces, language=self._segment_language("", options, chunk_lang))

    def _recover_skipped_speech(
        self, pieces: list[Piece], chunk: AudioChunk, options: TranscribeOptions, common: dict[str, Any]
    ) -> list[Piece]:
        """Decode again, on its own, any stretch of speech that auto-language decoding left without words.

        Whisper detects the language once per 30 s window. A short Mandarin sentence between English ones
        is decoded as English, and the English decoder often drops it altogether: our code-switching test
        lost it on one CPU and kept it on others, since int8 rounding tips the decision. Decoding the gap
        alone lets the language be detected on that speech only.
        """
        from faster_whisper.vad import VadOptions, get_speech_timestamps

        regions = get_speech_timestamps(chunk.mix, VadOptions(min_silence_duration_ms=GAP_SILENCE_MS))
        spans = [(w.start, w.end) for p in pieces for w in p.words] or [(p.start, p.end) for p in pieces]
        recovered: list[Piece] = []
        for region in regions:
            start = chunk.offset_s + region["start"] / SAMPLE_RATE
            end = chunk.offset_s + region["end"] / SAMPLE_RATE
            if end - start < MIN_GAP_S:
                continue
            covered = sum(max(0.0, min(end, b) - max(start, a)) for a, b in spans)
            if covered > MAX_GAP_COVERAGE * (end - start):
                continue
            part = AudioChunk(
                start,
                chunk.mix[region["start"] : region["end"]],
                None if chunk.channels is None else tuple(c[region["start"] : region["end"]] for c in chunk.channels),
            )
            segments, info = self.load().transcribe(part.mix, **(common | {"vad_filter": False, "multilingual": False}))
            for raw in segments:
                piece = self._piece(raw, part, options, str(info.language))
                if piece is not None:
                    for sentence in split_sentences(piece):
                        recovered.extend(split_by_script(sentence))
        if not recovered:
            return pieces
        log.info("recovered %d segment(s) of speech the first pass skipped", len(recovered))
        return sorted([*pieces, *recovered], key=lambda p: p.start)

    def _add_voices(self, pieces: list[Piece], chunk: AudioChunk) -> None:
        """Give each sentence of a one-microphone chunk its d-vector (skipped, with a warning, without the encoder)."""
        if self._voice_encoder is None and self._voice_problem is None:
            try:
                self._voice_encoder = load_encoder(self._voice_encoder_path)
            except ModelUnavailable as exc:
                self._voice_problem = f"{exc}; speakers on one microphone fall back to MFCC/pitch clustering"
                log.warning("%s", self._voice_problem)
        if self._voice_encoder is None or not pieces:
            return

        def samples(t: float) -> int:
            return max(0, int((t - chunk.offset_s) * SAMPLE_RATE))

        spans = [chunk.mix[samples(p.start) : max(samples(p.start) + 1, samples(p.end))] for p in pieces]
        for piece, vector in zip(pieces, self._voice_encoder.embed_many(spans), strict=True):
            piece.voice = vector.tolist()

    def _default_beam(self, batched: bool) -> int:
        if not self._multilingual():
            return ENGLISH_ONLY_BEAM
        return BATCHED_BEAM if batched else SEQUENTIAL_BEAM

    def _piece(self, raw: Any, chunk: AudioChunk, options: TranscribeOptions, chunk_lang: str) -> Piece | None:
        text = self.script(raw.text.strip())
        if not text:
            return None
        off = chunk.offset_s
        words = [
            Word(
                start=round(off + max(float(w.start), 0.0), 3),
                end=round(off + max(float(w.end), float(w.start)), 3),
                word=self.script(w.word),
                probability=min(max(float(w.probability), 0.0), 1.0),
            )
            for w in (raw.words or [])
        ]
        start, end = off + float(raw.start), off + max(float(raw.end), float(raw.start))
        spans = [(w.start, w.end) for w in words] or [(start, end)]
        if chunk.channels is not None:
            evidence = [channel_evidence(chunk.channels, off, s, e) for s, e in spans]
        elif options.diarize_mono:
            evidence = [voice_evidence(chunk.mix, off, s, e) for s, e in spans]
        else:
            evidence = [[0.0] for _ in spans]
        return Piece(
            start=round(start, 3),
            end=round(end, 3),
            text=text,
            language=self._segment_language(text, options, chunk_lang),
            words=words,
            evidence=evidence,
        )

    @staticmethod
    def _segment_language(text: str, options: TranscribeOptions, detected: str) -> str:
        """Per-segment language, so a zh/en meeting keeps both instead of collapsing to one."""
        if options.language != "auto":
            return options.language
        if text and len(_CJK.findall(text)) >= max(1, len(text.replace(" ", "")) // 3):
            return detected if detected in CHINESE else "zh"
        if text and detected in CHINESE:
            return "en" if re.search(r"[A-Za-z]{2,}", text) else detected
        return detected

    def script(self, text: str) -> str:
        """Write Chinese in the configured script (whisper base often answers in Traditional)."""
        if not _CJK.search(text):
            return text
        if self._opencc is None:
            from opencc import OpenCC

            self._opencc = OpenCC("t2s" if self._chinese_script == "simplified" else "s2t")
        return str(self._opencc.convert(text))

    def finish(self, state: RunState) -> Transcript:
        """Attribute speakers over the whole recording and build the transcript."""
        pieces = state.pieces
        names = state.options.speakers
        if state.split_channels:
            labels = word_labels_stereo(pieces)
        elif state.options.diarize_mono:
            labels = word_labels_mono(pieces)
        else:
            labels = [[0] * len(p.evidence) for p in pieces]
        segments = assign_speakers(pieces, labels, names)
        warnings = list(state.warnings)
        if not segments:
            warnings.append(SILENCE_WARNING)
        main = max(state.languages, key=lambda k: state.languages[k]) if state.languages else None
        if state.options.language != "auto" or main is None:
            main = state.options.language if state.options.language != "auto" else "en"
        if all(s.language == main for s in segments):
            segments = [s.model_copy(update={"language": None}) for s in segments]
        return Transcript(
            language=main,
            duration_s=round(state.next_start_s, 3),
            segments=segments,
            model=self.model_name,
            audio_sha256=state.info.sha256,
            warnings=warnings,
        )


def _is_latin_word(word: Word) -> bool | None:
    """True for a Latin-script word, False for Chinese, None for digits and punctuation (either)."""
    if _CJK.search(word.word):
        return False
    return True if re.search(r"[A-Za-z]", word.word) else None


_SENTENCE_END = re.compile(r"[.?!。？！]['\"”’)]*$")
MIN_SENTENCE_WORDS = 3
"""A sentence shorter than this stays with its neighbour (abbreviations, "OK.", "Yes.")."""


def split_sentences(piece: Piece) -> list[Piece]:
    """Split a segment at sentence ends, so citations point at a sentence rather than a 30 s window.

    Batched decoding returns one segment per voice-activity window (up to 30 s);
    sequential decoding already returns sentence-sized segments, which pass unchanged.
    """
    if not piece.words or len(piece.evidence) != len(piece.words):
        return [piece]
    bounds: list[tuple[int, int]] = []
    first = 0
    for i, word in enumerate(piece.words):
        if _SENTENCE_END.search(word.word.strip()) and i + 1 - first >= MIN_SENTENCE_WORDS:
            bounds.append((first, i))
            first = i + 1
    if first < len(piece.words):
        if bounds and len(piece.words) - first < MIN_SENTENCE_WORDS:
            bounds[-1] = (bounds[-1][0], len(piece.words) - 1)
        else:
            bounds.append((first, len(piece.words) - 1))
    if len(bounds) < 2:
        return [piece]
    return [
        Piece(
            start=piece.start if j == 0 else piece.words[a].start,
            end=piece.end if j == len(bounds) - 1 else piece.words[b].end,
            text="".join(w.word for w in piece.words[a : b + 1]).strip(),
            language=piece.language,
            words=piece.words[a : b + 1],
            evidence=piece.evidence[a : b + 1],
        )
        for j, (a, b) in enumerate(bounds)
    ]


def split_by_script(piece: Piece) -> list[Piece]:
    """Split a segment where speech switches between Chinese and a run of English words.

    Whisper often keeps both languages in one segment; splitting keeps each
    part's language right. English names inside Chinese (runs shorter than
    MIN_SWITCH_WORDS) stay where they are.
    """
    if not piece.words or len(piece.evidence) != len(piece.words):
        return [piece]
    kinds: list[bool] = []
    for w in piece.words:
        kind = _is_latin_word(w)
        kinds.append(kind if kind is not None else (kinds[-1] if kinds else True))
    runs: list[list[int]] = []  # [is_latin, first, last]
    for i, kind in enumerate(kinds):
        if runs and runs[-1][0] == kind:
            runs[-1][2] = i
        else:
            runs.append([kind, i, i])
    merged: list[list[int]] = []
    for run in runs:
        short_latin = run[0] and run[2] - run[1] + 1 < MIN_SWITCH_WORDS
        if merged and (short_latin or merged[-1][0] == run[0]):
            merged[-1][2] = run[2]  # a name inside Chinese, or more of the same
        elif merged and merged[-1][0] and merged[-1][2] - merged[-1][1] + 1 < MIN_SWITCH_WORDS:
            merged[-1] = [run[0], merged[-1][1], run[2]]  # a leading name joins the Chinese after it
        else:
            merged.append(run)
    if len(merged) < 2:
        return [piece]
    out = []
    for j, (latin, first, last) in enumerate(merged):
        words = piece.words[first : last + 1]
        out.append(
            Piece(
                start=piece.start if j == 0 else words[0].start,
                end=piece.end if j == len(merged) - 1 else words[-1].end,
                text="".join(w.word for w in words).strip(),
                language="en" if latin else "zh",
                words=words,
                evidence=piece.evidence[first : last + 1],
            )
        )
    return out


def pieces_from_json(items: Sequence[dict[str, Any]]) -> list[Piece]:
    return [Piece.from_json(i) for i in items]
