"""Versioned prompts: rendered text is pinned by snapshots, and a missing variable is an error."""

from __future__ import annotations

import pytest

from copilot.errors import ConfigError
from prompts.loader import available_versions, load_prompt
from summarize.sections import excerpt
from summarize.text import sentences
from tests.snapshot import assert_snapshot

from .conftest import transcript_from_turns

VALUES = {"employee": "Priya", "manager": "Sam", "meeting_date": "2026-11-30"}


def sample_excerpt() -> str:
    t = transcript_from_turns(
        [("manager", "Can you write a plan by next Friday?"), ("employee", "Yes, I will send it by next Friday.")]
    )
    sents = sentences(t)
    return excerpt(sents, {1})


def test_v1_prompts_render_as_snapshotted() -> None:
    assert "v1" in available_versions()
    assert_snapshot("prompts/v1_system.txt", load_prompt("system").render())
    item = load_prompt("section_item").render(
        section_title="Contributions",
        instruction="Write one short sentence about what the employee achieved or delivered.",
        excerpt=sample_excerpt(),
        extra_context="",
        **VALUES,
    )
    assert_snapshot("prompts/v1_section_item.txt", item)
    assert_snapshot("prompts/v1_summary.txt", load_prompt("summary").render(excerpt=sample_excerpt(), **VALUES))


def test_the_transcript_is_delimited_quoted_data() -> None:
    rendered = load_prompt("summary").render(excerpt=sample_excerpt(), **VALUES)
    block = rendered.split("<transcript>\n", 1)[1].split("\n</transcript>", 1)[0]
    assert block.splitlines() == [
        '[0] manager: "Can you write a plan by next Friday?"',
        '>>> [1] employee: "Yes, I will send it by next Friday."',
    ]


def test_missing_variables_and_unknown_prompts_are_errors() -> None:
    with pytest.raises(ConfigError, match="needs excerpt"):
        load_prompt("summary").render(**VALUES)
    with pytest.raises(ConfigError, match="not found"):
        load_prompt("summary", "v999")
    with pytest.raises(ConfigError, match="bad prompt name"):
        load_prompt("../secrets")


def test_v2_changes_only_its_own_files_and_inherits_the_rest_from_v1() -> None:
    assert available_versions()[:2] == ["v1", "v2"]
    assert load_prompt("system", "v2").text == load_prompt("system", "v1").text  # inherited
    item = load_prompt("section_item", "v2").render(
        section_title="Contributions",
        instruction="Write one short sentence about what the employee achieved or delivered.",
        excerpt=sample_excerpt(),
        extra_context="",
        **VALUES,
    )
    assert item.index("</transcript>") < item.index("Instruction:")  # v2: instructions after the data
    assert_snapshot("prompts/v2_section_item.txt", item)
    assert_snapshot("prompts/v2_summary.txt", load_prompt("summary", "v2").render(excerpt=sample_excerpt(), **VALUES))
    with pytest.raises(ConfigError, match="no prompt version v3"):
        load_prompt("system", "v3")
