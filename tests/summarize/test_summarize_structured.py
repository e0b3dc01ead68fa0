"""Schema-constrained generation: validation, bounded reask with the error fed back, error translation."""

from __future__ import annotations

from typing import Any

import httpx
import openai
import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import BaseMessage, HumanMessage
from pydantic import BaseModel

from copilot.errors import ModelUnavailable, SummaryError
from summarize.llm import ModelHandle
from summarize.structured import Usage, generate

from .conftest import fake_handle


class Point(BaseModel):
    text: str
    score: int


class RecordingChat(FakeListChatModel):
    """FakeListChatModel that also records the messages and kwargs of every call."""

    seen: list[tuple[list[BaseMessage], dict[str, Any]]] = []

    def _call(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any) -> str:
        self.seen.append((list(messages), dict(kwargs)))
        return super()._call(messages, stop, run_manager, **kwargs)


def test_valid_json_is_parsed_into_the_model() -> None:
    usage = Usage()
    out = generate(fake_handle(['{"text": "hi", "score": 3}']), [HumanMessage("x")], Point, usage=usage)
    assert out == Point(text="hi", score=3)
    assert (usage.calls, usage.retries) == (1, 0)


def test_invalid_output_is_reasked_with_the_validation_error() -> None:
    chat = RecordingChat(responses=['{"text": "hi"}', '{"text": "hi", "score": 2}'])
    chat.seen = []
    handle = ModelHandle(chat=chat, backend="llamacpp", name="fake", local=True)
    usage = Usage()
    out = generate(handle, [HumanMessage("x")], Point, max_retries=2, usage=usage)
    assert out.score == 2
    assert usage.retries == 1
    reask = chat.seen[1][0][-1]
    assert "score: Field required" in str(reask.content)
    # the response format asks llama.cpp for JSON constrained to the schema
    assert chat.seen[0][1]["response_format"] == {"type": "json_object", "schema": Point.model_json_schema()}


def test_output_that_never_validates_is_a_summary_error_after_bounded_retries() -> None:
    usage = Usage()
    with pytest.raises(SummaryError, match="invalid after 3 attempts"):
        generate(fake_handle(["not json", "{}", "[1]"]), [HumanMessage("x")], Point, max_retries=2, usage=usage)
    assert usage.calls == 3


def test_fenced_json_from_chatty_endpoints_is_accepted() -> None:
    out = generate(fake_handle(['```json\n{"text": "a", "score": 1}\n```']), [HumanMessage("x")], Point)
    assert out.score == 1


def test_remote_openai_endpoints_get_json_schema_response_format() -> None:
    handle = ModelHandle(chat=FakeListChatModel(responses=["{}"]), backend="openai", name="m", local=False)
    fmt = handle.response_format(Point.model_json_schema(), "Point")
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["name"] == "Point"


class Unreachable(FakeListChatModel):
    def _call(self, *args: Any, **kwargs: Any) -> str:
        raise openai.APIConnectionError(request=httpx.Request("POST", "http://127.0.0.1:9/v1/chat/completions"))


def test_connection_errors_become_model_unavailable() -> None:
    handle = ModelHandle(chat=Unreachable(responses=[]), backend="openai", name="m", local=True)
    with pytest.raises(ModelUnavailable, match="unreachable"):
        generate(handle, [HumanMessage("x")], Point)
