"""Fixtures for the summarisation tests: the demo transcript and fake chat-model handles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from copilot.schema import Segment, Transcript
from summarize.llm import ModelHandle

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
MEETING = dt.date(2026, 11, 30)  # a Monday


def transcript_from_turns(turns: list[tuple[str, str]], language: str = "en") -> Transcript:
    return Transcript(
        language=language,
        duration_s=float(len(turns) * 5),
        segments=[
            Segment(id=i, start=float(i * 5), end=float(i * 5 + 4), speaker=speaker, text=text)
            for i, (speaker, text) in enumerate(turns)
        ],
    )


@pytest.fixture
def demo_transcript() -> Transcript:
    """The sample review dialogue that ships with the repo (the text the demo audio speaks)."""
    lines = (REPO / "samples" / "review_demo.txt").read_text(encoding="utf-8").splitlines()
    return transcript_from_turns([tuple(line.split("|", 1)) for line in lines if line.strip()])  # type: ignore[misc]


def fake_handle(responses: list[str], *, small: bool = False, local: bool = True) -> ModelHandle:
    """A handle over langchain-core's scripted chat model (it accepts and ignores `response_format`)."""
    return ModelHandle(
        chat=FakeListChatModel(responses=responses), backend="fake", name="fake", local=local, small=small
    )
