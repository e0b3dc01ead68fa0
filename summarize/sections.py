"""Fill template sections: rules pick the sentences, the model writes short fields, code checks them.

Each generative step sees one cited sentence with a little context, so a small
model has a small job and the evidence is fixed by code before the model runs.
A field the model writes that is not supported by the excerpt (too few of its
content words occur there) is replaced by the speaker's own words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, ConfigDict, Field

from copilot.schema import (
    BehaviourObservation,
    Cited,
    Contribution,
    DevelopmentGoal,
    Evidence,
    ImprovementArea,
    OkrProgress,
    OkrStatus,
    SummaryPoint,
)
from prompts.loader import load_prompt
from summarize.llm import ModelHandle
from summarize.structured import Usage, generate
from summarize.template import ReviewTemplate, SectionSpec
from summarize.text import Sentence, overlap

FAITHFUL_OVERLAP = 0.5  # share of a generated field's content words that must occur in the excerpt
TIMEFRAME = re.compile(
    r"\b(?:this|next)\s+(?:half|quarter|year|month|week)\b|\bby\s+(?:the\s+)?end\s+of\s+\w+(?:\s+\w+)?|"
    r"\bin\s+(?:the\s+)?(?:next\s+)?\w+\s+(?:months?|weeks?)\b|\bstarting\s+\w+\s+\w+|"
    r"(?:下|这|這|本)(?:个|個)?(?:季度|月|半年)|今年",
    re.I,
)
STATUS_CUES: list[tuple[re.Pattern[str], OkrStatus]] = [
    (re.compile(r"\b(?:done|finished|completed|shipped|launched|delivered|hit|achieved|met)\b|完成|达成|達成", re.I),
     "done"),
    (re.compile(r"\b(?:behind|missed|slipp\w*|late|not (?:yet )?(?:there|met))\b|落后|落後|延迟|延遲", re.I), "behind"),
    (re.compile(r"\b(?:at risk|risky|blocked|worried)\b|风险|風險", re.I), "at_risk"),
    (re.compile(r"\b(?:on track|ahead|going well|progressing)\b|正常|顺利|順利", re.I), "on_track"),
]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SummaryOut(_Out):
    text: str = Field(min_length=3, max_length=240, description="One sentence summarising this part.")


class OkrOut(_Out):
    objective: str = Field(min_length=2, max_length=100, description="The objective or key result, in a few words.")
    status: OkrStatus = Field(description="done, on_track, at_risk, behind or not_discussed.")
    note: str = Field(max_length=240, description="One short sentence on the progress.")


class ContributionOut(_Out):
    statement: str = Field(min_length=3, max_length=240, description="What the employee achieved, one sentence.")


class ImprovementOut(_Out):
    area: str = Field(min_length=2, max_length=80, description="The area to improve, two to five words.")


class DevelopmentOut(_Out):
    goal: str = Field(min_length=2, max_length=120, description="The development goal in a few words.")
    actions: list[str] = Field(default_factory=list, max_length=3, description="Up to three concrete actions.")


class BehaviourOut(_Out):
    competency: str = Field(min_length=2, max_length=40, description="The competency shown.")
    observation: str = Field(min_length=3, max_length=240, description="The observed behaviour, one sentence.")


@dataclass(frozen=True)
class Context:
    """What every section step needs besides the sentence itself."""

    handle: ModelHandle | None
    sentences: list[Sentence]
    meeting_date: dt.date
    employee: str
    manager: str
    prompt_version: str
    max_retries: int
    usage: Usage
    extra_context: str = ""


def excerpt(sents: list[Sentence], focus: Sentence | None, *, before: int = 2, after: int = 1) -> str:
    """Delimited, numbered transcript lines around `focus` (the whole list when no focus)."""
    if focus is None:
        window = sents
    else:
        window = sents[max(0, focus.index - before) : focus.index + after + 1]
    lines = []
    for s in window:
        mark = ">>> " if focus is not None and s.index == focus.index else ""
        text = s.text.replace("</transcript>", "</ transcript>").replace("<transcript>", "< transcript>")
        lines.append(f'{mark}[{s.segment_id}] {s.speaker}: "{text}"')
    return "\n".join(lines)


def _ask(ctx: Context, prompt_name: str, output: type[_Out], values: dict[str, str]) -> _Out | None:
    if ctx.handle is None:
        return None
    system = load_prompt("system", ctx.prompt_version).render()
    human = load_prompt(prompt_name, ctx.prompt_version).render(
        employee=ctx.employee, manager=ctx.manager, meeting_date=ctx.meeting_date.isoformat(), **values
    )
    return generate(ctx.handle, [SystemMessage(content=system), HumanMessage(content=human)], output,
                    max_retries=ctx.max_retries, max_tokens=160, usage=ctx.usage)


def _faithful(value: str, source: str) -> bool:
    return bool(value.strip()) and overlap(value, source) >= FAITHFUL_OVERLAP


def _shorten(text: str, limit: int = 80) -> str:
    text = re.split(r"[,;:，；：]", text, maxsplit=1)[0].strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _evidence(sent: Sentence) -> list[Evidence]:
    return [Evidence(segment_id=sent.segment_id, quote=sent.text)]


def _status_from_text(text: str) -> OkrStatus:
    for pattern, status in STATUS_CUES:
        if pattern.search(text):
            return status
    return "on_track"


def build_item(spec: SectionSpec, sent: Sentence, ctx: Context) -> Cited:
    """One section item for one routed sentence: the model drafts, code checks and cites."""
    src = excerpt(ctx.sentences, sent)
    values = {"section_title": spec.title, "instruction": spec.instruction, "excerpt": src,
              "extra_context": ctx.extra_context}
    ev = _evidence(sent)
    if spec.field == "okr_progress":
        out = _ask(ctx, "section_item", OkrOut, values)
        objective = out.objective if isinstance(out, OkrOut) and _faithful(out.objective, src) else _shorten(sent.text)
        note = out.note if isinstance(out, OkrOut) and _faithful(out.note, src) else sent.text
        status = _status_from_text(sent.text)  # the rule, not the model: measured more reliable
        return OkrProgress(objective=objective, status=status, note=note, evidence=ev)
    if spec.field == "contributions":
        out = _ask(ctx, "section_item", ContributionOut, values)
        ok = isinstance(out, ContributionOut) and _faithful(out.statement, src)
        return Contribution(statement=out.statement if ok and isinstance(out, ContributionOut) else sent.text,
                            evidence=ev)
    if spec.field == "improvement_areas":
        out = _ask(ctx, "section_item", ImprovementOut, values)
        area = out.area if isinstance(out, ImprovementOut) and _faithful(out.area, src) else _shorten(sent.text, 60)
        return ImprovementArea(area=area, behavioural_example=sent.text, evidence=ev)
    if spec.field == "development_plan":
        out = _ask(ctx, "section_item", DevelopmentOut, values)
        goal = out.goal if isinstance(out, DevelopmentOut) and _faithful(out.goal, src) else _shorten(sent.text)
        actions = [a for a in out.actions if _faithful(a, src)] if isinstance(out, DevelopmentOut) else []
        timeframe = TIMEFRAME.search(sent.text)
        return DevelopmentGoal(goal=goal, actions=actions, timeframe=timeframe.group(0) if timeframe else None,
                               evidence=ev)
    out = _ask(ctx, "section_item", BehaviourOut, values)
    ok = isinstance(out, BehaviourOut)
    competency = out.competency if ok and isinstance(out, BehaviourOut) else "general"
    observation = out.observation if ok and isinstance(out, BehaviourOut) and _faithful(out.observation, src) \
        else sent.text
    return BehaviourObservation(competency=competency.lower(), observation=observation, evidence=ev)


def route(template: ReviewTemplate, sents: list[Sentence], *, skip: frozenset[int]) -> dict[str, list[Sentence]]:
    """Sentences per section field by the template's cue patterns, capped at each section's max_items."""
    routed: dict[str, list[Sentence]] = {}
    for spec in template.sections:
        picked = [s for s in sents if s.index not in skip and spec.pattern.search(s.text)]
        routed[spec.field] = picked[: spec.max_items]
    return routed


def fill_sections(
    template: ReviewTemplate,
    ctx: Context,
    *,
    skip: frozenset[int],
    progress: Callable[[], None] | None = None,
) -> dict[str, list[Cited]]:
    """Items for every section of the template."""
    filled: dict[str, list[Cited]] = {}
    routed = route(template, ctx.sentences, skip=skip)
    for spec in template.sections:
        items: list[Cited] = []
        for sent in routed[spec.field]:
            items.append(build_item(spec, sent, ctx))
            if progress:
                progress()
        filled[spec.field] = items
    return filled


def summarise_topics(topics: list[list[Sentence]], ctx: Context, *, limit: int) -> list[SummaryPoint]:
    """One summary point per topic (the largest topics first), each citing its most supported sentence."""
    points: list[SummaryPoint] = []
    ranked = sorted(topics, key=lambda t: -sum(len(s.text) for s in t))[:limit]
    for topic in sorted(ranked, key=lambda t: t[0].index):
        src = excerpt(topic, None)
        out = _ask(ctx, "summary", SummaryOut, {"excerpt": src})
        longest = max(topic, key=lambda s: len(s.text))
        if isinstance(out, SummaryOut) and _faithful(out.text, src):
            best = max(topic, key=lambda s: overlap(out.text, s.text) if isinstance(out, SummaryOut) else 0.0)
            points.append(SummaryPoint(text=out.text, evidence=_evidence(best)))
        else:
            points.append(SummaryPoint(text=longest.text, evidence=_evidence(longest)))
    return points

