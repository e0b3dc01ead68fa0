"""The single source of truth for Review Copilot's data shapes.

Every model forbids extra keys and describes every field, because these
descriptions are what an LLM sees in the JSON schema, and the API, CLI,
storage, UI and eval fixtures all read and write these same classes.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1"


class StrictModel(BaseModel):
    """Base for every schema class: unknown keys are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- transcript

NonNegativeSeconds = Annotated[float, Field(ge=0.0)]


class Word(StrictModel):
    """One recognised word with its timing, kept for precise evidence timestamps."""

    start: NonNegativeSeconds = Field(description="Start time of the word in seconds.")
    end: NonNegativeSeconds = Field(description="End time of the word in seconds.")
    word: str = Field(description="The word as recognised, including leading space.")
    probability: float = Field(ge=0.0, le=1.0, description="Recogniser confidence, 0..1.")


class Segment(StrictModel):
    """One stretch of speech by one speaker; the unit that evidence cites."""

    id: int = Field(ge=0, description="Segment id, unique within the transcript.")
    start: NonNegativeSeconds = Field(description="Start time in seconds from the recording start.")
    end: NonNegativeSeconds = Field(description="End time in seconds from the recording start.")
    speaker: str = Field(
        min_length=1,
        description="Who spoke: 'manager', 'employee', 'speaker_N' or a participant name.",
    )
    text: str = Field(description="What was said, verbatim as transcribed.")
    language: str | None = Field(
        default=None, description="Language of this segment when it differs per segment (code-switching)."
    )
    words: list[Word] | None = Field(default=None, description="Word-level timestamps, when available.")

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Segment:
        if self.end < self.start:
            raise ValueError(f"segment {self.id}: end {self.end} is before start {self.start}")
        return self


class Transcript(StrictModel):
    """A transcribed meeting: the untrusted data every draft is grounded in."""

    language: str = Field(description="Main language code detected or forced: 'en', 'zh', 'yue', ...")
    duration_s: NonNegativeSeconds = Field(description="Duration of the audio in seconds.")
    segments: list[Segment] = Field(description="Segments in time order.")
    model: str | None = Field(default=None, description="Name of the speech model that produced it.")
    audio_sha256: str | None = Field(default=None, description="sha256 of the original audio bytes.")
    warnings: list[str] = Field(default_factory=list, description="Non-fatal problems, e.g. silence.")

    @model_validator(mode="after")
    def _unique_segment_ids(self) -> Transcript:
        ids = [s.id for s in self.segments]
        if len(ids) != len(set(ids)):
            raise ValueError("segment ids must be unique")
        return self

    def segment(self, segment_id: int) -> Segment | None:
        """Look a segment up by id (None when unknown)."""
        for seg in self.segments:
            if seg.id == segment_id:
                return seg
        return None


# --------------------------------------------------------------------------- evidence


class Evidence(StrictModel):
    """A citation: the segment a statement comes from and the exact words said there."""

    segment_id: int = Field(ge=0, description="Id of the transcript segment cited.")
    quote: str = Field(min_length=1, description="Verbatim words from that segment supporting the statement.")


class Flag(StrEnum):
    """Machine-set markers a human must look at before signing.

    `model_proposed`: the model proposed this item, owner or suggested level and code verified its quotes;
    `model_unchecked`: the model's check of this item failed, so the rules' version stands unchecked.
    """

    needs_evidence = "needs_evidence"
    sensitive = "sensitive"
    kpi_deviation = "kpi_deviation"
    model_proposed = "model_proposed"  # proposed by the model (strong tier), verified against the transcript by code
    model_unchecked = "model_unchecked"  # the strong tier's model check failed (invalid output), rules stand


class Cited(StrictModel):
    """Base for every generated item: it carries its evidence and any flags."""

    evidence: list[Evidence] = Field(default_factory=list, description="Transcript citations for this item.")
    flags: list[Flag] = Field(default_factory=list, description="Markers set by validation, not by the model.")


# --------------------------------------------------------------------------- sections

OkrStatus = Literal["done", "on_track", "at_risk", "behind", "not_discussed"]


class KpiPrefill(StrictModel):
    """A KPI value imported from HR data, with its deviation from target computed by code."""

    metric: str = Field(description="KPI name, e.g. 'dashboard p95 latency (s)'.")
    period: str = Field(description="Period the value covers, e.g. '2026-Q4'.")
    target: float = Field(description="Target value.")
    actual: float = Field(description="Actual value.")
    higher_is_better: bool = Field(default=True, description="Direction of improvement.")
    deviation_pct: float = Field(description="Signed shortfall versus target in percent; positive means worse.")
    flagged: bool = Field(description="True when the shortfall exceeds the configured threshold.")


class OkrProgress(Cited):
    """Progress on one objective or key result, as discussed."""

    objective: str = Field(description="The objective or key result discussed.")
    status: OkrStatus = Field(description="Progress status as discussed in the meeting.")
    note: str = Field(default="", description="One sentence on the progress, grounded in the transcript.")
    kpi: KpiPrefill | None = Field(default=None, description="Matching pre-filled KPI data, if any.")


class Contribution(Cited):
    """A contribution or achievement of the employee."""

    statement: str = Field(description="One sentence describing the contribution.")


class ImprovementArea(Cited):
    """An area to improve, with a concrete behavioural example."""

    area: str = Field(description="Short name of the area to improve.")
    behavioural_example: str = Field(description="The concrete behaviour observed, as said in the meeting.")


class DevelopmentGoal(Cited):
    """One goal of the individual development plan (IDP)."""

    goal: str = Field(description="The development goal.")
    actions: list[str] = Field(default_factory=list, description="Concrete steps toward the goal.")
    timeframe: str | None = Field(default=None, description="When, e.g. 'this half' or a date.")


class BehaviourObservation(Cited):
    """An observation about one competency; any level is only a suggestion for a human."""

    competency: str = Field(description="Competency observed, e.g. 'communication'.")
    observation: str = Field(description="What was observed, grounded in the transcript.")
    suggested_level: str | None = Field(
        default=None, description="A suggested level for a human to accept or change; never a rating."
    )


Owner = str  # "manager", "employee" or a participant name


class ActionItem(Cited):
    """A commitment somebody made in the meeting: who does what by when."""

    owner: Owner = Field(min_length=1, description="Who does it: 'manager', 'employee' or a participant name.")
    task: str = Field(min_length=1, description="Short imperative description of the task.")
    due: dt.date | None = Field(default=None, description="Due date (YYYY-MM-DD), or null when none was said.")
    status: Literal["open", "done", "dropped"] = Field(default="open", description="Tracking status.")


PreviousStatus = Literal["done", "slipped", "not_discussed"]


class PreviousActionReview(Cited):
    """How an open action item from the previous review stands now."""

    task: str = Field(description="The earlier action item's task.")
    owner: Owner = Field(description="The earlier action item's owner.")
    status: PreviousStatus = Field(description="Done, slipped, or not discussed in this meeting.")


class SummaryPoint(Cited):
    """One point of the overall summary."""

    text: str = Field(description="One sentence of the overall summary.")


MeetingKindRequest = Literal["auto", "review", "check_in"]
"""How to draft a meeting: every review section, a short check-in, or told from the talk (summarize/meeting_kind.py)."""
ReviewFlagKind = Literal["injection_attempt", "compensation_or_rating", "possible_action_item", "drafted_as_check_in"]


class ReviewFlag(StrictModel):
    """Something in the transcript a human must decide on, kept out of the draft's content.

    An instruction aimed at the drafting AI, or a pay, promotion or rating promise: reported with its evidence,
    never turned into a statement or an action item. A possible action item the classifier doubts is reported the
    same way, so a person can add it back instead of it being lost; and a meeting drafted as a short check-in
    (review sections left empty) says so, so a person can have it drafted as a review instead.
    """

    kind: ReviewFlagKind = Field(
        description="injection_attempt, compensation_or_rating, possible_action_item or drafted_as_check_in."
    )
    reason: str = Field(description="Why it was flagged, written by code.")
    evidence: list[Evidence] = Field(default_factory=list, description="The transcript lines concerned.")


class GeneratorInfo(StrictModel):
    """Which pipeline, model and prompts produced a draft, so evals can compare them."""

    pipeline: str = Field(description="Pipeline name and version.")
    model: str = Field(description="LLM used, or 'none' for rules only.")
    prompt_version: str = Field(description="Version of the prompt set used.")
    template: str = Field(default="default", description="Review template used.")
    model_fallbacks: int = Field(
        default=0,
        ge=0,
        description="Model steps whose output stayed invalid after the bounded reask; those fields use the "
        "speaker's own words instead.",
    )
    item_filter: str | None = Field(
        default=None,
        description="The classifier that checked the rules' action items (doubted ones become flags), or None when "
        "it did not run (not installed, switched off, or talk other than English).",
    )


SectionName = Literal[
    "summary",
    "okr_progress",
    "contributions",
    "improvement_areas",
    "development_plan",
    "behaviour_observations",
    "action_items",
    "previous_action_items",
]
SECTION_NAMES: tuple[SectionName, ...] = get_args(SectionName)
"""The draft's cited sections, in template order; every consumer iterates these instead of listing them."""


class ReviewDraft(StrictModel):
    """The structured review a manager and an employee edit, agree on and sign."""

    schema_version: str = Field(default=SCHEMA_VERSION, description="Version of this schema.")
    meeting_date: dt.date = Field(description="Date of the review meeting.")
    language: str = Field(default="en", description="Main language of the meeting.")
    employee: str | None = Field(default=None, description="Employee's name, when known.")
    manager: str | None = Field(default=None, description="Manager's name, when known.")
    summary: list[SummaryPoint] = Field(default_factory=list, description="Overall summary points.")
    okr_progress: list[OkrProgress] = Field(default_factory=list, description="OKR/KPI progress.")
    contributions: list[Contribution] = Field(default_factory=list, description="Contributions.")
    improvement_areas: list[ImprovementArea] = Field(default_factory=list, description="Improvement areas.")
    development_plan: list[DevelopmentGoal] = Field(default_factory=list, description="Development plan.")
    behaviour_observations: list[BehaviourObservation] = Field(
        default_factory=list, description="Behaviour observations per competency."
    )
    action_items: list[ActionItem] = Field(default_factory=list, description="Action items.")
    previous_action_items: list[PreviousActionReview] = Field(
        default_factory=list, description="Status of open items carried over from the previous review."
    )
    review_flags: list[ReviewFlag] = Field(
        default_factory=list,
        description="Injection attempts and pay/promotion/rating promises for a human to decide, with evidence.",
    )
    generator: GeneratorInfo | None = Field(default=None, description="What produced this draft.")

    def cited_items(self) -> list[Cited]:
        """Every item that carries evidence, in section order."""
        return [item for name in SECTION_NAMES for item in getattr(self, name)]


# --------------------------------------------------------------------------- review


class ReviewState(StrEnum):
    """Lifecycle states of a review; transitions live in copilot.domain.lifecycle."""

    draft = "draft"
    in_review = "in_review"
    partially_signed = "partially_signed"
    signed = "signed"
    reopened = "reopened"
    expired = "expired"


class Role(StrEnum):
    """What a user may do; object scoping lives in copilot.domain.permissions."""

    employee = "employee"
    manager = "manager"
    hr = "hr"
    auditor = "auditor"
    admin = "admin"


class UserPublic(StrictModel):
    """A user as shown to other users (no secrets)."""

    id: str = Field(description="User id (UUID).")
    name: str = Field(description="Display name.")
    email: str = Field(description="Unique email address.")
    role: Role = Field(description="Role.")
    manager_id: str | None = Field(default=None, description="Id of this user's manager, if any.")
    active: bool = Field(default=True, description="False once disabled.")


class ReviewPublic(StrictModel):
    """A review with its current state and latest draft version."""

    id: str = Field(description="Review id (UUID).")
    employee_id: str = Field(description="Id of the employee reviewed.")
    manager_id: str = Field(description="Id of the reviewing manager.")
    state: ReviewState = Field(description="Lifecycle state.")
    meeting_date: dt.date = Field(description="Date of the review meeting.")
    version: int = Field(ge=1, description="Number of the latest version.")
    draft: ReviewDraft = Field(description="Content of the latest version.")
    transcript_id: str | None = Field(default=None, description="Id of the source transcript.")
    created_at: dt.datetime = Field(description="When the review was created (UTC).")
    deadline_at: dt.datetime | None = Field(default=None, description="Signing deadline (UTC), once sent.")


JobState = Literal["queued", "running", "done", "failed", "cancelled"]


class JobPublic(StrictModel):
    """A durable unit of background work (transcribe, draft, sync)."""

    id: str = Field(description="Job id (UUID).")
    kind: str = Field(description="What the job does.")
    state: JobState = Field(description="queued, running, done, failed or cancelled.")
    progress: float = Field(ge=0.0, le=1.0, description="Fraction done, 0..1.")
    error: str | None = Field(default=None, description="Why it failed, when it failed.")
    result: dict[str, str] | None = Field(default=None, description="Ids of what the job produced.")
