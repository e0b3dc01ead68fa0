"""Safety screening of the transcript, which is untrusted data.

- Injection attempts are found by what they do, not by the 24 phrasings we test on: text addressed to the
  AI / note taker / system, forged turns and role labels, prompt-structure tokens (tags, "end of transcript",
  JSON payloads, tool calls), orders about earlier instructions, personas, and orders about the draft itself
  ("write in the summary", "set every action item"). A flagged segment (and the unfinished turn it continues
  into) is kept out of every extraction step and every prompt, any item that still cites it is dropped, and the
  attempt is reported as a `ReviewFlag` with its evidence so a human sees it.
- Compensation and rating promises (bonus, raise, promotion, rating level) are decisions people sign off, not
  something a transcript can create: they never become action items; they become a flag for human review.
- Sensitive personal remarks (health, family, religion, union) mark every item citing them `sensitive`, which
  keeps them out of the index and the HRIS sync by default.
- PII is redacted from text sent to a non-local endpoint.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from copilot.schema import SECTION_NAMES, ActionItem, Cited, Evidence, Flag, ReviewDraft, ReviewFlag
from summarize.text import Sentence

# --------------------------------------------------------------------------- injection: what an attempt does

# what an attempt edits: the document this tool writes ("the summary", "every action item", "your JSON")
_EDIT = (
    r"(?:write|add|put|append|prepend|insert|include|record|say|state|mention|mark|set|change|replace|remove|"
    r"delete|erase|omit|drop|hide|translate|repeat|output|print|rewrite|sign|end|start|begin|fill|rate|score|"
    r"list|flag|unflag|label|tag|describe|summari[sz]e)"
)
_DOC = (
    r"(?:the|your|this|every|each|all|any|whole|entire)\s+(?:whole\s+|entire\s+|final\s+|generated\s+)?"
    r"(?:summary(?:\s+points?)?|review|draft|notes|minutes|output|json|response|transcript|action[\s-]?items?|"
    r"improvement\s+areas?|development\s+plan|competenc(?:y|ies)|ratings?|sections?|suggested\s+levels?|flags?)"
    r"\b(?!\s+(?:of|for|slide|deck|doc\w*|page|email|meeting|call|template|process|tool)\b)"
)
_DOCWORD = r"(?:summary|review|draft|notes|minutes|json|output|action[\s-]?items?|ratings?|levels?|flags?)"
# who the words are aimed at: the machine, never a person in the room
_MACHINE = (
    r"(?:a\.?i\.?|assistant|(?:language\s+)?model|llm|gpt|chat\s?gpt|bot|chatbot|copilot|note[\s-]?taker|"
    r"note[\s-]?taking\s+(?:ai|bot|tool|app|assistant)|summari[sz]er|summary\s+(?:tool|bot|generator)|"
    r"transcriber|scribe|minute[\s-]?taker)"
)
_MACHINE2 = rf"{_MACHINE}(?:\s+{_MACHINE})?"
_GREETING = r"(?:hey|hi|hello|dear|ok(?:ay)?|attention|listen|yo|oi)"
ADDRESSED = re.compile(
    # vocative at the start of a sentence: "Model, set ...", "Hey AI note taker, please ..."
    rf"^\W*(?:{_GREETING}\W+(?:the\s+|my\s+|our\s+)?)?{_MACHINE2}\s*[,:!]|"
    # a message marked for it: "note for the summariser, ...", "instruction to the AI: ...", "speaking to the AI:"
    rf"\b(?:{_GREETING}|notes?|message|memo|instructions?|request|reminder|order|command|directions?|"
    rf"speaking|talking|addressed|directed|this\s+is\s+for)\s+(?:(?:to|for)\s+)?(?:the\s+|you\s+|this\s+|our\s+|my\s+)?"
    rf"(?:[\w-]+\s+){{0,2}}?{_MACHINE2}\s*(?:[,:;!]|$)|"
    # a heading for it: "To the AI: ..."
    rf"^\W*(?:to|for|re)\s+(?:the\s+|this\s+|our\s+)?(?:[\w-]+\s+){{0,2}}?{_MACHINE2}\s*:|"
    # duties given to it about the document: "the assistant must add an action item ..."
    rf"\b{_MACHINE2}\s+(?:must|should|shall|has\s+to|needs?\s+to|is\s+to|will\s+now)\s+(?:\w+\s+)?"
    rf"{_EDIT}\b[^!?]{{0,100}}\b{_DOCWORD}",
    re.I,
)
# a forged turn or chat role: "Manager: I agree ...", "System message:", "### SYSTEM OVERRIDE ###", "[INST]"
_ROLE = r"(?:system|assistant|user|developer|admin(?:istrator)?|ai|bot|tool|function|human|hr|manager|employee)"
ROLE_LABEL = re.compile(
    rf"^\W*{_ROLE}(?:\s+(?:message|prompt|note|notice|instructions?|override|update|command))?\s*(?::|\]|>|#)|"
    r"\b(?:system|developer|admin|root|sudo|debug|god)\s+(?:message|prompt|override|instructions?|command|notice)\b|"
    r"\b(?:developer|debug|god|jailbreak|unrestricted|dan)\s+mode\b|\bjailbr[eo]\w*\b|"
    r"\[/?(?:inst|system|sys)\]|<\|?\s*/?\s*(?:system|instructions?|transcript|prompt|context|user|assistant|"
    r"data|input|output|im_start|im_end|inst|sys)\s*\|?>|#{2,}\s*\w|```",
    re.I,
)
# prompt structure faked in speech: end of the data, new instructions, a JSON object, a tool call, encoded text
STRUCTURE = re.compile(
    r"\b(?:end|start|beginning)\s+of\s+(?:the\s+)?(?:transcript|input|data|document|context|prompt)\b|"
    r"\b(?:new|updated|real|actual|additional|hidden|secret)\s+(?:instructions?|prompt|directives?)\b|"
    r"\{\s*\"[^\"]{1,40}\"\s*:|"
    r"\b(?:call|invoke|use|run|execute|trigger)\s+(?:the\s+)?`?[a-z]+[_.][\w.]+`?(?:\s+(?:tool|function|plugin|api))?\b|"
    r"\b[a-z]+_[a-z_]+\s*\(|\btool[\s_-]call\b|"
    r"\b(?:do|follow|execute|obey)\s+(?:what|whatever)\s+(?:it|this|that)\s+says\b|"
    r"(?-i:\b(?=(?:[A-Za-z0-9+/]*?[a-z][A-Z]){3})[A-Za-z0-9+/]{16,}={0,2})",
    re.I,
)
# orders about the instructions themselves, and personas
META = re.compile(
    r"(?<!n't\s)(?<!not\s)(?<!never\s)\b(?:ignore|disregard|forget|override|bypass|circumvent|overrule)\s+"
    r"(?:[\w'-]+\s+){0,3}?(?:instructions?|rules?|guidelines?|prompts?|directives?|directions|constraints|guardrails|"
    r"programming)\b|"
    r"\b(?:you\s+are|you're)\s+now\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}?(?:\w*bot|ai|assistant|model|mode|persona|"
    r"unlocked|unrestricted|uncensored|jailbroken|dan)\b|"
    r"\b(?:act|behave|respond|answer)\s+as\s+(?:if\s+you\s+(?:were|are)\s+)?(?:an?\s+)?(?:unrestricted|uncensored|"
    r"jailbroken|evil|unfiltered)\b|\bas\s+an\s+ai\b",
    re.I,
)
DOC_ORDER = re.compile(
    rf"(?:^\W*|[,;:]\s*|\b(?:and|then|please|just|means|also|instead|now)\s+|"
    rf"\b(?:you|it)\s+(?:must|should|will|need\s+to|have\s+to)\s+){_EDIT}\b[^!?]{{0,120}}?"
    rf"\b(?:in|into|to|of|at|on|from|for|with)\s+{_DOC}|"
    rf"(?:^\W*|[,;:]\s*|\b(?:and|then|please|just|also|instead|now)\s+){_EDIT}\s+{_DOC}\s+(?:as|to|into|with)\b|"
    rf"\bwhen\s+you\s+(?:write|draft|generate|produce|fill)\b",
    re.I,
)
ZH_INJECTION = re.compile(
    r"(?:忽略|无视|無視|忘记|忘記|不要理|唔好理|唔使理|别理|別理|跳过|跳過)[^，。！？,.!?]{0,10}"
    r"(?:指令|指示|提示|规则|規則|命令|设定|設定)|"
    r"(?:在|喺|于|於|到)(?:总结|總結|摘要|评语|評語|报告|報告|记录|記錄|纪要|紀要|评估|評估|草稿|review|summary)"
    r"(?:里|裡|裏|度|中|入面|内|內|上)?[^，。！？]{0,4}?(?:写|寫|加|填|注明|标|標|改)|"
    r"^\W*(?:人工智能|AI|机器人|機器人|助手|模型|系统|系統)[，,：:]|(?:系统|系統)(?:消息|提示|指令)",
    re.I,
)

# a letter-spaced word ("I-g-n-o-r-e", "i g n o r e") is read as the word it spells
_SPACED = re.compile(r"\b(?:[A-Za-z][\s.\-_*]){3,}[A-Za-z]\b")
_DETECTORS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("addressed to the AI or note taker", ADDRESSED),
    ("forged role or turn label", ROLE_LABEL),
    ("fake prompt structure, payload or tool call", STRUCTURE),
    ("order about instructions or a persona", META),
    ("order about the generated draft", DOC_ORDER),
    ("instruction to the AI in Chinese", ZH_INJECTION),
)


def normalise(text: str) -> str:
    """NFKC (full-width letters, ligatures), no zero-width characters, letter-spaced words joined."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\u200b-\u200f\u2060\ufeff]", "", text)
    return _SPACED.sub(lambda m: re.sub(r"[\s.\-_*]", "", m.group(0)), text)


def injection_reason(text: str) -> str | None:
    """Why this sentence reads as an instruction to the machine, or None."""
    norm = normalise(text)
    for reason, pattern in _DETECTORS:
        if pattern.search(norm):
            return reason
    return None


SENSITIVE = re.compile(
    r"\b(?:sick(?:ness)?|ill(?:ness)?|diagnos\w*|surgery|therapy|therapist|medical|medication|hospital\w*|doctor|"
    r"cancer|pregnan\w*|maternity|paternity|mental\s+health|depress\w*|anxiety|panic\s+attacks?|disabilit\w*|"
    r"chronic|divorc\w*|my\s+(?:wife|husband|partner|kids?|children|son|daughter|mother|father|mum|mom|dad|parents?)"
    # the body, said of oneself ("the physio says it's a slipped disc"; "the physio team" is work, not health)
    r"|slipped\s+disc|(?:bad|my)\s+back|back\s+(?:pain|injury|problems?)|migraines?|burn(?:ed|t)?[\s-]*out|ivf|"
    r"miscarriage|rehab|counsell?ing|(?:I|I've|I'm|my)\s+(?:\w+\s+){0,2}injur\w*|crutches|wheelchair|pre-?op|"
    r"(?:knee|hip|shoulder|ankle|wrist|cataract|heart)\s+(?:reconstruction|replacement|op|operation|surgery)|"
    r"(?:I've\s+got|I\s+have|I'm\s+(?:having|in|at|doing)|my)\s+(?:\w+\s+){0,2}(?:physio\w*|operation|treatment)"
    r"|caring\s+for|bereave\w*|funeral|passed\s+away|family\s+(?:issues?|reasons|emergency|situation)|"
    r"church|mosque|temple|synagogue|gurdwara|prayers?|ramadan|fasting|eid|diwali|passover|shabbat|sabbath|"
    r"yom\s+kippur|religio\w*|faith|"
    # a family coming apart: "We've split up. I've got the weans every second weekend now" ("we split up the work"
    # and "separation of duties" are work)
    r"(?:we|we've|we're|I've|I'm|they've|they)\s+(?:just\s+|been\s+)?(?:split\s+up|separated)"
    r"(?!\s+(?:the|a|an|this|that|it|them|work|tasks?|jobs?)\b)|custody|my\s+ex\b|"
    r"(?:kids|children|weans|bairns)\s+every\s+(?:other|second)\s+weekend|"
    r"unions?|unioni[sz]\w*|collective\s+bargaining|works\s+council|strike|shop\s+steward|facility\s+time|"
    r"elected\s+(?:as\s+)?(?:\w+\s+){0,2}(?:rep|representative|steward)|(?-i:GMB|Unite|Unison|RMT|Usdaw|Teamsters|UAW))\b|"
    r"生病|住院|医院|醫院|手术|手術|怀孕|懷孕|抑郁|抑鬱|焦虑|焦慮|离婚|離婚|家人|家里|家裡|葬礼|葬禮|"
    r"宗教|教会|教會|祷告|禱告|工会|工會|罢工|罷工",
    re.I,
)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PHONE = re.compile(r"(?<!\w)(?:\+?\d[\d\s().-]{7,}\d)(?!\w)")
ID_NUMBER = re.compile(r"\b\d{3}-\d{2}-\d{4}\b|\b[A-Z]{1,2}\d{6,}\b")


# --------------------------------------------------------------------------- compensation and ratings

COMPENSATION = re.compile(
    r"\b(?:bonus(?:es)?|(?:pay|salary)\s+(?:rise|raise|increase|bump|band)|salar(?:y|ies)|"
    r"(?:a|the|your|my|his|her|their)\s+raise|compensation|stock\s+options?|pay\s+grade|promotion|"
    r"promot(?:e|ed)\s+(?:you|him|her|them|me)|(?:performance\s+)?ratings?(?!\s+(?:engines?|tools?|systems?|models?|services?|api|tables?|factors?|agency|data|calculator)\b)|rated|exceeds\s+expectations|"
    r"(?:\d+|one|two|three|four|five)\s+out\s+of\s+(?:\d+|five|ten))\b|"
    r"加薪|升职|升職|晋升|晉升|奖金|獎金|花紅|人工|工资|工資|薪水|薪酬|薪资|薪資|评级|評級|绩效等级|績效等級",
    re.I,
)


def is_compensation(text: str) -> bool:
    """A bonus, raise, promotion or rating: decided and signed by people, never created from a transcript."""
    return bool(COMPENSATION.search(normalise(text)))


# --------------------------------------------------------------------------- screening


@dataclass(frozen=True)
class Screening:
    """Which sentences must not feed extraction or prompts, which segments are sensitive, and what to report."""

    injected: frozenset[int]
    sensitive_segments: frozenset[int]
    injected_segments: frozenset[int] = frozenset()
    flags: tuple[ReviewFlag, ...] = ()
    sensitive_sentences: frozenset[int] = frozenset()
    """The sentences themselves: never copied into another item, while their neighbours in the turn may be."""


_TURN_END = re.compile(r"[.!?。！？…\"'”’)\]}>]\s*$")
_CONTINUES = re.compile(r"^\s*(?:[a-z]|[,;:\-–—.…])")


def screen(sents: list[Sentence]) -> Screening:
    """Find injection attempts (whole segments, plus the turn an unfinished one runs into) and sensitive remarks."""
    by_segment: dict[int, list[Sentence]] = {}
    for s in sents:
        by_segment.setdefault(s.segment_id, []).append(s)
    order = list(by_segment)
    reasons: dict[int, str] = {}
    for seg_id, seg_sents in by_segment.items():
        reason = next((r for r in (injection_reason(s.text) for s in seg_sents) if r), None)
        if reason:
            reasons[seg_id] = reason
    # an attempt split across turns: a flagged turn that stops mid-sentence continues in the speaker's next turn
    for pos, seg_id in enumerate(order[:-1]):
        nxt = order[pos + 1]
        last = by_segment[seg_id][-1]
        first = by_segment[nxt][0]
        if seg_id in reasons and nxt not in reasons and not _TURN_END.search(last.text):
            if first.speaker == last.speaker and _CONTINUES.search(first.text):
                reasons[nxt] = reasons[seg_id] + " (continued)"
    injected_segments = frozenset(reasons)
    flags = tuple(
        ReviewFlag(
            kind="injection_attempt",
            reason=f"Possible instruction to the drafting AI ({reasons[seg_id]}); not used as content.",
            evidence=[Evidence(segment_id=seg_id, quote=" ".join(s.text for s in by_segment[seg_id]))],
        )
        for seg_id in order
        if seg_id in reasons
    )
    injected = frozenset(s.index for s in sents if s.segment_id in injected_segments)
    remarks = frozenset(s.index for s in sents if SENSITIVE.search(s.text))
    said = set(remarks)
    # "I've got my knee reconstruction in February." - "Is that the rugby one?" - "Yeah, the old ACL.": the question
    # about a private remark, and the first words of its answer, are private too
    for pos, seg_id in enumerate(order[:-2]):
        asked, answer = by_segment[order[pos + 1]], by_segment[order[pos + 2]]
        remark = by_segment[seg_id]
        if (
            any(s.index in remarks for s in remark)  # not what this spread itself marked: no chain
            and asked[-1].text.rstrip().endswith("?")
            and asked[0].speaker != remark[0].speaker
            and answer[0].speaker == remark[0].speaker
        ):
            said |= {asked[-1].index, answer[0].index}
    sensitive_sentences = frozenset(said)
    sensitive = frozenset(s.segment_id for s in sents if s.index in sensitive_sentences)
    return Screening(injected, sensitive, injected_segments, flags, sensitive_sentences)


def hold_compensation(items: Sequence[ActionItem]) -> tuple[list[ActionItem], list[ReviewFlag]]:
    """Action items about pay, promotion or ratings are held back as flags for a human to decide."""
    kept: list[ActionItem] = []
    held: list[ReviewFlag] = []
    for item in items:
        if any(is_compensation(e.quote) for e in item.evidence) or is_compensation(item.task):
            held.append(
                ReviewFlag(
                    kind="compensation_or_rating",
                    reason="Pay, promotion or rating promise: for the manager and HR to decide; not an action item.",
                    evidence=list(item.evidence),
                )
            )
        else:
            kept.append(item)
    return kept, held


def enforce(draft: ReviewDraft, screening: Screening, held: Iterable[ReviewFlag] = ()) -> int:
    """Drop any item citing an injected segment (whoever produced it) and record the flags; returns items dropped."""
    dropped = 0
    for name in SECTION_NAMES:
        items: list[Cited] = getattr(draft, name)
        kept = [i for i in items if not any(e.segment_id in screening.injected_segments for e in i.evidence)]
        dropped += len(items) - len(kept)
        setattr(draft, name, kept)
    draft.review_flags = [*draft.review_flags, *screening.flags, *held]
    return dropped


def mark_sensitive(draft: ReviewDraft, sensitive_segments: frozenset[int]) -> int:
    """Flag every item that cites a sensitive segment; returns how many were flagged."""
    count = 0
    for item in draft.cited_items():
        if any(e.segment_id in sensitive_segments for e in item.evidence) and Flag.sensitive not in item.flags:
            item.flags.append(Flag.sensitive)
            count += 1
    return count


@dataclass(frozen=True)
class Redactor:
    """Replaces participants' names, emails, phone and id numbers before text leaves the machine."""

    names: tuple[str, ...] = ()

    def __call__(self, text: str) -> str:
        text = EMAIL.sub("[email]", text)
        text = ID_NUMBER.sub("[id]", text)
        text = PHONE.sub("[phone]", text)
        for name in self.names:
            for part in {name, *name.split()}:
                if len(part) >= 2:
                    text = re.sub(rf"\b{re.escape(part)}\b", "[name]", text)
        return text


def no_redaction(text: str) -> str:
    return text
