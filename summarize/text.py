"""Sentence spans inside segments, so every quote is a verbatim slice of the transcript."""

from __future__ import annotations

import re
from dataclasses import dataclass

from copilot.domain.dates import MONTHS_EN, ORDINAL_WORDS, WEEKDAYS_EN
from copilot.schema import Segment, Transcript

# "I will escalate it to Dr. Hoffman": a title's full stop ends no sentence
TITLES = ("Dr", "Mr", "Mrs", "Ms", "Mx", "Prof", "St", "Fr", "Sr", "Jr")
_AFTER_NO_TITLE = "".join(rf"(?<!\b{t}\.)" for t in TITLES)  # just after the full stop
_NO_TITLE = "".join(rf"(?<!\b{t})" for t in TITLES)  # just before it
_SENTENCE_END = re.compile(rf"(?<=[.!?]){_AFTER_NO_TITLE}\s+(?=\S)|(?<=[。！？；!?])")
_FIRST_CLAUSE_END = re.compile(rf"[?!。！？]|{_NO_TITLE}\.(?:\s|$)")
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[a-z]&[a-z]\b|[a-z0-9]+|[\u3400-\u9fff]", re.I)  # "L&D", "R&D" are one word
STOPWORDS = frozenset(
    "a an the and or but to of in on for with by at from is are was were be been it this that these those i you we "
    "he she they me my your our their us him her them will would can could should do did does have has had so as "
    "not no yes okay ok also just then there here what which who how if about up out all any some more very "
    # interjections carry no content: "Ah, yes, Melissa asked me also" names nothing to work on
    "ah oh eh uh um umm hmm er erm ooh aw wow ha haha och ai ja yeah yep mm mhm aye".split()
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of one segment; `text` is exactly `segment.text[start:end]`."""

    segment_id: int
    speaker: str
    start: int
    end: int
    text: str
    index: int  # position in the whole transcript, for "the next few sentences" logic


def split_sentences(segment: Segment) -> list[tuple[int, int]]:
    """Character spans of the sentences of a segment, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    pos = 0
    text = segment.text
    for match in _SENTENCE_END.finditer(text):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(text)))
    out: list[tuple[int, int]] = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def first_sentence(text: str) -> str:
    """The text up to its first sentence end ("Dr. Hoffman" has none)."""
    return _FIRST_CLAUSE_END.split(text, maxsplit=1)[0]


def sentences(transcript: Transcript) -> list[Sentence]:
    """All sentences of a transcript in order."""
    out: list[Sentence] = []
    for seg in transcript.segments:
        for a, b in split_sentences(seg):
            out.append(Sentence(seg.id, seg.speaker, a, b, seg.text[a:b], len(out)))
    return out


# "And the capacity review with the storage team?", "What about the postmortem?", "Where are you with the NVQ
# units?": the words that bring a topic up, before the words that name it
TOPIC_LEAD = re.compile(
    r"^\s*(?:(?:and|but|so|okay|ok|right|um|uh|oh|ah|aha|yeah|yes|well|alright|then|also|now|next|great|good)[,.\s]+)*"
    # "One, I want to get quotes ...", "Secondly, ...": a count through points, not a topic
    r"(?:(?:one|two|three|four|first(?:ly)?|second(?:ly)?|third(?:ly)?|finally|lastly)\s*,\s*)?"
    r"(?:speaking\s+of\s+(?:that|which|it)\s*,\s*)?"  # "Speaking of that, did you sign my sponsor form?"
    r"(?:(?:what\s+about|how\s+about|how's|how\s+is|where\s+are\s+(?:we|you)\s+(?:on|with)|the\s+other\s+thing,?"
    r"|(?:next|another|one\s+more|new)\s+(?:thing|one)[,.:]?|thing[,.:])"  # "Next thing, release notes for 5.2"
    r"[,.\s]*)?\s*",
    re.I,
)


# "Great.", "Fair enough.", "Behind, yeah.": short sentences that answer, not name a topic
ACKNOWLEDGEMENTS = frozenset(
    "great good nice right okay ok mm mhm hmm oh ah um uh yeah yes thanks brilliant lovely cool sure fine perfect "
    "fair roughly exactly absolutely quarter year month half week point numbers morning christ hm less ha ehh ehm "
    "erm honestly better worse enough agreed".split()
)
_NOT_A_NOUN_PHRASE = re.compile(
    r"\b(?:is|are|was|were|be|been|am|has|have|had|do|does|did|will|would|can|could|should|shall|may|might|must|"
    r"i|you|we|he|she|they|it|there|let's|thanks|thank|sorry|please|enough|behind|ahead|done|agreed|man|mate|"
    r"to|not|no|yet|then|now|though|yep|yup|nope|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|hundred)\b"
    r"|n't\b|['\u2019](?:s|re|ll|ve|m|d)\b|\d",
    re.I,
)
TOPIC_FRAGMENT_WORDS = 5


def topic_fragment(text: str) -> str:
    """'The fire warden list.', 'Oh, the February rota.': a bare noun phrase that opens a topic.

    Reviewers move on by naming the next thing and only then talking about it ("The chiller. What's the plan?"),
    so a later "I'll sort it" refers to that phrase. Only phrases led by the/our/your count: bare words ("Phew.",
    "Sort of.", "Training.") answer more often than they name, and cost matches on the dev reviews. Returns the
    phrase with its article lower-cased, else "".
    """
    phrase = TOPIC_LEAD.sub("", text).strip()
    if not phrase.endswith(".") or not phrase.isascii():
        return ""
    words = phrase.rstrip(".").split()
    if not 1 < len(words) <= TOPIC_FRAGMENT_WORDS or words[0].lower() not in ("the", "our", "your"):
        return ""
    phrase = " ".join([words[0].lower(), *words[1:]])
    if _NOT_A_NOUN_PHRASE.search(phrase) or "," in phrase or not content_words(phrase) - ACKNOWLEDGEMENTS:
        return ""
    return phrase


# "Now, DEV-0412.", "And the fridge, the logger keeps dropping", "Speaking of the shed, the gate on the calf pen.":
# a lead word, then the noun phrase being brought up
LEAD_WORDS = ("and", "so", "now", "oh", "right", "okay", "ok", "also", "next", "then")
"""Words that move the talk on to the next point ("Now, the catamaran.", "Okay, CPD.")."""
# "Speaking of the shed, ...", "Oh, before I forget, the dissolution training ...": words that lead to a topic
_OPENER_LEAD = re.compile(
    rf"^\s*(?:(?:{'|'.join(LEAD_WORDS)})[,.\s]+)*(?:(?:speaking\s+of|as\s+for)\s+[^,]+,\s*"
    r"|(?:before\s+I\s+forget|while\s+I\s+(?:remember|think\s+of\s+it)|by\s+the\s+way)\s*,\s*)?",
    re.I,
)
_NUMBER = re.compile(
    r"^(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|hundred|"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)$",
    re.I,
)  # "KP forty-two"
DETERMINERS = ("the", "our", "your", "his", "her", "their")  # open a noun phrase that names a thing
_CODE = re.compile(r"^[A-Z]{2,}-?\d+\b|^[A-Za-z]+\d|^\d+[A-Za-z]")
OPENER_WORDS = 6
WHOLE_OPENER_WORDS = 10  # a topic said as a whole sentence may run longer
NOT_TOPICS = frozenset({"summary", "recap", "questions", "anything", "other", "thing", "track", "god"})
# words that open a remark or an instruction, not a noun phrase: "Worth a try.", "Grab a stool.", "Maybe December."
_NOT_OPENING = frozenset(
    "worth never another nobody nothing something sometimes maybe even just since before by end down partly famous "
    "grab go take give wish mind forget touch bother cheers hey hi speak makes staying failed ate bit".split()
)
_DATE_WORDS = frozenset([*WEEKDAYS_EN, *MONTHS_EN, *ORDINAL_WORDS, "today", "tomorrow", "tonight", "weekend"])
_DATE_TALK = frozenset("then next last end week weeks month months day days morning afternoon evening".split())


_POSSESSIVE = re.compile(r"[a-z]['\u2019]s$")
_CONTRACTIONS = frozenset({"it's", "that's", "there's", "here's", "what's", "who's", "he's", "she's", "let's"})


def _noun_phrase(words: list[str]) -> list[str]:
    """The leading words of `words` that can belong to a noun phrase (up to a verb, pronoun or clause word)."""
    out: list[str] = []
    for word in words:
        bare = word.strip(",.;:?!")
        possessive = bare[:1].isupper() and _POSSESSIVE.search(bare) and bare.lower() not in _CONTRACTIONS  # "Hansen's"
        if (
            _NOT_A_NOUN_PHRASE.search(bare)
            and not _CODE.match(bare)
            and not possessive
            and not (out and _NUMBER.match(bare))  # a number only after a noun: "episode seven", "the Garfield one"
        ):
            break
        out.append(bare)
        if word != bare:  # a comma or full stop ends the phrase
            break
    return out


def topic_opener(text: str) -> str:
    """A noun phrase a sentence brings up as the next topic, else "".

    `topic_fragment`'s bare phrases, plus what a lead word introduces: "Now, DEV-0412.", "And the Garfield Weston
    one isn't even in yet", "Oh, and the Christmas donors, we need ...", "Speaking of the shed, the gate on the calf
    pen.", "Now, exit interviews." A date is never a topic ("Okay, the fourth then.").
    """
    if fragment := topic_fragment(text):
        return fragment
    lead = _OPENER_LEAD.match(text)
    if not text.isascii() or lead is None or not lead.end():
        return ""
    rest = text[lead.end() :]
    words = _noun_phrase(rest.split()[: WHOLE_OPENER_WORDS + 1])
    # a long phrase only as the whole sentence: "Oh, before I forget, the dissolution training for Ewan and Chloe."
    whole = len(words) == len(rest.split()) and rest.rstrip().endswith(".") and len(words) <= WHOLE_OPENER_WORDS
    # "Okay, the fourth then." is a date; "February overtime." is work named by its month
    if (
        not words
        or (len(words) > OPENER_WORDS and not whole)
        or not content_words(" ".join(words)) - _DATE_WORDS - _DATE_TALK
    ):
        return ""
    first = words[0]
    said = rest.split()
    named = first.lower() in DETERMINERS or first[:1].isupper() or _CODE.match(first)
    if named and content_words(" ".join(words)) and len(said) > len(words) and said[len(words) - 1].endswith(","):
        # "And Hansen's, the concrete.": the phrase with what it is called next
        more = _noun_phrase(said[len(words) : len(words) + OPENER_WORDS])
        if more and more[0].lower() in DETERMINERS and said[len(words) + len(more) - 1][-1:] in ".?,":
            words = [*words[:-1], words[-1] + ",", *more]
            first = words[0]
    if first.lower() in DETERMINERS:
        if len(words) < 2:
            return ""
    elif not (first[:1].isupper() or _CODE.match(first)):
        if not (len(rest.split()) == len(words) and rest.rstrip().endswith(".") and len(content_words(rest)) > 1):
            return ""  # a lower-case phrase only standing alone: "Now, exit interviews."
    if not content_words(" ".join(words)) - ACKNOWLEDGEMENTS - NOT_TOPICS:
        return ""  # "Right, summary." wraps up
    return " ".join([first.lower() if first.lower() in DETERMINERS else first, *words[1:]])


def standalone_topic(text: str) -> str:
    """'Asbestos awareness.', 'Payment gateway alerts.': a short capitalised phrase that is a whole sentence.

    Taken alone this is as often a remark ("Worth a try.", "Touch wood.") as a topic, so the caller checks where
    it stands: after an acknowledgement, with the same speaker going on about it.
    """
    words = text.rstrip(".").split()
    if not text.isascii() or not text.endswith(".") or not 2 <= len(words) <= 4 or not words[0][:1].isupper():
        return ""
    if _noun_phrase(words) != words or words[0].lower() in _NOT_OPENING or _DATE_WORDS & {w.lower() for w in words}:
        return ""
    if len(content_words(text) - ACKNOWLEDGEMENTS - NOT_TOPICS) < 2:
        return ""  # "Good stuff.", "Sort of."
    return text.rstrip(".")


def content_words(text: str) -> set[str]:
    """Lower-cased content words (and single CJK characters) used for overlap measures.

    A lone Latin letter is no word: it is the tail of "Hansen's" or "don't", and would make "Ring Hansen's"
    look like a three-word task.
    """
    words = (m.group(0).lower() for m in _WORD.finditer(text))
    return {w for w in words if w not in STOPWORDS and not (len(w) == 1 and w.isascii() and w.isalpha())}


def overlap(a: str, b: str) -> float:
    """Share of the content words of `a` that also occur in `b` (1.0 when `a` has none)."""
    wa = content_words(a)
    if not wa:
        return 1.0
    return len(wa & content_words(b)) / len(wa)


_ANCHOR = re.compile(
    r"\d+(?:[.,]\d+)?|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"fifty|hundred|thousand|million|half|percent|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"today|tomorrow|tonight|yesterday|days?|weeks?|months?|quarters?|years?|next|last|"
    r"not|no|never|cannot|without|nobody|nothing)\b|n't\b",
    re.I,
)


def anchors(text: str) -> set[str]:
    """Numbers, dates, periods and negations: the words that make a statement true or false."""
    return {m.group(0).lower().replace("n't", "not") for m in _ANCHOR.finditer(text)}


def unsupported_anchors(generated: str, source: str) -> set[str]:
    """Anchors of a generated statement that its source never says.

    Word overlap alone accepts "by the end of the quarter next month" for "by the end of the month":
    most words are there, but the fact changed. Any such word missing from the source rejects the statement.
    """
    return anchors(generated) - anchors(source)


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))
