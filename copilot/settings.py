"""Configuration, read once from `COPILOT_*` environment variables.

Tests build `Settings(...)` directly instead of patching globals, and every
default is embedded (SQLite, in-process llama.cpp, packaged whisper) so a fresh
machine with no network works.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from copilot.schema import MeetingKindRequest


def _default_home() -> Path:
    return Path.home() / ".local" / "share" / "review-copilot"


class Settings(BaseSettings):
    """All knobs of Review Copilot; see the README's configuration table."""

    model_config = SettingsConfigDict(env_prefix="COPILOT_", extra="ignore")

    home: Path = Field(default_factory=_default_home, description="Data directory (database, audio, keys).")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default is SQLite at $COPILOT_HOME/copilot.db."
    )

    # speech
    asr_model: str = Field(default="base", description="'base' (multilingual), 'tiny.en', or a local CTranslate2 dir.")
    asr_threads: int = Field(default=2, ge=1)
    asr_beam_size: int | None = Field(
        default=None, ge=1, description="Default: 2 batched multilingual, 1 English-only or sequential decoding."
    )
    asr_batch_size: int | None = Field(
        default=None,
        ge=1,
        description="30 s windows decoded together (faster on CPU too); 1 = sequential decoding. "
        "Default 4, the largest that kept a 60-minute meeting under 1 GB of memory.",
    )
    voice_encoder: str | None = Field(
        default=None,
        description="Speaker-embedding checkpoint for one-microphone recordings (a GE2E LSTM .pt); "
        "default: the installed resemblyzer wheel's weights.",
    )
    chinese_script: Literal["simplified", "traditional"] = "simplified"
    max_upload_bytes: int = Field(default=2 * 1024**3 - 1, description="Largest audio file accepted.")

    # language model
    llm_backend: Literal["llamacpp", "openai", "none"] = "llamacpp"
    llm_model: str | None = Field(default=None, description="GGUF path (llamacpp) or model name (openai).")
    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible endpoint; selects 'openai'.")
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = Field(default=60.0, gt=0)
    llm_max_retries: int = Field(default=2, ge=0)
    llm_threads: int = Field(default=2, ge=1)
    llm_context: int = Field(default=2048, ge=512)
    prompt_version: str = "v1"
    llm_tier: Literal["auto", "basic", "strong"] = Field(
        default="auto",
        description="What the model may do: 'strong' adds model checks of action items and suggested levels; "
        "'auto' is basic for the embedded llamacpp model and strong for openai endpoints.",
    )
    llm_verify_drops: bool = Field(
        default=False,
        description="Let a strong-tier model remove rule action items it judges no commitment. Off by default: "
        "Qwen2.5-Coder-1.5B dropped only true items on 12 dev meetings and cost recall on unseen ones (README).",
    )
    item_filter: bool = Field(
        default=True,
        description="On English talk, let the embedding classifier (summarize/item_filter.py) turn the rule action "
        "items it doubts into possible_action_item flags for a person. Measured on never-opened meetings: "
        "precision up, recall a little down, fewer edits in all (README).",
    )
    meeting_kind: MeetingKindRequest = Field(
        default="auto",
        description="Draft as a review (every template section) or a short check-in (summary, progress and action "
        "items). 'auto': a meeting of at most 40 segments that opens by calling itself a check-in, or whose first "
        "10 segments never name a review, is one (README). A recording upload can choose per meeting.",
    )
    llm_redact_pii: bool | None = Field(
        default=None, description="Redact names, emails, phone numbers before the LLM; default on for non-local URLs."
    )

    # review rules
    kpi_deviation_threshold_pct: float = Field(default=15.0, ge=0)
    signing_deadline_hours: float = Field(default=48.0, gt=0)

    # HRIS sync (transactional outbox delivered by webhook)
    hris_webhook_url: str | None = Field(default=None, description="HRIS webhook URL; unset means export-only.")
    hris_webhook_secret: SecretStr | None = Field(default=None, description="HMAC-SHA256 key for webhook bodies.")
    hris_max_attempts: int = Field(default=12, ge=1, description="Delivery attempts before an event is dead-lettered.")
    hris_backoff_base_s: float = Field(default=2.0, gt=0, description="First retry delay; doubles per attempt.")
    hris_backoff_max_s: float = Field(default=900.0, gt=0, description="Longest retry delay.")

    # API and authentication
    access_token_ttl_s: int = Field(default=900, ge=30, description="Lifetime of an API access token.")
    refresh_token_ttl_s: int = Field(default=14 * 24 * 3600, ge=60, description="Lifetime of a login session.")
    login_max_failures: int = Field(default=5, ge=1, description="Failed logins per email before a lock-out.")
    login_lockout_s: int = Field(default=900, ge=1, description="Window and length of a login lock-out.")
    manager_sees_all_reports: bool = Field(
        default=False, description="Managers see every report below them, not only direct reports."
    )
    log_level: str = Field(default="INFO", description="Level of the API's JSON logs.")

    @property
    def effective_llm_backend(self) -> str:
        """A configured base URL means an OpenAI-compatible endpoint unless told otherwise."""
        if self.llm_base_url and self.llm_backend == "llamacpp":
            return "openai"
        return self.llm_backend

    @property
    def effective_llm_tier(self) -> Literal["basic", "strong"]:
        """'auto' trusts an OpenAI-compatible endpoint with more steps; the embedded 135M model measurably can't."""
        if self.llm_tier != "auto":
            return self.llm_tier
        return "strong" if self.effective_llm_backend == "openai" else "basic"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'copilot.db'}"

    def ensure_home(self) -> Path:
        """Create the data directory (private to the user: it holds HR data)."""
        self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self.home
