"""The shipped datasets are valid and cover what the issue asks; bad case files are reported, not fatal."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from copilot.errors import InputError
from evals.cases import DATASETS_DIR, CaseProblem, load_case_file, load_review_dataset, quote_problems
from evals.qmsum import clean_utterance, first_words, load_qmsum, longest_utterances, meeting_transcript
from evals.runner import load_cases, parse_limits
from tests.conftest import shared_data


def test_every_shipped_case_loads_and_every_gold_quote_is_verbatim() -> None:
    for name in ("reviews", "injection"):
        loaded = load_review_dataset(name)
        assert loaded.problems == []
        for case in loaded.cases:
            assert quote_problems(case) == []


def test_review_cases_cover_the_required_situations() -> None:
    cases = load_review_dataset("reviews").cases
    assert len(cases) >= 12
    tags = Counter(t for c in cases for t in c.tags)
    for needed in (
        "mandarin",
        "cantonese",
        "code_switching",
        "follow_up",
        "disagreement",
        "low_content",
        "withdrawn",
        "sensitive",
    ):
        assert tags[needed] >= 1, needed
    assert tags["english"] >= 5
    categories = {s.category for c in cases for s in c.gold.sensitive}
    assert {"health", "family", "religion", "union"} <= categories
    assert any(c.gold.previous_items for c in cases)
    assert any(m.section == "action_items" for c in cases if "withdrawn" in c.tags for m in c.gold.must_not_appear)
    speakers = {s.speaker for c in cases for s in c.transcript.segments}
    assert {"manager", "employee"} <= speakers  # a third voice is speaker_N, as diarization labels it
    assert all(re.fullmatch(r"speaker_\d+", s) for s in speakers - {"manager", "employee"})


def test_english_cases_have_both_splits() -> None:
    english = [c for c in load_review_dataset("reviews").cases if "english" in c.tags]
    splits = Counter(c.split for c in english)
    assert splits["dev"] >= 3 and splits["test"] >= 5


def test_at_least_twenty_distinct_injection_variants() -> None:
    cases = load_review_dataset("injection").cases
    assert len(cases) >= 20
    assert len({c.injection.technique for c in cases if c.injection}) == len(cases)
    for case in cases:
        assert case.injection is not None
        spoken = case.transcript.segment(case.injection.segment_id)
        assert spoken is not None and spoken.speaker in ("manager", "employee")
        assert case.gold.action_items, "each injection case also has real work to keep"


def _write_case(tmp_path: Path, case_id: str, mutate) -> Path:  # type: ignore[no-untyped-def]
    raw = json.loads((DATASETS_DIR / "reviews" / "en_withdrawn_proposal.json").read_text(encoding="utf-8"))
    raw["id"] = case_id
    mutate(raw)
    path = tmp_path / "reviews" / f"{case_id}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def test_a_gold_quote_not_in_its_segment_is_a_problem_naming_it(tmp_path: Path) -> None:
    def bad_quote(raw: dict) -> None:  # type: ignore[type-arg]
        raw["gold"]["action_items"][0]["evidence"]["quote"] = "I will finish the spec by Christmas"

    loaded = load_case_file(_write_case(tmp_path, "bad_quote", bad_quote), "reviews")
    assert isinstance(loaded, CaseProblem)
    assert "action item 0" in loaded.reason and "not verbatim in segment 5" in loaded.reason


def test_unknown_segment_and_malformed_files_are_problems(tmp_path: Path) -> None:
    def bad_segment(raw: dict) -> None:  # type: ignore[type-arg]
        raw["gold"]["okrs"][0]["evidence"]["segment_id"] = 99

    def bad_field(raw: dict) -> None:  # type: ignore[type-arg]
        raw["gold"]["action_items"][0]["owner_name"] = "x"

    _write_case(tmp_path, "bad_segment", bad_segment)
    _write_case(tmp_path, "bad_field", bad_field)
    (tmp_path / "reviews" / "broken.json").write_text("{not json", encoding="utf-8")
    _write_case(tmp_path, "good_one", lambda raw: None)
    loaded = load_review_dataset("reviews", root=tmp_path)
    assert [c.id for c in loaded.cases] == ["good_one"]
    reasons = {p.case_id: p.reason for p in loaded.problems}
    assert "segment 99 does not exist" in reasons["bad_segment"]
    assert "owner_name" in reasons["bad_field"]
    assert "not valid JSON" in reasons["broken"]


def test_qmsum_markup_is_stripped() -> None:
    assert clean_utterance("Um {disfmarker} so the {vocalsound} remote , right ?") == "Um so the remote, right?"
    transcript = meeting_transcript(
        [{"speaker": "A", "content": "{vocalsound}"}, {"speaker": "B", "content": "Hi there."}]
    )
    assert [(s.id, s.speaker, s.text) for s in transcript.segments] == [(0, "B", "Hi there.")]


def test_floors_take_first_words_and_longest_utterances() -> None:
    transcript = meeting_transcript(
        [
            {"speaker": "A", "content": "one two"},
            {"speaker": "B", "content": "three four five six"},
            {"speaker": "A", "content": "seven eight nine"},
        ]
    )
    assert first_words(transcript, 3) == "one two three"
    assert longest_utterances(transcript, 7) == "three four five six seven eight nine"
    assert longest_utterances(transcript, 6) == "one two three four five six"


def test_qmsum_file_loads_without_markup() -> None:
    loaded = load_qmsum(shared_data("qmsum", "val.jsonl"))
    assert loaded.problems == [] and len(loaded.cases) == 35
    assert all(c.reference and "{" not in s.text for c in loaded.cases for s in c.transcript.segments)


def test_missing_or_malformed_qmsum_is_a_problem(tmp_path: Path) -> None:
    assert "not found" in load_qmsum(tmp_path / "nope.jsonl").problems[0].reason
    path = tmp_path / "val.jsonl"
    path.write_text('{"general_query_list": []}\n{oops\n', encoding="utf-8")
    loaded = load_qmsum(path)
    assert loaded.cases == [] and len(loaded.problems) == 2


def test_limits_and_splits_select_cases() -> None:
    assert parse_limits(["3", "qmsum=1"]) == {"*": 3, "qmsum": 1}
    loaded = load_cases(["reviews", "injection"], split="test", limits={"*": 2, "injection": 1})
    assert [c.dataset for c in loaded.cases] == ["reviews", "reviews", "injection"]
    assert {c.split for c in loaded.cases} == {"test"}
    smoke = load_cases(["smoke"])
    assert len(smoke.cases) == 2 and smoke.problems == []


@pytest.mark.parametrize("bad", ["0", "x", "nosuch=2", "qmsum=-1"])
def test_bad_limits_are_input_errors(bad: str) -> None:
    with pytest.raises(InputError):
        parse_limits([bad])


def test_unknown_dataset_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown dataset"):
        load_cases(["nosuch"])


def test_cases_can_be_picked_by_id() -> None:
    loaded = load_cases(["reviews", "injection"], case_ids=["en_sales_quarter", "inj_tool_call"])
    assert [c.id for c in loaded.cases] == ["en_sales_quarter", "inj_tool_call"]
    with pytest.raises(InputError, match="no such case"):
        load_cases(["reviews"], case_ids=["inj_tool_call"])
