"""Topic segmentation: split a transcript into coherent, size-bounded stretches.

A TextTiling-style lexical cohesion measure finds where the vocabulary shifts;
a hard cap on characters per topic doubles as chunking for long transcripts
(60 minutes ≈ 10k words), so no model call ever sees more than its context.
"""

from __future__ import annotations

from summarize.text import Sentence, content_words

TOPIC_SHIFT = (
    "let's move on",
    "moving on",
    "next topic",
    "another thing",
    "one more thing",
    "next,",
    "now let's",
    "turning to",
    "let's talk about",
    "let's look at",
    "what about",
    "下一个",
    "下一個",
    "另外",
    "还有一件事",
    "還有一件事",
    "接下来",
    "接下來",
)


def _cohesion(left: list[Sentence], right: list[Sentence]) -> float:
    a: set[str] = set().union(*(content_words(s.text) for s in left))
    b: set[str] = set().union(*(content_words(s.text) for s in right))
    if not a or not b:
        return 0.0
    return float(len(a & b) / ((len(a) * len(b)) ** 0.5))


def segment_topics(
    sents: list[Sentence], *, window: int = 3, min_sentences: int = 3, max_chars: int = 2400
) -> list[list[Sentence]]:
    """Contiguous topics; boundaries at explicit shifts or cohesion valleys, never longer than `max_chars`."""
    if not sents:
        return []
    topics: list[list[Sentence]] = [[]]
    size = 0
    for i, sent in enumerate(sents):
        current = topics[-1]
        lower = sent.text.lower()
        explicit = any(cue in lower for cue in TOPIC_SHIFT)
        valley = (
            len(current) >= min_sentences
            and i + window <= len(sents)
            and _cohesion(sents[max(0, i - window) : i], sents[i : i + window]) < 0.08
        )
        too_big = size + len(sent.text) > max_chars
        if current and (too_big or (len(current) >= min_sentences and (explicit or valley))):
            topics.append([])
            size = 0
        topics[-1].append(sent)
        size += len(sent.text)
    return topics
