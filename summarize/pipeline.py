"""The drafting pipeline: transcript → cited `ReviewDraft`, in small checkable steps.

1. sentences (verbatim spans) and safety screening (injection, sensitive remarks);
2. action items by rules (cues, owners, dates, withdrawal, merging); no model:
   SmolLM2 asked yes/no about candidate sentences was at or below chance, far
   below the rules (benchmarks/summarization.py measures it on both splits);
   on English talk an embedding classifier then turns the items it doubts into
   flags for a person (summarize/item_filter.py, measured on unseen meetings);
3. topics (cohesion + size cap, which is also the chunking for long meetings);
4. template sections: rules route and extract; a capable model rewrites fields (a meeting drafted as a short
   check-in gets no section that judges the person: summarize/meeting_kind.py);
5. summary per topic; KPI pre-fill and previous action items;
6. code verifies every quote and flags what it cannot verify.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from copilot.ports import ProgressCallback
from copilot.schema import (
    ActionItem,
    Evidence,
    GeneratorInfo,
    KpiPrefill,
    OkrProgress,
    ReviewDraft,
    ReviewFlag,
    Segment,
    Transcript,
)
from copilot.settings import Settings
from summarize.commitments import Candidate, Participants, extract, laughed_at_sentences
from summarize.evidence import verify_draft
from summarize.item_filter import ItemFilter, ItemFilterUnavailable
from summarize.kpi import KpiRow, attach, kpi_context, prefill
from summarize.llm import ModelHandle, build_chat_model
from summarize.meeting_kind import MeetingKind, RequestedKind, check_in_announcement
from summarize.meeting_kind import meeting_kind as told_kind
from summarize.previous import review_previous
from summarize.safety import Redactor, enforce, hold_compensation, mark_sensitive, no_redaction, screen
from summarize.sections import (
    Context,
    fill_sections,
    measured_or_worrying,
    route,
    says_status,
    summarise_topics,
)
from summarize.strong import strengthen
from summarize.structured import Usage
from summarize.template import ReviewTemplate, load_template
from summarize.text import sentences
from summarize.topics import segment_topics

PIPELINE_VERSION = "summarize/1"
# What a check-in leaves empty: judgements about the person belong to a review. Its progress talk ("we're at
# seventy-eight percent of the quarter target") stays: check-in authors list it as OKR progress too.
REVIEW_ONLY_SECTIONS = frozenset({"contributions", "improvement_areas", "development_plan", "behaviour_observations"})
log = logging.getLogger(__name__)


def to_action_item(cand: Candidate) -> ActionItem:
    return ActionItem(owner=cand.owner, task=cand.full_task, due=cand.due, evidence=list(cand.evidence))


def check_in_flag(
    template: ReviewTemplate, talk: Sequence[Segment], requested: RequestedKind, private: frozenset[int]
) -> ReviewFlag:
    """Tell the people signing that the review sections were left empty on purpose, and how to get them.

    It cites the opening that called the meeting a check-in, unless that turn holds a private remark.
    """
    left_out = [spec.title for spec in template.sections if spec.field in REVIEW_ONLY_SECTIONS]
    sections = ", ".join(left_out) or "the review sections"
    announced = check_in_announcement(talk)
    if requested == "check_in":
        why = "it was asked for"
    elif announced is None:
        why = "it is short and its opening names no review"
    else:
        why = "it opens as one and is short"
    return ReviewFlag(
        kind="drafted_as_check_in",
        reason=(
            f"Drafted as a short check-in ({why}): summary, progress and action items only; {sections} were left "
            "empty. "
            "If it was a review, draft it again as one (--meeting-kind review, meeting_kind=review on the upload, or "
            "COPILOT_MEETING_KIND=review)."
        ),
        evidence=[Evidence(segment_id=announced.id, quote=announced.text)]
        if announced and requested == "auto" and announced.id not in private
        else [],
    )


@dataclass
class ReviewDrafter:
    """Implements the `Drafter` port; `handle=None` drafts with rules and extracts only."""

    handle: ModelHandle | None
    template: ReviewTemplate
    prompt_version: str = "v1"
    max_retries: int = 2
    kpi_threshold_pct: float = 15.0
    redact_pii: bool = False
    item_filter: ItemFilter | None = None
    meeting_kind: RequestedKind = "auto"
    usage: Usage = field(default_factory=Usage)

    @property
    def write_sections(self) -> bool:
        """Capable models rewrite section fields; the tiny default only writes summary points (measured)."""
        return self.handle is not None and not self.handle.small

    def draft(
        self,
        transcript: Transcript,
        *,
        meeting_date: dt.date,
        employee: str | None = None,
        manager: str | None = None,
        progress: ProgressCallback | None = None,
        kpis: Sequence[KpiRow | KpiPrefill] | None = None,
        previous: list[ActionItem] | None = None,
        meeting_kind: RequestedKind | None = None,
    ) -> ReviewDraft:
        requested = meeting_kind or self.meeting_kind  # what the person recording said, else the configured default
        sents = sentences(transcript)
        speakers = tuple(dict.fromkeys(s.speaker for s in transcript.segments))
        participants = Participants(speakers=speakers, employee=employee, manager=manager)
        screening = screen(sents)
        skip = screening.injected

        # a sensitive remark is never another item's topic; "Oh, the August leave." before it in the turn may be,
        # and an item citing that turn is marked private all the same (mark_sensitive works per segment)
        private = screening.sensitive_sentences
        commitments = extract(sents, participants, meeting_date, excluded=skip, private=private)
        found = [to_action_item(c) for c in commitments]
        actions, held = hold_compensation(found)  # pay, promotion, rating: a flag for people, never a task
        doubted: list[ReviewFlag] = []
        checked_by = None
        # an injected turn is no context: neither the filter nor the meeting kind reads the payload
        clean = [s for s in transcript.segments if s.id not in screening.injected_segments]
        kind: MeetingKind = told_kind(clean, requested)
        if kind == "check_in":
            doubted.append(check_in_flag(self.template, clean, requested, screening.sensitive_segments))
        if self.item_filter is not None and transcript.language.lower().startswith("en"):  # trained on English only
            actions, more_doubted = self.item_filter.split(actions, clean, kind)
            doubted += more_doubted
            checked_by = self.item_filter.name

        prefills = [k if isinstance(k, KpiPrefill) else prefill(k, self.kpi_threshold_pct) for k in kpis or []]
        topics = segment_topics(sents)
        promised = frozenset(i for c in commitments for i in c.merged_sentences)
        # a remark the other person laughs at is no contribution or improvement area either
        routed = route(self.template, sents, skip=skip | laughed_at_sentences(sents), promised=promised)
        if kind == "check_in":  # its chit-chat would fill the review sections ("Someday I'd like to try for lead")
            routed = {name: [] if name in REVIEW_ONLY_SECTIONS else groups for name, groups in routed.items()}
        total_steps = sum(len(v) for v in routed.values()) + min(len(topics), self.template.summary.max_points) + 1
        done = 0

        def step() -> None:
            nonlocal done
            done += 1
            if progress:
                progress(min(done / total_steps, 0.99))

        names = tuple(n for n in (employee, manager) if n)
        ctx = Context(
            handle=self.handle,
            template=self.template,
            sentences=sents,
            meeting_date=meeting_date,
            employee=employee or "the employee",
            manager=manager or "the manager",
            prompt_version=self.prompt_version,
            max_retries=self.max_retries,
            usage=self.usage,
            write_sections=self.write_sections,
            redact=Redactor(names) if self.redact_pii else no_redaction,
            skip=skip,
            extra_context={"okr_progress": kpi_context(prefills)},
        )
        failures_before = len(self.usage.failures)
        filled = fill_sections(ctx, routed, progress=step)
        okrs = [i for i in filled.pop("okr_progress", []) if isinstance(i, OkrProgress)]
        if kind == "check_in":  # "Your read rate's ninety-four this month" in passing reports no objective
            okrs = [o for o in okrs if says_status(o) and measured_or_worrying(o)]
        summary = summarise_topics(topics, ctx, limit=self.template.summary.max_points, skip=skip)
        draft = ReviewDraft(
            meeting_date=meeting_date,
            language=transcript.language,
            employee=employee,
            manager=manager,
            summary=summary,
            okr_progress=attach(okrs, prefills),
            action_items=actions,
            previous_action_items=review_previous(previous or [], sents, skip=skip),
            generator=GeneratorInfo(
                pipeline=PIPELINE_VERSION,
                model=self.handle.name if self.handle else "none",
                prompt_version=self.prompt_version,
                template=self.template.name,
                model_fallbacks=len(self.usage.failures) - failures_before,
                item_filter=checked_by,
            ),
            **filled,
        )
        strengthen(
            ctx, draft, transcript, participants, candidates=commitments, private_segments=screening.sensitive_segments
        )  # strong tier only: model checks, recovered items, levels
        for item in draft.action_items:  # last: the filter and the strong tier know the tasks in role words
            item.task = participants.name_roles(item.task)
        verify_draft(draft, transcript)
        enforce(draft, screening, [*held, *doubted])  # nothing may cite an injection attempt; flags go to a human
        mark_sensitive(draft, screening.sensitive_segments)
        if progress:
            progress(1.0)
        return draft


def build_drafter(settings: Settings, *, template: str = "default") -> ReviewDrafter:
    """The drafter configured by settings: llama.cpp in process, an OpenAI-compatible endpoint, or rules only."""
    handle = None if settings.effective_llm_backend == "none" else build_chat_model(settings)
    redact = settings.llm_redact_pii
    if redact is None:
        redact = handle is not None and not handle.local
    item_filter = None
    if settings.item_filter:
        try:
            item_filter = ItemFilter.load()
        except ItemFilterUnavailable as exc:  # an optional extra: draft without it, and say so
            log.warning("action items are not checked by the classifier: %s", exc)
    return ReviewDrafter(
        handle=handle,
        template=load_template(template),
        prompt_version=settings.prompt_version,
        max_retries=settings.llm_max_retries,
        kpi_threshold_pct=settings.kpi_deviation_threshold_pct,
        redact_pii=redact,
        item_filter=item_filter,
        meeting_kind=settings.meeting_kind,
    )
