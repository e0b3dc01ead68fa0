"""Fakes for the ports: scripted, deterministic, no models needed."""

from __future__ import annotations

import datetime as dt
import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from copilot.errors import SummaryError
from copilot.ports import ProgressCallback
from copilot.schema import ActionItem, Evidence, KpiPrefill, MeetingKindRequest, ReviewDraft, Segment, Transcript

SAMPLE_TRANSCRIPT = Transcript(
    language="en",
    duration_s=20.0,
    segments=[
        Segment(id=0, start=0.0, end=5.0, speaker="manager", text="Can you send me the latency plan by Friday?"),
        Segment(id=1, start=5.5, end=9.0, speaker="employee", text="Yes, I will send you the plan by Friday."),
    ],
)


class FakeTranscriber:
    """Returns a fixed transcript and records what it was asked."""

    def __init__(self, transcript: Transcript = SAMPLE_TRANSCRIPT) -> None:
        self.transcript = transcript
        self.calls: list[Path] = []

    def transcribe(
        self, audio: Path, *, language: str = "auto", progress: ProgressCallback | None = None
    ) -> Transcript:
        self.calls.append(audio)
        if progress:
            progress(1.0)
        return self.transcript


class FakeDrafter:
    """Cites the last segment as one employee action item, or fails on demand."""

    def __init__(self, *, fail: bool = False) -> None:
        self.fail = fail
        self.seen_kpis: list[KpiPrefill] = []
        self.seen_previous: list[ActionItem] = []
        self.seen_meeting_kind: str | None = None

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
        self.seen_kpis, self.seen_previous = list(kpis or []), list(previous or [])
        self.seen_meeting_kind = meeting_kind
        if self.fail:
            raise SummaryError("model output was not valid JSON after 3 attempts")
        last = transcript.segments[-1]
        return ReviewDraft(
            meeting_date=meeting_date,
            employee=employee,
            manager=manager,
            action_items=[
                ActionItem(
                    owner="employee",
                    task="Send the plan",
                    due=meeting_date + dt.timedelta(days=4),
                    evidence=[Evidence(segment_id=last.id, quote=last.text)],
                )
            ],
        )


def answer_chat_completion(handler: BaseHTTPRequestHandler, content: str, *, finish_reason: str = "stop") -> None:
    """Reply to a request like an OpenAI-compatible chat endpoint (for fake endpoints on loopback)."""
    body = json.dumps(
        {
            "id": "x", "object": "chat.completion", "created": 0, "model": "m",
            "choices": [{"index": 0, "finish_reason": finish_reason,
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
    ).encode()  # fmt: skip
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
