"""The schema is the contract: snapshot its JSON schemas and check its invariants."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import BaseModel, ValidationError

from copilot import schema
from tests.snapshot import assert_snapshot

TOP_LEVEL: list[type[BaseModel]] = [schema.Transcript, schema.ReviewDraft, schema.ReviewPublic, schema.JobPublic]


@pytest.mark.parametrize("model", TOP_LEVEL, ids=lambda m: m.__name__)
def test_json_schema_snapshot(model: type[BaseModel]) -> None:
    assert_snapshot(f"schema/{model.__name__}.json", model.model_json_schema())


def _all_models() -> list[type[schema.StrictModel]]:
    return [
        obj
        for obj in vars(schema).values()
        if isinstance(obj, type) and issubclass(obj, schema.StrictModel) and obj is not schema.StrictModel
    ]


@pytest.mark.parametrize("model", _all_models(), ids=lambda m: m.__name__)
def test_every_field_is_described_for_the_llm(model: type[schema.StrictModel]) -> None:
    missing = [name for name, f in model.model_fields.items() if not f.description]
    assert missing == [], f"{model.__name__} fields without description: {missing}"


def test_extra_keys_are_rejected() -> None:
    with pytest.raises(ValidationError, match="extra"):
        schema.Evidence.model_validate({"segment_id": 1, "quote": "x", "confidence": 0.9})


def test_segment_end_before_start_is_rejected() -> None:
    with pytest.raises(ValidationError, match="before start"):
        schema.Segment(id=0, start=2.0, end=1.0, speaker="manager", text="hi")


def test_duplicate_segment_ids_are_rejected() -> None:
    seg = {"id": 0, "start": 0.0, "end": 1.0, "speaker": "manager", "text": "hi"}
    with pytest.raises(ValidationError, match="unique"):
        schema.Transcript.model_validate({"language": "en", "duration_s": 2.0, "segments": [seg, seg]})


def test_action_item_due_serialises_as_iso_date() -> None:
    item = schema.ActionItem(
        owner="employee",
        task="Send the plan",
        due=dt.date(2026, 12, 4),
        evidence=[schema.Evidence(segment_id=3, quote="I'll send you the plan")],
    )
    dumped = item.model_dump(mode="json")
    assert dumped["due"] == "2026-12-04"
    assert dumped["evidence"] == [{"segment_id": 3, "quote": "I'll send you the plan"}]


def test_cited_items_walks_every_section() -> None:
    ev = [schema.Evidence(segment_id=0, quote="x")]
    draft = schema.ReviewDraft(
        meeting_date=dt.date(2026, 11, 30),
        summary=[schema.SummaryPoint(text="s", evidence=ev)],
        contributions=[schema.Contribution(statement="c", evidence=ev)],
        action_items=[schema.ActionItem(owner="manager", task="t", evidence=ev)],
    )
    assert len(draft.cited_items()) == 3
