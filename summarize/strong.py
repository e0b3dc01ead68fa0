"""Strong tier: with a capable endpoint the model also checks and adds action items and suggests levels.

Runs only when the handle is `strong` (setting `llm_tier`; 'auto' means openai endpoints). The embedded 135M
model did not beat the rules at these jobs, so by default they stay off. Each step is one schema-constrained
call through `structured.generate` (bounded reask), and code decides what survives:

a. verify each rule candidate in context: keep/drop (a drop removes the item only with `llm_verify_drops`:
   Qwen2.5-Coder-1.5B's drops were mostly wrong on dev meetings, see README); a corrected task only if the
   cited words support it, or the words of one nearby shown line, which is then cited ("I'll send them over" ->
   "Send the August leave dates"); a due date the rules missed only if the model quotes the date words
   verbatim and the deterministic resolver resolves them. The owner stays the rules' (grammar decides "I'll"
   and "can you"; measured below);
b. recover missed (undated, implicit) commitments: the quote must be verbatim in the segment named, which must
   have been shown and not screened as an injection; duplicates of known items and pay/promotion/rating promises
   are skipped; kept items are flagged `model_proposed`;
c. "we"/"let's" owners: the model picks among the participants (schema enum, checked again in code);
d. suggested levels per template competency, from the template's scale, stored only in `suggested_level`
   (never a rating) and dropped unless every cited quote verifies.

Output that never validates skips that step for that item; a rule item left unchecked is flagged
`model_unchecked`. An endpoint failure (timeout, error) during these optional steps stops them: the draft
stands on the rules, every remaining rule item is flagged `model_unchecked`, and `usage.failures` says why.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field, create_model

from copilot.domain.dates import resolve_due
from copilot.errors import ModelUnavailable
from copilot.schema import ActionItem, BehaviourObservation, Evidence, Flag, ReviewDraft, Transcript
from summarize.commitments import Candidate, Participants
from summarize.safety import is_compensation
from summarize.sections import Context, ask_model, excerpt
from summarize.text import Sentence, content_words, is_cjk, overlap
from summarize.topics import segment_topics

log = logging.getLogger(__name__)

TASK_SUPPORT = 0.75  # share of a model-written task's content words that the cited segment(s) must contain
DUPLICATE = 0.6  # content-word overlap at which a recovered item repeats a known one
MAX_RECOVERED = 8  # recovered items per draft
MAX_LEVEL_SENTENCES = 8  # sentences shown per competency
MAX_FOCUS_SPAN = 6  # merged sentences further than this from a candidate's first one are not shown with it
# output budgets per call (tokens): room for the schema's longest valid answer, so replies are not cut off
VERIFY_TOKENS = 120
OWNER_TOKENS = 40
RECOVER_TOKENS = 360
LEVEL_TOKENS = 200
UNCLEAR = "unclear"
NO_SUGGESTION = "no_suggestion"
M = TypeVar("M", bound=BaseModel)


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Strings carry no maxLength: llama.cpp turns it into a grammar that made decoding ~4x slower per token (measured
# with SmolLM2); lengths need no schema anyway, because code checks every string against the transcript.
MAX_TASK_CHARS = 120


class VerifyOut(_Out):
    decision: Literal["keep", "drop"] = Field(description="keep: a real commitment for after the meeting; else drop.")
    owner: str = Field(description="Who does it: one of the participants.")
    task: str = Field(description="The task in a few words from the transcript.")
    due_phrase: str = Field(default="", description="The due date words exactly as said, or empty.")


class ProposedItem(_Out):
    segment_id: int = Field(ge=0, description="The segment number in [brackets] where it was said.")
    quote: str = Field(description="Words copied exactly from that segment.")
    owner: str = Field(description="Who does it: one of the participants.")
    task: str = Field(description="The task in a few words from the transcript.")
    due_phrase: str = Field(default="", description="The due date words exactly as said, or empty.")


class RecoverOut(_Out):
    items: list[ProposedItem] = Field(default_factory=list, max_length=3, description="Missed commitments.")


class QuoteOut(_Out):
    segment_id: int = Field(ge=0, description="The segment number in [brackets].")
    quote: str = Field(description="Words copied exactly from that segment.")


def _choice(name: str, options: list[str], description: str, **fields: Any) -> type[_Out]:
    """An output model whose `choice` field is an enum of `options`, so decoding itself is constrained."""
    literal = cast(Any, Literal)[tuple(options)]
    model = create_model(name, __base__=_Out, **fields, choice=(literal, Field(description=description)))
    return cast(type[_Out], model)


def owner_model(participants: list[str]) -> type[_Out]:
    return _choice("OwnerOut", [*participants, UNCLEAR], "Who does it: one of the participants, or 'unclear'.")


def level_model(scale: list[str]) -> type[_Out]:
    ev: tuple[Any, Any] = (list[QuoteOut], Field(default_factory=list, max_length=2, description="Up to two quotes."))
    return _choice("LevelOut", [*scale, NO_SUGGESTION], "A level from the scale, or 'no_suggestion'.", evidence=ev)


@dataclass
class StrongReport:
    """What the strong steps did (counts only: transcript text never goes to logs)."""

    checked: int = 0
    dropped: int = 0  # the model judged the item no commitment
    drops_declined: int = 0  # ... and the item stayed, because the endpoint may not drop (`llm_verify_drops`)
    owners_changed: int = 0  # "we" items given a participant
    owner_disagreements: int = 0  # the model named another owner for a rule item; the rules' owner stays
    tasks_changed: int = 0
    references_resolved: int = 0  # tasks whose object the model named from a nearby line ("them" -> what)
    dates_added: int = 0
    recovered: int = 0
    levels: int = 0
    rejected: dict[str, int] = field(default_factory=dict)  # reason -> model proposals code refused
    unchecked: int = 0  # calls whose output never validated

    def reject(self, reason: str) -> None:
        self.rejected[reason] = self.rejected.get(reason, 0) + 1


@dataclass
class _Scope:
    """The transcript facts every step checks model output against."""

    ctx: Context
    transcript: Transcript
    participants: Participants
    injected_segments: frozenset[int]
    private_segments: frozenset[int] = frozenset()  # health, family, ...: never the source of another item's words
    down: bool = False  # the endpoint failed (timeout, error) during these optional steps: skip the rest

    @property
    def speakers(self) -> list[str]:
        return list(self.participants.speakers)

    def owner(self, name: str) -> str | None:
        """The participant label `name` refers to (a speaker label, or the employee's/manager's name), else None."""
        low = name.strip().lower()
        if not low:
            return None
        aliases: dict[str, str] = {s.lower(): s for s in self.speakers}
        for role, person in (("employee", self.participants.employee), ("manager", self.participants.manager)):
            if person and role in self.speakers:
                aliases.setdefault(person.strip().lower(), role)
                aliases.setdefault(person.strip().lower().split()[0], role)
        return aliases.get(low)

    def supported(self, text: str, segment_ids: list[int]) -> bool:
        """Enough of `text`'s content words occur in the cited segments (participant labels count as said).

        Words compare by a crude stem, so "renew" is supported by "renewal" and "sends" by "send".
        """
        words = {_stem(w) for w in content_words(text)}
        if not words or len(text) > MAX_TASK_CHARS:
            return False
        said = [seg.text for i in segment_ids if (seg := self.transcript.segment(i)) is not None]
        people = [*self.speakers, self.participants.employee or "", self.participants.manager or ""]
        source = {_stem(w) for w in content_words(" ".join([*said, *people]))}
        return len(words & source) / len(words) >= TASK_SUPPORT

    def reference(self, text: str, cited: list[int], window: list[Sentence]) -> Sentence | None:
        """The one shown sentence that, cited with the item, supports a task its own sentences do not.

        "I'll send them over" names its object elsewhere: the model may name it, but only with words of a
        line it was shown; that line must be no injection attempt and no private remark, and it is then cited.
        The sentence adding most of the task's words wins (nearest to the item on ties).
        """
        words = {_stem(w) for w in content_words(text)}
        best: tuple[int, int, Sentence] | None = None
        first = min((s.index for s in window if s.segment_id in cited), default=0)
        for sent in window:
            seg = sent.segment_id
            if seg in cited or seg in self.injected_segments or seg in self.private_segments:
                continue
            if not self.supported(text, [*cited, seg]):
                continue
            gained = len(words & {_stem(w) for w in content_words(sent.text)})
            rank = (gained, -abs(sent.index - first))
            if best is None or rank > best[:2]:
                best = (*rank, sent)
        return best[2] if best else None

    def verbatim(self, segment_id: int, quote: str, shown: set[int]) -> str | None:
        """The quote when it is verbatim in a shown, unscreened segment and says something, else None."""
        quote = quote.strip().strip('"“”')
        seg = self.transcript.segment(segment_id)
        if seg is None or segment_id not in shown or segment_id in self.injected_segments:
            return None
        if not quote or quote not in seg.text:
            return None
        if len(content_words(quote)) < (2 if not is_cjk(quote) else 1):
            return None
        return quote

    def due(self, phrase: str, sents: list[Sentence]) -> dt.date | None:
        """A due date only from date words quoted verbatim from the shown lines and resolved by the rules' resolver."""
        phrase = phrase.strip()
        if not phrase or not any(phrase in s.text for s in sents if s.index not in self.ctx.skip):
            return None
        return resolve_due(phrase, self.ctx.meeting_date)

    def ask(self, prompt: str, output: type[M], values: dict[str, str], max_tokens: int) -> M | None:
        """One schema-constrained call; None when the output never validated (the caller skips and flags)."""
        if self.down:
            return None
        try:
            return ask_model(
                self.ctx, prompt, output, {"participants": ", ".join(self.speakers), **values}, max_tokens=max_tokens
            )
        except ModelUnavailable as exc:  # the draft stands on the rules; one line, no transcript text
            self.down = True
            self.ctx.usage.failures.append(f"strong tier stopped: {str(exc).splitlines()[0][:200]}")
            log.warning("strong tier stopped after an endpoint failure; the rules' draft stands")
            return None


SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "als", "al", "ers", "er", "ed", "es", "s")


def _stem(word: str) -> str:
    """Drop one common English suffix and a final 'e' (enough to match a task's words to what was said)."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def _flag(item: ActionItem | BehaviourObservation, flag: Flag) -> None:
    if flag not in item.flags:
        item.flags.append(flag)


def _key(item: ActionItem) -> tuple[str, str, tuple[tuple[int, str], ...]]:
    return item.owner, item.task, tuple((e.segment_id, e.quote) for e in item.evidence)


def _rule_candidates(found: Sequence[Candidate], draft: ReviewDraft) -> dict[int, Candidate]:
    """The rules' candidate behind each action item (by position); items held back as flags have none."""
    # the item shows the task with its topic ("Send them over (the leave dates)"): match on what it shows
    by_key = {(c.owner, c.full_task, tuple((e.segment_id, e.quote) for e in c.evidence)): c for c in found}
    return {i: by_key[_key(item)] for i, item in enumerate(draft.action_items) if _key(item) in by_key}


def _focus(cand: Candidate) -> set[int]:
    """The candidate's sentences near its first one: a repeat merged from far away would make the excerpt huge."""
    first = cand.sentence.index
    return {i for i in cand.merged_sentences if abs(i - first) <= MAX_FOCUS_SPAN} | {first}


def _window(ctx: Context, focus: set[int], before: int = 3, after: int = 2) -> list[Sentence]:
    lo, hi = min(focus), max(focus)
    return [s for s in ctx.sentences if lo - before <= s.index <= hi + after and s.index not in ctx.skip]


def verify(scope: _Scope, item: ActionItem, cand: Candidate, report: StrongReport) -> bool:
    """Step a: False when the model drops the candidate; otherwise corrections that pass code's checks apply."""
    ctx = scope.ctx
    focus = _focus(cand)
    window = _window(ctx, focus)
    out = scope.ask(
        "strong_verify",
        VerifyOut,
        {
            "owner": item.owner,
            "task": ctx.redact(item.task),
            "excerpt": excerpt(ctx.sentences, focus, redact=ctx.redact, skip=ctx.skip, before=3, after=2),
        },
        max_tokens=VERIFY_TOKENS,
    )
    if out is None:
        report.unchecked += 1
        _flag(item, Flag.model_unchecked)
        return True
    report.checked += 1
    if out.decision == "drop":
        report.dropped += 1
        return False
    cited = [e.segment_id for e in item.evidence]
    # Owners stay the rules': "I'll ..." is the speaker's, "can you ..." the addressee's, "Sam will ..." Sam's.
    # They were right on 99.7% of matched items in the eval; the two owner changes Qwen2.5-Coder-1.5B made on
    # three dev meetings were both wrong. A disagreement is only counted. "We" owners are step c's job.
    if cand.kind != "we" and (owner := scope.owner(out.owner)) is not None and owner != item.owner:
        report.owner_disagreements += 1
    task = out.task.strip()
    if task and task != item.task:
        if scope.supported(task, cited):
            item.task = task
            report.tasks_changed += 1
        elif (source := scope.reference(task, cited, window)) is not None:
            # "I'll send them over by Monday" -> "Send the August leave dates": the words come from a shown line,
            # which the item now cites too, so a reader sees where the task's object was named
            item.task = task
            item.evidence.append(Evidence(segment_id=source.segment_id, quote=source.text))
            report.tasks_changed += 1
            report.references_resolved += 1
        else:
            report.reject("task not supported")
    if item.due is None and out.due_phrase.strip():
        due = scope.due(out.due_phrase, window)
        if due is None:
            report.reject("date not quoted or not resolved")
        else:
            item.due = due
            report.dates_added += 1
            _flag(item, Flag.model_proposed)
    return True


def resolve_we(scope: _Scope, item: ActionItem, cand: Candidate, report: StrongReport) -> None:
    """Step c: who does what 'we'/'let's' will do, chosen among the participants only."""
    ctx = scope.ctx
    focus = _focus(cand)
    out = scope.ask(
        "strong_owner",
        owner_model(scope.speakers),
        {
            "task": ctx.redact(item.task),
            "excerpt": excerpt(ctx.sentences, focus, redact=ctx.redact, skip=ctx.skip, before=3, after=2),
        },
        max_tokens=OWNER_TOKENS,
    )
    if out is None:
        report.unchecked += 1
        _flag(item, Flag.model_unchecked)
        return
    choice = str(getattr(out, "choice", UNCLEAR))
    if choice == UNCLEAR:
        return
    owner = scope.owner(choice)
    if owner is None:  # the enum already prevents this; code does not rely on it
        report.reject("owner not a participant")
    elif owner != item.owner:
        item.owner = owner
        report.owners_changed += 1
        _flag(item, Flag.model_proposed)


def _duplicate(quote: str, segment_id: int, owner: str, task: str, known: list[ActionItem]) -> bool:
    for other in known:
        for ev in other.evidence:
            if ev.segment_id == segment_id and (
                quote in ev.quote or ev.quote in quote or overlap(quote, ev.quote) >= DUPLICATE
            ):
                return True
        if other.owner == owner and overlap(task, other.task) >= DUPLICATE:
            return True
    return False


def recover(scope: _Scope, draft: ReviewDraft, dropped: list[ActionItem], report: StrongReport) -> None:
    """Step b: commitments the rules missed, each with a verbatim quote code checks, flagged `model_proposed`."""
    ctx = scope.ctx
    for topic in segment_topics(ctx.sentences):
        shown_sents = [s for s in topic if s.index not in ctx.skip]
        if not shown_sents or report.recovered >= MAX_RECOVERED:
            continue
        shown = {s.segment_id for s in shown_sents}
        known = "\n".join(f"- {a.owner}: {ctx.redact(a.task)}" for a in draft.action_items[:15]) or "- (none)"
        out = scope.ask(
            "strong_recover",
            RecoverOut,
            {"known": known, "excerpt": excerpt(shown_sents, None, redact=ctx.redact, skip=ctx.skip)},
            max_tokens=RECOVER_TOKENS,
        )
        if out is None:
            report.unchecked += 1
            continue
        for prop in out.items:
            quote = scope.verbatim(prop.segment_id, prop.quote, shown)
            owner = scope.owner(prop.owner)
            task = prop.task.strip()
            seg_sents = [s for s in shown_sents if s.segment_id == prop.segment_id]
            reference = None  # "Yeah, I'll do them": the line that names what "them" is, cited with the quote
            if seg_sents and not scope.supported(task, [prop.segment_id]):
                near = _window(ctx, {s.index for s in seg_sents})
                reference = scope.reference(task, [prop.segment_id], [s for s in near if s.segment_id in shown])
            if quote is None:
                report.reject("quote not verbatim in a shown segment")
            elif owner is None:
                report.reject("owner not a participant")
            elif not scope.supported(task, [prop.segment_id]) and reference is None:
                report.reject("task not supported")
            elif is_compensation(quote) or is_compensation(task):  # people decide these, as for rule items
                report.reject("pay, promotion or rating")
            elif _duplicate(quote, prop.segment_id, owner, task, [*draft.action_items, *dropped]):
                report.reject("duplicate")
            elif report.recovered < MAX_RECOVERED:
                evidence = [Evidence(segment_id=prop.segment_id, quote=quote)]
                if reference is not None:
                    evidence.append(Evidence(segment_id=reference.segment_id, quote=reference.text))
                    report.references_resolved += 1
                draft.action_items.append(
                    ActionItem(
                        owner=owner,
                        task=task,
                        due=scope.due(prop.due_phrase, seg_sents),
                        evidence=evidence,
                        flags=[Flag.model_proposed],
                    )
                )
                report.recovered += 1


def suggest_levels(scope: _Scope, draft: ReviewDraft, report: StrongReport) -> None:
    """Step d: per competency, a level from the template's scale with cited evidence, as a suggestion only."""
    ctx = scope.ctx
    scale = list(ctx.template.scale)
    if not scale:
        return
    output = level_model(scale)
    for competency, cue in ctx.template.competencies.items():
        pattern = re.compile(cue, re.I)
        existing = next((b for b in draft.behaviour_observations if b.competency == competency), None)
        cited = {e.segment_id for e in existing.evidence} if existing else set()
        matched = [
            s for s in ctx.sentences if s.index not in ctx.skip and (pattern.search(s.text) or s.segment_id in cited)
        ][:MAX_LEVEL_SENTENCES]
        if not matched:
            continue  # nothing said about it: no suggestion, no call
        near = {i for s in matched for i in (s.index - 1, s.index, s.index + 1)}
        shown_sents = [s for s in ctx.sentences if s.index in near and s.index not in ctx.skip]
        out = scope.ask(
            "strong_level",
            output,
            {
                "competency": competency,
                "scale": ", ".join(scale),
                "excerpt": excerpt(shown_sents, None, redact=ctx.redact, skip=ctx.skip),
            },
            max_tokens=LEVEL_TOKENS,
        )
        if out is None:
            report.unchecked += 1
            continue
        level = str(getattr(out, "choice", NO_SUGGESTION))
        quotes: list[QuoteOut] = list(getattr(out, "evidence", []))
        if level == NO_SUGGESTION:
            continue
        shown = {s.segment_id for s in shown_sents}
        checked = [scope.verbatim(q.segment_id, q.quote, shown) for q in quotes]
        if level not in scale or not quotes or any(q is None for q in checked):
            report.reject("level evidence not verbatim")
            continue
        evidence = [Evidence(segment_id=q.segment_id, quote=v) for q, v in zip(quotes, checked, strict=True) if v]
        if existing is None:
            existing = BehaviourObservation(competency=competency, observation=evidence[0].quote, evidence=[])
            draft.behaviour_observations.append(existing)
        existing.suggested_level = level
        existing.evidence.extend(e for e in evidence if e not in existing.evidence)
        _flag(existing, Flag.model_proposed)
        report.levels += 1


def strengthen(
    ctx: Context,
    draft: ReviewDraft,
    transcript: Transcript,
    participants: Participants,
    *,
    candidates: Sequence[Candidate] = (),
    private_segments: frozenset[int] = frozenset(),
) -> StrongReport:
    """Run the strong-tier steps on a drafted review in place; a no-op unless the model is strong."""
    report = StrongReport()
    if ctx.handle is None or not ctx.handle.strong:
        return report
    injected = frozenset(s.segment_id for s in ctx.sentences if s.index in ctx.skip)
    scope = _Scope(
        ctx=ctx,
        transcript=transcript,
        participants=participants,
        injected_segments=injected,
        private_segments=private_segments,
    )
    cands = _rule_candidates(candidates, draft)
    kept: list[ActionItem] = []
    dropped: list[ActionItem] = []
    for i, item in enumerate(draft.action_items):
        cand = cands.get(i)
        if cand is None:
            kept.append(item)
            continue
        if not verify(scope, item, cand, report):
            if ctx.handle.drops:
                dropped.append(item)
                continue
            report.drops_declined += 1  # counted only: measured, the 1.5B model's drops removed more true items
            kept.append(item)
            continue
        if cand.kind == "we":
            resolve_we(scope, item, cand, report)
        kept.append(item)
    draft.action_items = kept
    recover(scope, draft, dropped, report)
    suggest_levels(scope, draft, report)
    log.info(
        "strong tier: checked=%d dropped=%d (kept %d) owners=%d (disagreed %d) tasks=%d (references %d) dates=%d "
        "recovered=%d levels=%d unchecked=%d rejected=%s",
        report.checked,
        report.dropped,
        report.drops_declined,
        report.owners_changed,
        report.owner_disagreements,
        report.tasks_changed,
        report.references_resolved,
        report.dates_added,
        report.recovered,
        report.levels,
        report.unchecked,
        report.rejected,
    )
    return report
