"""Small interfaces between the domain and its adapters.

Services depend on these protocols only, so tests pass fakes and users swap
backends by configuration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from copilot.schema import ActionItem, KpiPrefill, MeetingKindRequest, ReviewDraft, Transcript

ProgressCallback = Callable[[float], None]
"""Called with the fraction done (0..1) during long work."""


class Transcriber(Protocol):
    """Turns an audio file into a transcript, locally."""

    def transcribe(
        self,
        audio: Path,
        *,
        language: str = "auto",
        progress: ProgressCallback | None = None,
    ) -> Transcript: ...


class Drafter(Protocol):
    """Turns a transcript into a cited review draft."""

    def draft(
        self,
        transcript: Transcript,
        *,
        meeting_date: dt.date,
        employee: str | None = None,
        manager: str | None = None,
        progress: ProgressCallback | None = None,
        kpis: list[KpiPrefill] | None = None,
        previous: list[ActionItem] | None = None,
        meeting_kind: MeetingKindRequest | None = None,
    ) -> ReviewDraft:
        """`kpis` pre-fill OKR progress; `previous` are open items of earlier reviews to report on.

        `meeting_kind` is what the person recording said the meeting was (None: the drafter's configured default).
        """
        ...


class Clock(Protocol):
    """Current UTC time; injected so deadlines are testable."""

    def now(self) -> dt.datetime: ...


class SystemClock:
    """The real clock, always timezone-aware UTC."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)
