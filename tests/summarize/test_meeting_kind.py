"""Short check-ins are drafted as check-ins: summary and action items, review sections left empty and flagged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copilot.schema import Segment
from summarize.meeting_kind import (
    CHECK_IN_MAX_SEGMENTS,
    REVIEW_HEAD,
    check_in_announcement,
    meeting_kind,
    review_opening,
)
from summarize.pipeline import ReviewDrafter
from summarize.template import load_template
from tests.test_cli import run

from .conftest import MEETING, transcript_from_turns

CHECK_IN = [
    ("manager", "Hi Karthik, come, sit. This is just our monthly chat, nothing serious, okay?"),
    ("employee", "Okay. Sorry I'm a bit late, traffic on the ring road was horrible."),
    ("manager", "No problem. Everything fine otherwise?"),
    ("employee", "All fine. I finished the rooftop survey for the school on Tuesday."),
    ("manager", "Good. We are at seventy-eight percent of the quarter target in kilowatts, so on track."),
    ("employee", "Someday I'd like to do the battery storage course, when things are quieter."),
    ("manager", "Nice. Can you send me the site photos from the school by Thursday?"),
    ("employee", "Yes, I'll send you the site photos by Thursday."),
    ("manager", "Great, thanks. That's all from me."),
]


def talk(turns: list[tuple[str, str]]) -> list[Segment]:
    return list(transcript_from_turns(turns).segments)


def test_a_short_meeting_that_opens_as_a_check_in_is_one_unless_a_person_says_otherwise() -> None:
    short = talk(CHECK_IN)
    assert check_in_announcement(short) == short[0]
    assert meeting_kind(short) == "check_in"
    assert meeting_kind(short, "review") == "review"
    long = talk(CHECK_IN * (CHECK_IN_MAX_SEGMENTS // len(CHECK_IN) + 1))  # the same opening, a long meeting
    assert meeting_kind(long) == "review"
    unannounced = talk([("manager", "Thanks for making time. Let's go through your goals."), *CHECK_IN[1:]])
    assert (meeting_kind(unannounced), meeting_kind(unannounced, "check_in")) == ("review", "check_in")


def test_the_announcement_is_read_from_the_opening_only() -> None:
    late = talk([*CHECK_IN[1:], *CHECK_IN[1:], ("manager", "Next month's check-in is on the ninth.")])
    assert check_in_announcement(late) is None


CHAT = [
    ("manager", "Howzit Ruan, come sit. Sorry, this office smells like chlorine."),
    ("employee", "I can't even smell it anymore. The kiddies' gala on Saturday was chaos."),
    *CHECK_IN[2:],
]


def test_a_short_meeting_whose_opening_never_names_a_review_is_a_check_in() -> None:
    chat = talk(CHAT)
    assert check_in_announcement(chat) is None and review_opening(chat) is None
    assert meeting_kind(chat) == "check_in"
    assert meeting_kind(chat, "review") == "review"
    named = talk([("manager", "Right, your mid-year appraisal. How has it gone?"), *CHAT[1:]])
    assert review_opening(named) == named[0] and meeting_kind(named) == "review"


def test_a_review_named_only_in_passing_late_in_a_short_chat_does_not_make_it_a_review() -> None:
    filler = [("employee", "Ja, all good."), ("manager", "Shame, man.")] * (REVIEW_HEAD // 2)
    late = talk([*CHAT[:2], *filler, ("employee", "Is my mid-year review still on the ninth?")])
    assert len(late) <= CHECK_IN_MAX_SEGMENTS and review_opening(late) is None
    assert meeting_kind(late) == "check_in"


@pytest.mark.parametrize(
    ("opening", "kind"),
    [("张伟，我们今天做一下上半年的绩效回顾。", "review"), ("张伟，周末过得怎么样？", "check_in")],
)
def test_a_chinese_opening_is_read_for_a_review_too(opening: str, kind: str) -> None:
    turns = [("manager", opening), ("employee", "挺好的。"), ("manager", "你负责的报表自动化呢？")]
    assert meeting_kind(talk(turns)) == kind


def test_a_chat_drafted_as_a_check_in_says_its_opening_named_no_review_and_cites_nothing() -> None:
    checked_in = draft(CHAT)
    flag = next(f for f in checked_in.review_flags if f.kind == "drafted_as_check_in")
    assert "opening names no review" in flag.reason and flag.evidence == []
    assert not (checked_in.contributions or checked_in.development_plan)
    assert [a.task for a in checked_in.action_items] == ["Send the manager the site photos from the school"]


def draft(turns: list[tuple[str, str]], kind: str = "auto"):  # type: ignore[no-untyped-def]
    drafter = ReviewDrafter(handle=None, template=load_template(), meeting_kind=kind)  # type: ignore[arg-type]
    return drafter.draft(transcript_from_turns(turns), meeting_date=MEETING)


def test_a_check_in_draft_keeps_its_action_items_and_says_why_the_review_sections_are_empty() -> None:
    checked_in = draft(CHECK_IN)
    assert [a.task for a in checked_in.action_items] == ["Send the manager the site photos from the school"]
    assert checked_in.summary
    empty = ("contributions", "improvement_areas", "development_plan", "behaviour_observations")
    assert all(getattr(checked_in, name) == [] for name in empty)
    assert checked_in.okr_progress and checked_in.okr_progress == draft(CHECK_IN, "review").okr_progress
    flag = next(f for f in checked_in.review_flags if f.kind == "drafted_as_check_in")
    assert [e.segment_id for e in flag.evidence] == [0]
    assert (
        "opens as one" in flag.reason and "Development plan" in flag.reason and "--meeting-kind review" in flag.reason
    )


def test_drafted_as_a_review_the_same_meeting_fills_its_sections() -> None:
    reviewed = draft(CHECK_IN, "review")
    assert not [f for f in reviewed.review_flags if f.kind == "drafted_as_check_in"]
    assert reviewed.contributions or reviewed.development_plan
    assert [a.task for a in reviewed.action_items] == ["Send the manager the site photos from the school"]


def test_a_kind_said_for_one_meeting_overrides_the_configured_one() -> None:
    drafter = ReviewDrafter(handle=None, template=load_template())  # configured: auto
    reviewed = drafter.draft(transcript_from_turns(CHAT), meeting_date=MEETING, meeting_kind="review")
    assert not [f for f in reviewed.review_flags if f.kind == "drafted_as_check_in"]
    assert reviewed.contributions or reviewed.development_plan
    turns = [("manager", "Thanks for making time. Let's go through your goals."), *CHECK_IN[1:]]
    checked_in = drafter.draft(transcript_from_turns(turns), meeting_date=MEETING, meeting_kind="check_in")
    flag = next(f for f in checked_in.review_flags if f.kind == "drafted_as_check_in")
    assert "it was asked for" in flag.reason and "meeting_kind=review on the upload" in flag.reason
    assert drafter.meeting_kind == "auto"  # one meeting's choice changes nothing for the next


def test_asked_for_a_check_in_a_review_opening_is_drafted_as_one_and_cites_nothing() -> None:
    turns = [("manager", "Thanks for making time. Let's go through your goals."), *CHECK_IN[1:]]
    flag = next(f for f in draft(turns, "check_in").review_flags if f.kind == "drafted_as_check_in")
    assert "it was asked for" in flag.reason and flag.evidence == []


def test_a_private_opening_is_not_quoted_by_the_flag() -> None:
    opening = "Just a quick check-in. I know you have been off with depression, how are you?"
    turns = [("manager", opening), *CHECK_IN[1:]]
    flag = next(f for f in draft(turns).review_flags if f.kind == "drafted_as_check_in")
    assert flag.evidence == []


@pytest.mark.parametrize(("option", "flagged"), [([], True), (["--meeting-kind", "review"], False)])
def test_the_cli_drafts_a_check_in_unless_told_it_was_a_review(
    tmp_path: Path, option: list[str], flagged: bool
) -> None:
    path = tmp_path / "transcript.json"
    path.write_text(transcript_from_turns(CHECK_IN).model_dump_json(), encoding="utf-8")
    proc = run(
        "summarize", str(path), "--meeting-date", MEETING.isoformat(), *option,
        home=tmp_path / "home", env={"COPILOT_LLM_BACKEND": "none"}, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert ("drafted_as_check_in" in [f["kind"] for f in out["review_flags"]]) is flagged
    assert bool(out["contributions"] or out["development_plan"]) is not flagged
