"""Fill template sections: rules pick the sentences, the model writes short fields, code checks them.

Each generative step sees one cited sentence with a little context, so a small
model has a small job and the evidence is fixed by code before the model runs.
A field the model writes that is not supported by the sentences its item cites
(too few of its content words occur there) is replaced by the speaker's own
words; the context window the model saw does not count as support.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, ConfigDict, Field

from copilot.errors import SummaryError
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
from summarize.safety import no_redaction
from summarize.structured import M, Usage, generate
from summarize.template import ReviewTemplate, SectionSpec
from summarize.text import ACKNOWLEDGEMENTS, TOPIC_LEAD, Sentence, content_words, overlap, unsupported_anchors

FAITHFUL_OVERLAP = 0.5  # share of a generated field's content words that must occur in the excerpt
SUMMARY_OVERLAP = 0.7  # stricter for free-form summary sentences
MIN_TOPIC_WORDS = 8  # a topic with fewer content words (greetings, small talk) gets no summary point
TIMEFRAME = re.compile(
    r"\b(?:this|next)\s+(?:half|quarter|year|month|week)\b|\bby\s+(?:the\s+)?end\s+of\s+\w+(?:\s+\w+)?|"
    r"\bin\s+(?:the\s+)?(?:next\s+)?\w+\s+(?:months?|weeks?)\b|\bstarting\s+\w+\s+\w+|"
    r"(?:下|这|這|本)(?:个|個)?(?:季度|月|半年)|今年",
    re.I,
)
STATUS_CUES: list[tuple[re.Pattern[str], OkrStatus]] = [
    (
        # "Well done." is praise, not a status
        re.compile(
            r"\b(?<!well\s)(?:done|finished|completed|shipped|launched|delivered|hit|achieved|met)\b|完成|达成|達成",
            re.I,
        ),
        "done",
    ),
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
    """What every section step needs besides the sentences it works on."""

    handle: ModelHandle | None
    template: ReviewTemplate
    sentences: list[Sentence]
    meeting_date: dt.date
    employee: str
    manager: str
    prompt_version: str
    max_retries: int
    usage: Usage
    write_sections: bool = False  # let the model write section fields (capable models only)
    redact: Callable[[str], str] = no_redaction
    skip: frozenset[int] = frozenset()  # sentences that must never reach a prompt (injection attempts)
    extra_context: dict[str, str] = field(default_factory=dict)


def excerpt(
    sents: list[Sentence],
    focus: set[int] | None = None,
    *,
    redact: Callable[[str], str] = no_redaction,
    skip: frozenset[int] = frozenset(),
    before: int = 2,
    after: int = 1,
) -> str:
    """Delimited, quoted transcript lines around the `focus` sentences (all of `sents` when no focus).

    Delimiter look-alikes inside the data are defused so a speaker cannot close the data block.
    """
    if focus:
        lo, hi = min(focus), max(focus)
        window = [s for s in sents if lo - before <= s.index <= hi + after]
    else:
        window = sents
    lines = []
    for s in window:
        if s.index in skip:
            continue
        mark = ">>> " if focus and s.index in focus else ""
        text = redact(s.text).replace("<", "‹").replace(">", "›")
        lines.append(f'{mark}[{s.segment_id}] {s.speaker}: "{text}"')
    return "\n".join(lines)


def ask_model(
    ctx: Context, prompt_name: str, output: type[M], values: dict[str, str], *, max_tokens: int = 160
) -> M | None:
    """One schema-constrained call on a versioned prompt; None without a model or when the output never validated."""
    if ctx.handle is None:
        return None
    system = load_prompt("system", ctx.prompt_version).render()
    human = load_prompt(prompt_name, ctx.prompt_version).render(
        employee=ctx.redact(ctx.employee),
        manager=ctx.redact(ctx.manager),
        meeting_date=ctx.meeting_date.isoformat(),
        **values,
    )
    try:
        return generate(
            ctx.handle,
            [SystemMessage(content=system), HumanMessage(content=human)],
            output,
            max_retries=ctx.max_retries,
            max_tokens=max_tokens,
            usage=ctx.usage,
        )
    except SummaryError:
        # Invalid output after the bounded reask (recorded in usage.failures): this one field falls back to the
        # speaker's own words instead of failing the whole draft. Endpoint errors are other classes and propagate.
        return None


def _checked(
    ctx: Context, value: str | None, source: str, fallback: str, *, threshold: float = FAITHFUL_OVERLAP
) -> str:
    """The model's value when `source` (the cited sentences) supports it, else the extractive fallback (counted).

    Support = enough shared content words and no number, date, period or negation the source does not say.
    """
    if value is None:
        return fallback
    if value.strip() and overlap(value, source) >= threshold and not unsupported_anchors(value, source):
        ctx.usage.accepted += 1
        return value.strip()
    ctx.usage.rejected += 1
    return fallback


def supported_by(ctx: Context, cited: list[Sentence]) -> str:
    """The text a generated statement must be grounded in: the sentences it cites (as sent, and as said).

    The participants' names count as support, so "Priya finished ..." for "I finished ..." is not rejected.
    """
    said = " ".join(s.text for s in cited)
    return f"{said} {ctx.redact(said)} {ctx.employee} {ctx.manager}"


def cover(text: str, candidates: list[Sentence], *, limit: int = 3) -> list[Sentence]:
    """The fewest sentences (at most `limit`, greedy) that together hold the most of `text`'s content words."""
    wanted = content_words(text)
    chosen: list[Sentence] = []
    while wanted and len(chosen) < limit:
        best = max(candidates, key=lambda s: len(wanted & content_words(s.text)), default=None)
        if best is None or not wanted & content_words(best.text):
            break
        chosen.append(best)
        wanted -= content_words(best.text)
    return sorted(chosen, key=lambda s: s.index)


def _shorten(text: str, limit: int = 80) -> str:
    """The first clause that says something: 'One more thing, I'd like to…' skips the filler before the comma."""
    clauses = [c.strip() for c in re.split(r"[,;:，；：]|\s+(?:but|though|and)\s+", text) if c.strip()]
    text = next((c for c in clauses if len(c.split()) >= 4 or not c.isascii()), clauses[0] if clauses else text)
    text = text.rstrip(".!?。！？")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


OBJECTIVE = re.compile(
    r"\b(?:the|our|your|my)\s+((?:[\w-]+\s+){0,4}?(?:goal|target|objective|key result|kpi|okr|"
    r"migration|project|launch|rollout))\b",
    re.I,
)
AREA = re.compile(
    r"\b(?:improve(?:ment)?|work\s+on|better\s+at|focus\s+on)\s+(?:is\s+|are\s+|on\s+|in\s+)*"
    r"((?:your\s+|the\s+)?[\w\s-]{3,60}?)(?:[.,;!?]|$)",
    re.I,
)
GROWTH = re.compile(
    r"\b(?:grow|improve|develop|build|learn|strengthen)\s+(?:my\s+|your\s+|the\s+)?"
    r"([\w\s-]{3,60}?)(?:\s+(?:this|next|by|in|starting)\b|[.,;!?]|$)",
    re.I,
)


# "the thirty-five target", "our 95% goal": a number names no objective
_NUMBER_WORDS = (
    "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand"
    "|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen"
)
_NUMBERISH = re.compile(rf"^(?:[\d.,%]+|(?:{_NUMBER_WORDS}|percent|per|cent)(?:-\w+)?)$", re.I)
_LEAD = r"^\W*(?:(?:and|so|okay|ok|right|now|then)[,\s]+)*"  # "So, ", "And ", "Right, now ": words before a name
# "And time-to-fill, I looked at the dashboard": the metric is named first, before the comma (or a dash)
_NAMED_FIRST = re.compile(_LEAD + r"(?P<name>[\w-]+(?:\s+[\w-]+){0,6}?)\s*(?:,|\s[\u2013\u2014])", re.I)


_TARGET_SAID = re.compile(
    rf"\btarget(?:['\u2019]s)?\s+(?:is|was|of|at|under|over)?\s*(?:\d+|\w+ty|\w+\s+percent|zero|a\s+hundred"
    rf"|{_NUMBER_WORDS})\b",
    re.I,
)


# "the objective for pipeline reliability" -> "pipeline reliability"
_OBJECTIVE_FOR = re.compile(
    r"\b(?:objective|goal|target|okr|kpi|key\s+result)\s+(?:for|on|of|around)\s+(?:the\s+|our\s+|your\s+)?"
    r"(?P<name>[\w-]+(?:\s+[\w-]+){0,4}?)\s*(?:[,.;:!?]|$|\s+(?:is|are|was|we|we're|that|it)\b)",
    re.I,
)
# "The churn model is done", "First response time is at risk": the subject of the status names the objective
_SUBJECT_STATUS = re.compile(
    r"^\s*(?:(?:so|and|but|well|okay|right|yeah)[,\s]+)*(?:the\s+|our\s+|your\s+|my\s+)?"
    r"(?P<name>[\w-]+(?:\s+[\w-]+){0,4}?)(?:\s+(?:is|are|was|were)|['\u2019]s)\s+(?:\w+\s+){0,2}?"
    r"(?:on\s+track|behind|at\s+risk|done|finished|complete|ahead|fine|at\s+(?:\d|\w+ty|\w+\s+percent))",
    re.I,
)
_GENERIC_OBJECTIVES = frozenset({"target", "goal", "objective", "okr", "kpi", "key result", "metric", "milestone"})
_ARTICLE = re.compile(r"^(?:the|our|your)\s+", re.I)
_NOT_A_TOPIC = re.compile(
    r"\b(?:i|i'm|i've|i'd|me|you|you're|we|we're|it|it's|that|that's|this|they|he|she|there|what|why|who|where"
    r"|which|how|when)\b"
    r"|\b(?:behind|on\s+track|at\s+risk|done|ahead)\b",
    re.I,
)
_TOPIC_TAIL = re.compile(r"[,\s]+(?:yeah|though|first|then|please|now)$", re.I)  # "OTIF first", "Callbacks, though"


# words that answer or praise and name no metric: "eighty-five, yes", "going good, boss", "quick one today"
_NAMES_NOTHING = frozenset(
    "grand mostly going good boss work quick one today still counts duw aye point last week weeks month months "
    "day days year years".split()
)
# praise, greetings and meeting talk: "Lush.", "Great stuff.", "Fair question.", "Fire away.", "Objectives.",
# "So, mid-year review." name no objective either
_SMALL_TALK = frozenset(
    "lush stuff fantastic excellent wonderful superb smashing ace cheers sweet bless love god agree question bother "
    "hi hello hiya sounds fire away go nothing formal busy screen share objectives goals targets kpis okrs review "
    "mid-year year-end catch-up now currently look thing things everything".split()
)
# a period, a scope or a count names no objective either: "your annual goal", "the target for the year", "So first,"
_SCOPE_WORDS = frozenset(
    "annual quarterly yearly monthly weekly quarter season branch team company store overall first second third "
    "next".split()
)


def _names_something(phrase: str) -> bool:
    """'Toil reduction', 'NVQ units' name a topic; 'Oh', 'Six, yeah', 'Less great', 'Eight months, aye' do not."""
    words = phrase.split()
    if not words or all(_NUMBERISH.match(w.strip(",")) for w in words):
        return False
    named = {w for w in content_words(phrase) if not _NUMBERISH.match(w)}
    return bool(named - ACKNOWLEDGEMENTS - _GENERIC_OBJECTIVES - _NAMES_NOTHING - _SCOPE_WORDS - _SMALL_TALK)


_CLAUSE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would)\b", re.I)


def _metric_name(phrase: str, *, said_target: bool) -> bool:
    """A phrase that names a metric. After a bare "target is ninety" it must not be the target itself ("Target
    was ninety-five percent") or a clause ("We are at sixty-eight")."""
    if not _names_something(phrase) or _CLAUSE.search(phrase):  # "The other one was waste, ..." is a clause
        return False
    first = phrase.split()[0].lower()  # "Fifty lessons, we've shipped ...", "Out of forty colonies, ...": figures
    if _NUMBERISH.match(first) or first in ("out", "target", "target's", "goal", "cap", "limit"):
        return False
    return not said_target or not (_NOT_A_TOPIC.search(phrase) or re.search(r"\b(?:target|goal)", phrase, re.I))


OKR_TOPIC_SENTENCE_WORDS = 10  # "Onboard sales is the bad one." names a topic; a long statement does not
OKR_TOPIC_LOOKBACK = 8  # sentences before a status ("Behind.") searched for the objective it is about
OKR_TOPIC_WORDS = 8  # a topic is a short phrase ("Toil reduction?"); longer sentences are statements


# "Which brings us to Nomad.", "Right, on to the supplier database." (not "I'll pass it on to Sarah.")
_BRINGS_US_TO = re.compile(
    r"(?:\bbrings?\s+us\s+to|^\W*(?:(?:okay|ok|right|so|and|now)[,\s]+)*(?:moving\s+|let's\s+move\s+)?on\s+to)"
    r"\s+(?:the\s+|our\s+|your\s+)?"
    r"(?P<name>[\w-]+(?:\s+[\w-]+){0,4}?)\s*[.?!]?$",
    re.I,
)
# "Ramp safety. Target zero ground damage incidents", "Activation. Where are we?" "The target is thirty-eight
# percent": figures or a target after a topic mark it as the objective being reported on
_FIGURE_TALK = re.compile(
    rf"\d|\b(?:target|goal|objective|kpi|okr|percent|per\s*cent|zero|half|(?:{_NUMBER_WORDS})(?:-\w+)?)\b", re.I
)
OKR_FIGURE_LOOKAHEAD = 1  # sentences after a topic searched for the figures that mark it


# "Objective one: landing zone for the new AWS organization, ...", "Two: everything in Terraform."
_NUMBERED_OBJECTIVE = re.compile(
    _LEAD + r"(?:(?:objective|goal|okr|key\s+result)\s+)?"
    r"(?:one|two|three|four|five|[1-5])\s*:\s*(?:the\s+|our\s+|your\s+)?(?P<name>[^,;.?!]+)",
    re.I,
)
# "The big one was the condition survey of ...", "The other one was waste, ...": the subject only counts the
# objectives; the name comes after the verb
_COUNTING_SUBJECT = re.compile(
    r"^(?:(?:big|bigger|biggest|main|other|next|first|second|third|last|hard|harder|tricky|trickier|easy|easier)"
    r"\s+(?:one|bit|thing|part|item)|first\s+thing|next\s+thing)$",
    re.I,
)
# "Let's start with lost mileage, because ...", "Onboarding paperwork first, because that's the good news."
_STARTS_WITH = re.compile(
    r"\b(?:start|begin|kick\s+off)\s+with\s+(?P<name>[^,;.?!]+?)(?=\s+(?:because|since|as)\b|[,;.?!]|$)"
    r"|" + _LEAD + r"(?P<first>[\w-]+(?:\s+[\w-]+){0,5}?)\s+first\s*(?:[,;.]|$)",
    re.I,
)
_FIGURE_FIRST = re.compile(rf"(?:at\s+)?(?:\d|(?:{_NUMBER_WORDS})(?:-\w+)?\b)", re.I)
# "How's the seat going?", "How're the girls getting on with the picking rates?": the question names the topic
_ASKED_ABOUT = re.compile(
    r"\bhow(?:['\u2019]s|['\u2019]re|\s+is|\s+are)\s+(?:the\s+|your\s+|our\s+)?(?P<name>[\w-]+(?:\s+[\w-]+){0,3}?)"
    r"\s+(?:going|coming\s+(?:on|along)|looking)\b"
    r"|\bgetting\s+on\s+with\s+(?:the\s+|your\s+|our\s+)?(?P<with>[\w-]+(?:\s+[\w-]+){0,3}?)\s*[?.!]",
    re.I,
)
NAME_WORDS = 7  # "condition survey of the whole print collection": longer is a statement, not a name


def _name_after(text: str) -> str | None:
    """The named part of `text`: up to its first comma, without an article, if it is short enough."""
    name = _ARTICLE.sub("", re.split(r"[,;:.?!]", text, maxsplit=1)[0].strip())
    return name if 1 <= len(name.split()) <= NAME_WORDS and _names_something(name) else None


def _measured_subject(clause: str) -> str | None:
    """'Harm-free care was ninety-six point two for October': the subject a figure is given for, else None."""
    parts = re.split(r"\s+(?:is|are|was|were)\s+", clause.strip(), maxsplit=1)
    if len(parts) == 2 and _FIGURE_FIRST.match(parts[1]) and len(parts[0].split()) <= NAME_WORDS:
        name = _ARTICLE.sub("", TOPIC_LEAD.sub("", parts[0]))
        return name if _metric_name(name, said_target=True) else None
    return None


def _topic_phrase(back: Sentence) -> tuple[str, str] | None:
    """The objective a short sentence names, and the words after it, else None."""
    brought = _BRINGS_US_TO.search(back.text)
    if brought is not None and _names_something(brought["name"]):
        return brought["name"], ""
    asked = _ASKED_ABOUT.search(back.text)
    if asked is not None and (name := _name_after(asked["name"] or asked["with"])) is not None:
        return name, back.text[asked.end() :]
    started = _STARTS_WITH.search(back.text)
    if started is not None and (name := _name_after(started["name"] or started["first"])) is not None:
        return name, back.text[started.end() :]
    numbered = _NUMBERED_OBJECTIVE.match(back.text)
    if numbered is not None and (name := _name_after(numbered["name"])) is not None:
        return name, back.text  # its count ("Two:") marks it as an objective reported on, as figures do
    named_first = _NAMED_FIRST.match(back.text)
    if (
        named_first is not None
        and (_TARGET_SAID.search(back.text) or _FIGURE_TALK.search(back.text[named_first.end() :]))
        and _metric_name(named_first["name"], said_target=True)
    ):  # "Bag drop times, target under four minutes per passenger, you're averaging three-forty."
        # "Medication errors, on the other hand, zero since October."
        return named_first["name"], back.text[named_first.end() :]
    sentence = _ARTICLE.sub("", TOPIC_LEAD.sub("", back.text)).strip().rstrip("?.!…").strip()
    parts = re.split(r"\s+(?:is|are|was|were)\s+", sentence, maxsplit=1)  # "Onboard sales is the bad one"
    if len(parts) == 2 and _COUNTING_SUBJECT.match(parts[0]) and (name := _name_after(parts[1])) is not None:
        return name, parts[1][len(name) :]
    if (measured := _measured_subject(sentence)) is not None:
        return measured, sentence[len(measured) :]
    phrase = _TOPIC_TAIL.sub("", parts[0])
    if not 1 <= len(phrase.split()) <= OKR_TOPIC_WORDS or len(sentence.split()) > OKR_TOPIC_SENTENCE_WORDS:
        return None
    if _NOT_A_TOPIC.search(phrase) or not back.text.isascii() or not _names_something(phrase):
        return None
    if re.match(r"(?:target|goal|aim)s?\b", phrase, re.I):  # "Target under two hundred open tickets": the figure
        return None
    return (phrase[0].lower() + phrase[1:] if phrase[:2].istitle() else phrase), sentence[len(parts[0]) :]


def _okr_topic(sents: list[Sentence], skip: frozenset[int], status: Sentence) -> tuple[str, Sentence] | None:
    """'Toil reduction?' - 'Behind.': the short phrase that named the objective before its status.

    Since the last status said (the objective before), a topic followed by figures or a target wins over a nearer
    one ("First contact resolution. Target seventy percent." over "Ha, divine intervention."); else the nearest.
    Where the manager names topics, the employee's short replies ("Calm, innit.", "Sent Friday.") are none: on the
    dev reviews the manager said 214 of the 233 short sentences that opened a matched OKR's evidence.
    """
    found: list[tuple[str, Sentence, bool]] = []
    block_start = -1
    for back in sents[max(0, status.index - OKR_TOPIC_LOOKBACK) : status.index][::-1]:
        if back.index in skip:
            continue
        if (
            block_start < 0
            and status.segment_id - back.segment_id > 1
            and any(p.search(back.text) for p, _ in STATUS_CUES)
        ):
            block_start = back.index
        topic = _topic_phrase(back)
        if topic is None:
            continue
        following = sents[back.index + 1 : min(back.index + 1 + OKR_FIGURE_LOOKAHEAD, status.index + 1)]
        figures = any(_FIGURE_TALK.search(t) for t in (topic[1], *(s.text for s in following)))
        found.append((topic[0], back, figures))
    if not found:
        return None
    block = [f for f in found if f[1].index > block_start]
    if any(f[1].speaker == "manager" for f in found):  # the one running the review names the objectives
        found = [f for f in found if f[1].speaker != "employee"]
        block = [f for f in block if f[1].speaker != "employee"]
    pick = next((f for f in block if f[2]), (block or found)[0])
    return pick[0], pick[1]


# ", that's done", ", the other objective, that is finished", ", that one's behind": a status of what came first
_BARE_STATUS = re.compile(
    r"\s*(?:[^,]{3,40},\s*)?(?:that|that\s+one|this\s+one|it)(?:['\u2019]s|\s+is)\s+(?:all\s+|now\s+|still\s+)?"
    r"(?:done|finished|completed?|behind|on\s+track|at\s+risk|ahead)\b",
    re.I,
)


def _okr_name(sents: list[Sentence], skip: frozenset[int], group: list[Sentence]) -> tuple[str, Sentence | None]:
    """The objective a status talks about, and the sentence that named it when that is not the status itself.

    In order: "the objective for X" -> X; "the onboarding revamp project"; the status's subject ("The churn
    model is done"); a metric named first in the same turn ("And time-to-fill, ... the thirty-five target");
    the topic raised just before ("Toil reduction?" - "Behind."); else the status's first clause.
    """
    joined = " ".join(s.text for s in group)
    named_for = _OBJECTIVE_FOR.search(joined)
    if named_for is not None and _names_something(named_for["name"]):
        return named_for["name"], None
    match = OBJECTIVE.search(joined)
    if (
        match is not None
        and _names_something(match.group(1))
        and match.group(1).strip().lower() not in _GENERIC_OBJECTIVES
    ):
        words = match.group(1).split()
        if not all(_NUMBERISH.match(w) for w in words[:-1]):
            return match.group(1).strip(), None
    for sent in group:  # "CTG competency, that's done, you passed in December.": named first, then its status
        named_first = _NAMED_FIRST.match(sent.text)
        rest = sent.text[named_first.end() :] if named_first is not None else ""
        if named_first is not None and _BARE_STATUS.match(rest) and _metric_name(named_first["name"], said_target=True):
            return named_first["name"], None
    # "The churn model is done"; "It's fine, month-end's all on track": the subject of a clause
    for clause in re.split(r"(?<=[,;.?!])\s+", joined):
        subject = _SUBJECT_STATUS.match(clause)
        if subject is not None and _names_something(subject["name"]) and not _NOT_A_TOPIC.search(subject["name"]):
            return subject["name"], None
        if (measured := _measured_subject(clause)) is not None:
            return measured, None
    first = group[0]
    # "the thirty-five target", "Attach rate, you're twenty-eight percent, target is twenty-five": the metric named
    # first, here or just before in the turn
    lead = sents[first.index - 1] if _lead(sents, first) else None
    if match is not None or _TARGET_SAID.search(joined) or (lead is not None and _TARGET_SAID.search(lead.text)):
        for text, source in ((joined, None), (lead.text if lead else "", lead)):
            named_first = _NAMED_FIRST.match(text)
            if named_first is not None and _metric_name(named_first["name"], said_target=match is None):
                return named_first["name"], source
    topic = _okr_topic(sents, skip, first)
    if topic is not None:
        return topic
    return _shorten(joined), None


def _evidence(sents: list[Sentence]) -> list[Evidence]:
    return [Evidence(segment_id=s.segment_id, quote=s.text) for s in sents]


def says_status(okr: OkrProgress) -> bool:
    """Whether what the item cites says a status ("on track", "behind", "done"), not only figures.

    On the dev check-ins, dropping the items from figures alone removed 11 of the 18 that matched no gold
    objective, and 2 of the 8 that did.
    """
    return any(pattern.search(e.quote) for e in okr.evidence for pattern, _ in STATUS_CUES)


def measured_or_worrying(okr: OkrProgress) -> bool:
    """Whether the item cites a figure or a target, or says the objective is behind or at risk.

    In a check-in "on track" and "done" are also said of errands ("month-end's all on track", "And the crew change
    on the Maersk one?" - "Done"); an objective reported there comes with its figure or a worry.
    """
    return okr.status in ("behind", "at_risk") or any(_FIGURE_TALK.search(e.quote) for e in okr.evidence)


def _status_from_text(text: str) -> OkrStatus:
    """The status said; "done" only when no other is, because "the hourly checks done and signed ... behind" and
    "That's done and dusted, ... So open rate, on track" say done of a part (dev statuses right: 309 -> 315 of 337)."""
    said = [status for pattern, status in STATUS_CUES if pattern.search(text)]
    return next((s for s in said if s != "done"), said[0] if said else "on_track")


def _lead(sents: list[Sentence], first: Sentence) -> str:
    """The sentence before `first` in the same segment (same speaker, same turn), else ''."""
    before = sents[first.index - 1] if first.index > 0 else None
    return before.text if before is not None and before.segment_id == first.segment_id else ""


def build_item(spec: SectionSpec, group: list[Sentence], ctx: Context) -> Cited:
    """One section item from one group of routed sentences: rules extract, a capable model rewrites, code checks."""
    first = group[0]
    joined = " ".join(s.text for s in group)
    src = excerpt(ctx.sentences, {s.index for s in group}, redact=ctx.redact, skip=ctx.skip)
    values = {
        "section_title": spec.title,
        "instruction": spec.instruction,
        "excerpt": src,
        "extra_context": ctx.extra_context.get(spec.field, ""),
    }
    ev = _evidence(group)
    support = supported_by(ctx, group)  # what the model writes is checked against what the item cites, not the window
    if spec.field == "okr_progress":
        name, named_in = _okr_name(ctx.sentences, ctx.skip, group)
        if named_in is not None:  # the objective's name is cited where it was said ("Toil reduction?")
            ev = _evidence([named_in, *group])
            support = supported_by(ctx, [named_in, *group])
        okr = ask_model(ctx, "section_item", OkrOut, values) if ctx.write_sections else None
        return OkrProgress(
            objective=_checked(ctx, okr.objective if okr else None, support, name),
            status=_status_from_text(joined),  # rules: status words are explicit, a small model guesses
            note=_checked(ctx, okr.note if okr else None, support, joined),
            evidence=ev,
        )
    if spec.field == "contributions":
        con = ask_model(ctx, "section_item", ContributionOut, values) if ctx.write_sections else None
        return Contribution(statement=_checked(ctx, con.statement if con else None, support, joined), evidence=ev)
    if spec.field == "improvement_areas":
        imp = ask_model(ctx, "section_item", ImprovementOut, values) if ctx.write_sections else None
        area_match = AREA.search(first.text)
        area = area_match.group(1).strip() if area_match else _shorten(first.text, 60)
        example = next((s.text for s in group if not AREA.search(s.text)), joined)
        return ImprovementArea(
            area=_checked(ctx, imp.area if imp else None, support, area), behavioural_example=example, evidence=ev
        )
    if spec.field == "development_plan":
        dev = ask_model(ctx, "section_item", DevelopmentOut, values) if ctx.write_sections else None
        growth = GROWTH.search(first.text) or GROWTH.search(joined)
        goal = _checked(
            ctx, dev.goal if dev else None, support, growth.group(1).strip() if growth else _shorten(first.text)
        )
        rule_actions = [s.text for s in group[1:]]
        model_actions = [
            a
            for a in (dev.actions if dev else [])
            if overlap(a, support) >= FAITHFUL_OVERLAP and not unsupported_anchors(a, support)
        ]
        timeframe = TIMEFRAME.search(joined)
        return DevelopmentGoal(
            goal=goal,
            actions=model_actions or rule_actions,
            timeframe=timeframe.group(0) if timeframe else None,
            evidence=ev,
        )
    beh = ask_model(ctx, "section_item", BehaviourOut, values) if ctx.write_sections else None
    competency = ctx.template.competency_of(joined)
    if beh and beh.competency.strip().lower() in ctx.template.competencies:
        competency = beh.competency.strip().lower()
    return BehaviourObservation(
        competency=competency or "general",
        observation=_checked(ctx, beh.observation if beh else None, support, joined),
        evidence=ev,
    )


GROUPED_SECTIONS = frozenset({"improvement_areas", "development_plan"})
# sections whose items are statements about the employee: a question or a bare header is none of them
STATEMENT_SECTIONS = frozenset({"contributions", "improvement_areas", "development_plan", "behaviour_observations"})
_HEADER_FILLER = re.compile(r"\b(?:okay|ok|so|right|um+|uh+|erm|well|yeah|and|then|oh|whatever|now)\b", re.I)
_HEADER_WORD = re.compile(r"[A-Za-z0-9'’]+|[\u3400-\u9fff]")


def _no_statement(text: str) -> bool:
    """A question asks for an item rather than stating one; a bare header ("Training.", "Growth, whatever.") only
    names the topic, and "Of course." said on its own is neither."""
    if text.rstrip().endswith(("?", "？")):
        return True
    return len(_HEADER_WORD.findall(_HEADER_FILLER.sub(" ", text))) <= 2


def route(
    template: ReviewTemplate,
    sents: list[Sentence],
    *,
    skip: frozenset[int],
    promised: frozenset[int] = frozenset(),
) -> dict[str, list[list[Sentence]]]:
    """Sentence groups per section by the template's cues, capped at each section's max_items.

    Improvement areas and development goals take the next sentence or two with them (the behavioural
    example, the concrete step), because people name the area first and give the example next.
    `promised` sentences made action items: work still to do is no contribution ("I'll forward it to you when
    Karen's finished it" is not something finished).
    """
    routed: dict[str, list[list[Sentence]]] = {}
    for spec in template.sections:
        picked = [s for s in sents if s.index not in skip and template.routes(spec, s.text)]
        if spec.field in STATEMENT_SECTIONS:
            picked = [s for s in picked if not _no_statement(s.text)]
        if spec.field in ("contributions", "improvement_areas", "behaviour_observations"):  # work to do, not done
            picked = [s for s in picked if s.index not in promised]
        if spec.field == "okr_progress":  # "Can you write a plan to get latency under 2 seconds?" is no status
            picked = [
                s
                for s in picked
                if not _question_without_status(s.text)
                and not (s.speaker == "manager" and _MANAGER_OWN_STATUS.search(s.text))
            ]
            chosen = {s.index for s in picked}
            picked += [s for s in _done_statuses(sents, skip) if s.index not in chosen]
            picked.sort(key=lambda s: s.index)
        groups: list[list[Sentence]] = []
        for sent in picked:
            if spec.field in GROUPED_SECTIONS and groups and sent.index - groups[-1][-1].index <= 2:
                groups[-1].extend(s for s in sents[groups[-1][-1].index + 1 : sent.index + 1] if s.index not in skip)
            else:
                groups.append([sent])
        if spec.field == "improvement_areas":
            for group in groups:  # take the example that follows the named area
                nxt = group[-1].index + 1
                if len(group) == 1 and nxt < len(sents) and nxt not in skip and sents[nxt].speaker == group[0].speaker:
                    group.append(sents[nxt])
        if spec.field == "okr_progress":  # "On track, yeah. I'd say on track.": one item per objective
            groups = _merge_by_objective(sents, skip, groups)
        routed[spec.field] = groups[: spec.max_items]
    return routed


# "Done.", "So that one's done.", "The churn model is done": said of an objective only where objectives are talked of
_DONE_STATUS = re.compile(
    r"^\W*(?:(?:so|and|yeah|yes|oh|right|okay|ok)[,\s]+)*(?:(?:that|that\s+one|this\s+one|this|those|it"
    r"|(?:the\s+)?[\w-]+(?:\s+[\w-]+){0,4}?)(?:['\u2019]s|\s+is|\s+are)\s+(?:all\s+|basically\s+|now\s+|also\s+)?)?"
    r"(?:done|finished|achieved|completed?)\b",
    re.I,
)
_OBJECTIVE_TALK = re.compile(r"\b(?:objectives?|goals?|okrs?|kpis?|key\s+results?|targets?)\b", re.I)
DONE_OBJECTIVE_LOOKBACK = 15  # sentences before a bare "Done." in which objectives must have been talked of


def _done_statuses(sents: list[Sentence], skip: frozenset[int]) -> list[Sentence]:
    """Bare "done" statuses said while objectives are being gone through (not any errand that got done)."""
    return [
        s
        for s in sents
        if s.index not in skip
        and _DONE_STATUS.match(s.text)
        and any(_OBJECTIVE_TALK.search(b.text) for b in sents[max(0, s.index - DONE_OBJECTIVE_LOOKBACK) : s.index])
    ]


# "I'm behind on emails, clearly.": the manager's own backlog is no progress of the person reviewed
_MANAGER_OWN_STATUS = re.compile(
    r"\bI(?:['\u2019]m|\s+am)\s+(?:(?:a\s+bit|a\s+little|way|so|really|still|just|quite)\s+)?(?:behind|ahead)\b", re.I
)


def _question_without_status(text: str) -> bool:
    return text.rstrip().endswith(("?", "？")) and not any(p.search(text) for p, _ in STATUS_CUES)


SAME_OBJECTIVE_SEGMENTS = 2  # a shorter or longer name for an objective this close is the same objective


def _merge_by_objective(
    sents: list[Sentence], skip: frozenset[int], groups: list[list[Sentence]]
) -> list[list[Sentence]]:
    """Status groups of the same objective become one group (before the cap, so each objective counts once)."""
    merged: dict[str, list[Sentence]] = {}
    words_of: dict[str, set[str]] = {}
    for group in groups:
        name = _okr_name(sents, skip, group)[0]
        words = content_words(name)
        key = " ".join(sorted(words)) or name.lower()
        # "Staff turnover." - "Turnover is sixty-two percent": a name said again shorter, or longer, close by
        key = next(
            (
                k
                for k, w in words_of.items()
                if words
                and w
                and (words <= w or w <= words)
                and group[0].segment_id - merged[k][-1].segment_id <= SAME_OBJECTIVE_SEGMENTS
            ),
            key,
        )
        words_of.setdefault(key, words)
        merged.setdefault(key, []).extend(s for s in group if s not in merged.get(key, []))
    return list(merged.values())


def fill_sections(
    ctx: Context,
    routed: dict[str, list[list[Sentence]]],
    *,
    progress: Callable[[], None] | None = None,
) -> dict[str, list[Cited]]:
    """Items for every section of the template, from the sentence groups `route` picked for each."""
    filled: dict[str, list[Cited]] = {}
    for spec in ctx.template.sections:
        items: list[Cited] = []
        for group in routed[spec.field]:
            items.append(build_item(spec, group, ctx))
            if progress:
                progress()
        filled[spec.field] = items
    return filled


def _central(topic: list[Sentence]) -> Sentence:
    """The statement sharing most words with the rest of its topic (questions last)."""

    def score(s: Sentence) -> tuple[int, float]:
        others = " ".join(o.text for o in topic if o.index != s.index)
        return (0 if s.text.rstrip().endswith("?") else 1, overlap(s.text, others) * len(content_words(s.text)))

    return max(topic, key=score)


def summarise_topics(
    topics: list[list[Sentence]], ctx: Context, *, limit: int, skip: frozenset[int] = frozenset()
) -> list[SummaryPoint]:
    """One point per topic (largest topics first), each citing the sentences that support it.

    The model writes the point; it cites the few topic sentences covering its words, and a point those
    sentences do not support falls back to the central sentence.
    """
    points: list[SummaryPoint] = []
    usable = [[s for s in t if s.index not in skip] for t in topics]
    usable = [t for t in usable if len(set().union(*(content_words(s.text) for s in t))) >= MIN_TOPIC_WORDS]
    ranked = sorted(usable, key=lambda t: -sum(len(s.text) for s in t))[:limit]
    for topic in sorted(ranked, key=lambda t: t[0].index):
        src = excerpt(topic, None, redact=ctx.redact, skip=ctx.skip)
        out = ask_model(ctx, "summary", SummaryOut, {"excerpt": src})
        central = _central(topic)
        cited = cover(out.text, topic) if out else []
        # a point no topic sentence holds a word of (say, only a participant's name) has nothing to cite
        text = _checked(
            ctx, out.text if out and cited else None, supported_by(ctx, cited), central.text, threshold=SUMMARY_OVERLAP
        )
        points.append(SummaryPoint(text=text, evidence=_evidence([central] if text == central.text else cited)))
    return points
