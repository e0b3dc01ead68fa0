"""How a predicted item is matched to a gold item (the rule every item metric relies on).

Matching rule (action items; previous items and OKRs use the same similarity):

1. **Owner**: both owners are normalised: lower-cased, punctuation dropped,
   the employee's or manager's name (full, or its leading words) mapped to 'employee'
   or 'manager', and common synonyms mapped too ('staff', '员工', '經理', ...).
   A strict match needs equal normalised owners, or, for anyone else, a predicted
   name that is the leading part of the gold one ('Dev' for 'Dev Pillai').
2. **Task similarity** = the share of the gold task's content tokens that
   appear in the predicted task (gold-token recall), maximised over the gold
   task's accepted phrasings. Tokens: lower-cased words without stop words,
   Porter-stemmed; runs of CJK characters become character bigrams, so
   Mandarin and Cantonese need no word segmenter. Gold tasks are written as
   short content phrases, so a prediction matches when it mentions most of
   what the gold task names, however it phrases the rest.
3. A pair is a candidate when similarity >= `TASK_THRESHOLD` (0.5).
4. **One-to-one, greedy**: candidate pairs are taken in order of decreasing
   similarity (ties: gold order, then predicted order); a pair is kept when
   neither side is taken yet. So a single long prediction can satisfy at most
   one gold item, and duplicates count as false positives.

Precision/recall/F1 use strict matches (owner + task). Owner accuracy is
measured on a task-only matching (step 1 skipped), since on strict matches it
would be 1 by construction. Due accuracy is measured on strict matches.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from nltk.stem.porter import PorterStemmer  # type: ignore[import-untyped]

TASK_THRESHOLD = 0.5

_STOP_WORDS = frozenset(
    """a an the and or but to of for in on at by with from into onto about as is are was were be been being will
    shall would should can could may might must do does did done have has had i you he she we they it its it's
    his her their our your my me us them this that these those there here then than so not no yes up out over
    under again once all any each some such own same too very just also please let lets let's get got make
    sure going go new one next every""".split()
)
_OWNER_SYNONYMS = {
    "manager": "manager",
    "mgr": "manager",
    "lead": "manager",
    "team lead": "manager",
    "supervisor": "manager",
    "boss": "manager",
    "经理": "manager",
    "經理": "manager",
    "主管": "manager",
    "经理人": "manager",
    "employee": "employee",
    "staff": "employee",
    "report": "employee",
    "direct report": "employee",
    "员工": "employee",
    "員工": "employee",
    "同事": "employee",
}
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_stemmer = PorterStemmer()


@lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    return str(_stemmer.stem(word))


def tokens(text: str) -> frozenset[str]:
    """Content tokens of `text`: stemmed non-stop words plus CJK character bigrams."""
    text = unicodedata.normalize("NFKC", text).lower()
    out: set[str] = set()
    for run in _CJK_RUN.findall(text):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
        if len(run) == 1:
            out.add(run)
    latin = _CJK_RUN.sub(" ", text)
    out.update(_stem(w) for w in _WORD.findall(latin) if w not in _STOP_WORDS)
    return frozenset(out)


def task_similarity(predicted: str, gold_phrasings: Sequence[str]) -> float:
    """Share of the gold task's content tokens found in the prediction, best over phrasings (0..1)."""
    pred = tokens(predicted)
    best = 0.0
    for phrasing in gold_phrasings:
        gold = tokens(phrasing)
        if gold:
            best = max(best, len(gold & pred) / len(gold))
    return best


def task_dice(predicted: str, gold_phrasings: Sequence[str]) -> float:
    """Dice overlap of content tokens, best over phrasings (0..1): unlike `task_similarity`, extra predicted words
    cost. Not the harness's rule; benchmarks report it next to it, so a gain that only comes from longer tasks
    shows."""
    pred = tokens(predicted)
    best = 0.0
    for phrasing in gold_phrasings:
        gold = tokens(phrasing)
        if gold and pred:
            best = max(best, 2 * len(gold & pred) / (len(gold) + len(pred)))
    return best


def normalise_owner(owner: str, *, employee: str | None = None, manager: str | None = None) -> str:
    """Map an owner to 'employee', 'manager' or a cleaned name so different spellings compare equal."""
    text = unicodedata.normalize("NFKC", owner).strip().lower()
    text = re.sub(r"[^\w\s]", " ", text)
    text = " ".join(w for w in text.split() if w not in ("the", "my", "our"))
    if text in _OWNER_SYNONYMS:
        return _OWNER_SYNONYMS[text]
    for role, name in (("employee", employee), ("manager", manager)):
        if not name:
            continue
        full = " ".join(re.sub(r"[^\w\s]", " ", name.lower()).split())
        if text and (text == full or full.startswith(text + " ")):  # full name, or its leading part
            return role
    return text


def same_owner(gold: str, predicted: str, *, employee: str | None = None, manager: str | None = None) -> bool:
    """Owners agree: equal once normalised, or a third person named by the leading part of the gold name.

    The transcript may only ever call the planner "Dev" while the gold says "Dev Pillai": the same rule that lets
    "Priya" stand for the employee Priya Nair, applied to anyone else named.
    """
    g = normalise_owner(gold, employee=employee, manager=manager)
    p = normalise_owner(predicted, employee=employee, manager=manager)
    if g == p:
        return True
    roles = {"employee", "manager"}
    return bool(p) and g not in roles and p not in roles and g.startswith(p + " ")


@dataclass(frozen=True)
class Match:
    gold: int
    predicted: int
    similarity: float


G = TypeVar("G")
P = TypeVar("P")


def greedy_match(
    gold: Sequence[G],
    predicted: Sequence[P],
    similarity: Callable[[G, P], float],
    *,
    threshold: float = TASK_THRESHOLD,
    compatible: Callable[[G, P], bool] | None = None,
) -> list[Match]:
    """One-to-one matching: best pairs first, each side used at most once (see module docstring)."""
    candidates: list[Match] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if compatible is not None and not compatible(g, p):
                continue
            score = similarity(g, p)
            if score >= threshold:
                candidates.append(Match(gi, pi, score))
    candidates.sort(key=lambda m: (-m.similarity, m.gold, m.predicted))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    kept: list[Match] = []
    for m in candidates:
        if m.gold in used_gold or m.predicted in used_pred:
            continue
        used_gold.add(m.gold)
        used_pred.add(m.predicted)
        kept.append(m)
    return sorted(kept, key=lambda m: m.gold)


def prf(true_pos: int, n_predicted: int, n_gold: int) -> tuple[float | None, float | None, float | None]:
    """Precision, recall, F1; None where undefined (nothing predicted / nothing to find)."""
    precision = true_pos / n_predicted if n_predicted else None
    recall = true_pos / n_gold if n_gold else None
    if n_predicted == 0 and n_gold == 0:
        return None, None, None
    p = precision or 0.0
    r = recall or 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return precision, recall, f1
