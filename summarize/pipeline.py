"""The drafting pipeline: transcript → cited `ReviewDraft`, in small checkable steps.

1. sentences (verbatim spans) and safety screening (injection, sensitive remarks);
2. action items by rules (cues, owners, dates, withdrawal, merging), no model;
3. topics (cohesion + size cap, which is also the chunking for long meetings);
4. template sections: rules route sentences, the model writes short fields;
5. summary per topic; KPI pre-fill and previous action items;
6. code verifies every quote and flags what it cannot verify.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from copilot.ports import ProgressCallback
from copilot.schema import ActionItem, GeneratorInfo, ReviewDraft, Transcript
from copilot.settings import Settings
from summarize.commitments import Candidate, Participants, extract
from summarize.evidence import verify_draft
from summarize.llm import ModelHandle, build_chat_model
from summarize.sections import Context, fill_sections, route, summarise_topics
from summarize.structured import Usage
from summarize.template import ReviewTemplate, load_template
from summarize.text import sentences
from summarize.topics import segment_topics

PIPELINE_VERSION = "summarize/1"


def to_action_item(cand: Candidate) -> ActionItem:
    return ActionItem(owner=cand.owner, task=cand.task, due=cand.due, evidence=list(cand.evidence))


@dataclass
class ReviewDrafter:
    """Implements the `Drafter` port; the model handle is optional (None = rules and extracts only)."""

    handle: ModelHandle | None
    template: ReviewTemplate
    prompt_version: str = "v1"
    max_retries: int = 2
    usage: Usage = field(default_factory=Usage)

    def draft(
        self,
        transcript: Transcript,
        *,
        meeting_date: dt.date,
        employee: str | None = None,
        manager: str | None = None,
        progress: ProgressCallback | None = None,
    ) -> ReviewDraft:
        sents = sentences(transcript)
        speakers = tuple(dict.fromkeys(s.speaker for s in transcript.segments))
        participants = Participants(speakers=speakers, employee=employee, manager=manager)
        skip: frozenset[int] = frozenset()

        actions = [to_action_item(c) for c in extract(sents, participants, meeting_date, excluded=skip)]

        topics = segment_topics(sents)
        routed = route(self.template, sents, skip=skip)
        total_steps = sum(len(v) for v in routed.values()) + min(len(topics), self.template.summary.max_points) + 1
        done = 0

        def step() -> None:
            nonlocal done
            done += 1
            if progress:
                progress(min(done / total_steps, 0.99))

        ctx = Context(
            handle=self.handle, sentences=sents, meeting_date=meeting_date, employee=employee or "the employee",
            manager=manager or "the manager", prompt_version=self.prompt_version, max_retries=self.max_retries,
            usage=self.usage,
        )
        filled = fill_sections(self.template, ctx, skip=skip, progress=step)
        summary = summarise_topics(topics, ctx, limit=self.template.summary.max_points)
        draft = ReviewDraft(
            meeting_date=meeting_date,
            language=transcript.language,
            employee=employee,
            manager=manager,
            summary=summary,
            action_items=actions,
            generator=GeneratorInfo(
                pipeline=PIPELINE_VERSION,
                model=self.handle.name if self.handle else "none",
                prompt_version=self.prompt_version,
                template=self.template.name,
            ),
            **filled,  # type: ignore[arg-type]
        )
        verify_draft(draft, transcript)
        if progress:
            progress(1.0)
        return draft


def build_drafter(settings: Settings, *, template: str = "default") -> ReviewDrafter:
    """The drafter configured by settings: llama.cpp in process, an OpenAI-compatible endpoint, or rules only."""
    handle = None if settings.effective_llm_backend == "none" else build_chat_model(settings)
    return ReviewDrafter(
        handle=handle,
        template=load_template(template),
        prompt_version=settings.prompt_version,
        max_retries=settings.llm_max_retries,
    )
