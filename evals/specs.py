"""Model specs: one short string per backend, mapped onto `Settings` fields.

`llamacpp`                 the embedded default (packaged SmolLM2, in process)
`llamacpp:/path/to.gguf`   another local GGUF, in process
`openai:MODEL@BASE_URL`    any OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp server, OpenAI)
`openai:MODEL`             OpenAI-compatible with the configured COPILOT_LLM_BASE_URL
`none`                     no LLM (deterministic rules only, if the pipeline supports it)

A spec is a string so it can be a CLI argument, a column header and a key in
stored results, and two runs compare by spec.
"""

from __future__ import annotations

from typing import Any

from copilot.errors import InputError
from copilot.settings import Settings


def settings_updates(spec: str) -> dict[str, Any]:
    """The Settings fields a model spec sets; a malformed spec is an InputError."""
    backend, _, rest = spec.partition(":")
    if backend == "none" and not rest:
        return {"llm_backend": "none", "llm_model": None, "llm_base_url": None}
    if backend == "llamacpp":
        return {"llm_backend": "llamacpp", "llm_model": rest or None, "llm_base_url": None}
    if backend == "openai" and rest:
        model, _, base_url = rest.partition("@")
        if not model:
            raise InputError(f"model spec {spec!r}: the model name is empty (want openai:MODEL@BASE_URL)")
        updates: dict[str, Any] = {"llm_backend": "openai", "llm_model": model}
        if base_url:
            if not base_url.startswith(("http://", "https://")):
                raise InputError(f"model spec {spec!r}: base URL must start with http:// or https://")
            updates["llm_base_url"] = base_url
        return updates
    raise InputError(f"unknown model spec {spec!r}: use llamacpp, llamacpp:/path.gguf, openai:MODEL@URL or none")


def apply_spec(base: Settings, spec: str, prompt_version: str) -> Settings:
    """A copy of `base` configured for one model spec and prompt version."""
    return base.model_copy(update={**settings_updates(spec), "prompt_version": prompt_version})


def spec_of(settings: Settings) -> str:
    """The spec that describes the configured backend (the default when no --model is given)."""
    backend = settings.effective_llm_backend
    if backend == "none":
        return "none"
    if backend == "openai":
        suffix = f"@{settings.llm_base_url}" if settings.llm_base_url else ""
        return f"openai:{settings.llm_model or 'default'}{suffix}"
    return "llamacpp" + (f":{settings.llm_model}" if settings.llm_model else "")
