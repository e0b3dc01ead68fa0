"""Schema-constrained generation with pydantic validation and a bounded reask retry.

Like instructor's reask: when the output does not validate (or was cut off at
the length limit), the error goes back to the model and it tries again, at
most `max_retries` times.
Backend failures become `ModelUnavailable`; output that never validates
becomes `SummaryError`, both one line.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any, TypeVar

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from pydantic import BaseModel, ValidationError

from copilot.errors import CopilotError, ModelUnavailable, SummaryError
from summarize.llm import ModelHandle

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)


@dataclass
class Usage:
    """Token and call counts, for benchmarks and the generator note."""

    calls: int = 0
    retries: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    accepted: int = 0  # model-written fields the excerpt supports
    rejected: int = 0  # model-written fields replaced by the speaker's words
    failures: list[str] = field(default_factory=list)


CONNECTION_ERRORS = (
    "APIConnectionError",
    "APITimeoutError",
    "ConnectError",
    "ConnectTimeout",
    "ReadTimeout",
    "OpenAIConnectionError",
    "TimeoutException",
)
REFUSALS = ("AuthenticationError", "PermissionDeniedError", "NotFoundError")
CLIENT_MODULES = ("openai", "langchain_openai", "httpx", "httpcore")


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _backend_error(exc: Exception, handle: ModelHandle) -> CopilotError | None:
    """Translate client exceptions (anywhere in the cause chain) into our errors, without importing openai."""
    if isinstance(exc, CopilotError):
        return exc
    chain = _chain(exc)
    if not any(type(e).__module__.startswith(CLIENT_MODULES) for e in chain):
        return None
    names = {type(e).__name__ for e in chain}
    first = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
    if names & set(CONNECTION_ERRORS):
        return ModelUnavailable(f"LLM endpoint unreachable ({handle.name}): {first}")
    if names & set(REFUSALS):
        return ModelUnavailable(f"LLM endpoint refused the request ({type(exc).__name__}): {first}")
    return ModelUnavailable(f"LLM endpoint error ({type(exc).__name__}): {first}")


def _cut_off(exc: BaseException) -> bool:
    """langchain-openai raises (instead of returning the text) when a schema-constrained reply hits max_tokens."""
    return any(type(e).__name__ == "LengthFinishReasonError" for e in _chain(exc))


def _first_error(exc: ValidationError | ValueError) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(root)"
        return f"{where}: {err['msg']}"
    return str(exc).splitlines()[0]


def generate(
    handle: ModelHandle,
    messages: list[BaseMessage],
    output: type[M],
    *,
    max_retries: int = 2,
    max_tokens: int | None = None,
    usage: Usage | None = None,
) -> M:
    """Ask for JSON matching `output`, validate it, and reask with the error up to `max_retries` times."""
    schema = output.model_json_schema()
    kwargs: dict[str, Any] = {"response_format": handle.response_format(schema, output.__name__)}
    if max_tokens is not None:
        kwargs.update(handle.token_limit(max_tokens))
    chat = handle.chat.bind(**kwargs)
    history = list(messages)
    last_error = ""
    for attempt in range(max_retries + 1):
        try:
            reply = chat.invoke(history)
        except Exception as exc:  # client libraries raise many types; translate the known ones
            if not _cut_off(exc):
                translated = _backend_error(exc, handle)
                if translated is None:
                    raise
                raise translated from exc
            if usage is not None:
                usage.calls += 1
                usage.retries += 1 if attempt else 0
            last_error = "the reply was cut off at the length limit"
            log.info("structured output invalid (attempt %d): %s", attempt + 1, last_error)
            history = [
                *history,
                HumanMessage(
                    content=f"{last_error}. Reply again with only one shorter JSON object that matches the schema."
                ),
            ]
            continue
        text = reply.content if isinstance(reply.content, str) else json.dumps(reply.content)
        if usage is not None:
            usage.calls += 1
            usage.retries += 1 if attempt else 0
            meta = getattr(reply, "usage_metadata", None) or {}
            usage.input_tokens += int(meta.get("input_tokens", 0))
            usage.output_tokens += int(meta.get("output_tokens", 0))
        try:
            return output.model_validate_json(_strip_fences(text))
        except (ValidationError, ValueError) as exc:
            last_error = _first_error(exc)
            log.info("structured output invalid (attempt %d): %s", attempt + 1, last_error)
            history = [
                *history,
                AIMessage(content=text),
                HumanMessage(
                    content=(
                        f"That reply was not valid: {last_error}. "
                        "Reply again with only one JSON object that matches the schema exactly."
                    )
                ),
            ]
    if usage is not None:
        usage.failures.append(f"{output.__name__}: {last_error}")
    raise SummaryError(
        f"the model's {output.__name__} output was invalid after {max_retries + 1} attempts: {last_error}"
    )


def _strip_fences(text: str) -> str:
    """Accept ```json fenced replies from chatty endpoints."""
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.strip("`")
        if stripped.lower().startswith("json"):
            stripped = stripped[4:]
    return stripped.strip()
