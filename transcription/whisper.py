"""faster-whisper adapter implementing the `Transcriber` port."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any



from copilot.errors import InputError, ModelUnavailable
from copilot.ports import ProgressCallback
from copilot.schema import Segment, Transcript, Word
from transcription.audio import SAMPLE_RATE, load_channels, probe
from transcription.models import ResolvedModel, resolve_model
from transcription.speakers import attribute_by_channel

log = logging.getLogger(__name__)
LANGUAGES = ("auto", "en", "zh", "yue")


class WhisperTranscriber:
    """Transcribes audio locally with VAD, word timestamps and stereo speaker attribution."""

    def __init__(
        self,
        model: str,
        home: Path,
        *,
        threads: int = 2,
        beam_size: int = 1,
        chinese_script: str = "simplified",
        max_bytes: int | None = None,
        channel_speakers: tuple[str, ...] = ("manager", "employee"),
    ) -> None:
        self._spec = model
        self._home = home
        self._threads = threads
        self._beam_size = beam_size
        self._chinese_script = chinese_script
        self._max_bytes = max_bytes
        self._channel_speakers = channel_speakers
        self._resolved: ResolvedModel | None = None
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            from faster_whisper import WhisperModel

            self._resolved = resolve_model(self._spec, self._home)
            try:
                self._model = WhisperModel(
                    str(self._resolved.path), device="cpu", compute_type="int8", cpu_threads=self._threads,
                    local_files_only=True,
                )
            except (RuntimeError, ValueError, OSError) as exc:
                raise ModelUnavailable(f"cannot load speech model {self._resolved.path}: {exc}") from exc
        return self._model

    def _language_for(self, requested: str) -> str | None:
        """Map the user's choice to a whisper language token the model really has."""
        if requested not in LANGUAGES:
            raise InputError(f"unknown language {requested!r}; choose one of {', '.join(LANGUAGES)}")
        if requested == "auto":
            return None
        assert self._resolved is not None
        if not self._resolved.multilingual and requested != "en":
            raise InputError(f"model {self._resolved.name} is English-only; use COPILOT_ASR_MODEL=base for {requested}")
        if requested == "yue" and not self._has_token("<|yue|>"):
            log.info("model has no <|yue|> token; transcribing Cantonese as zh")
            return "zh"
        return requested

    def _has_token(self, token: str) -> bool:
        tokenizer = self._model.hf_tokenizer
        return tokenizer.token_to_id(token) is not None

    def transcribe(
        self, audio: Path, *, language: str = "auto", progress: ProgressCallback | None = None
    ) -> Transcript:
        info = probe(audio, max_bytes=self._max_bytes)
        model = self._load()
        lang = self._language_for(language)
        mix, channels = load_channels(audio, info.channels)
        duration = len(mix) / SAMPLE_RATE
        warnings: list[str] = []
        if duration == 0.0:
            raise InputError(f"{audio.name} contains no audio samples")
        segments_iter, tinfo = model.transcribe(
            mix, language=lang, beam_size=self._beam_size, vad_filter=True, word_timestamps=True,
            condition_on_previous_text=False,
        )
        segments: list[Segment] = []
        last_end = 0.0
        for raw in segments_iter:
            text = self._script(raw.text.strip(), tinfo.language)
            if not text:
                continue
            start = max(float(raw.start), last_end)
            end = max(float(raw.end), start)
            words = [
                Word(start=max(float(w.start), 0.0), end=max(float(w.end), float(w.start), 0.0), word=w.word,
                     probability=min(max(float(w.probability), 0.0), 1.0))
                for w in (raw.words or [])
            ]
            segments.append(Segment(id=len(segments), start=round(start, 3), end=round(end, 3), speaker="speaker_1",
                                    text=text, words=words or None))
            last_end = end
            if progress is not None and duration > 0:
                progress(min(end / duration, 1.0))
        if len(channels) >= 2:
            segments = attribute_by_channel(segments, channels, SAMPLE_RATE, self._channel_speakers)
        if not segments:
            warnings.append("no speech detected (silence?)")
        if progress is not None:
            progress(1.0)
        out_lang = tinfo.language if lang is None else (language if language != "auto" else lang)
        return Transcript(
            language=out_lang, duration_s=round(duration, 3), segments=segments,
            model=self._resolved.name if self._resolved else self._spec, audio_sha256=info.sha256, warnings=warnings,
        )

    def _script(self, text: str, language: str) -> str:
        if language not in ("zh", "yue") or not text:
            return text
        from opencc import OpenCC

        return str(OpenCC("t2s" if self._chinese_script == "simplified" else "s2t").convert(text))


