"""Field-level diffs and field paths."""

from __future__ import annotations

import pytest

from copilot.domain.diff import FieldChange, assign, diff, flatten, overlapping, parse_path, resolve
from copilot.errors import InputError

BEFORE = {"summary": [{"text": "a", "flags": []}], "employee": "Priya", "action_items": []}


def test_flatten_keeps_empty_containers_as_leaves() -> None:
    assert flatten(BEFORE) == {"action_items": [], "employee": "Priya", "summary[0].flags": [], "summary[0].text": "a"}


def test_diff_reports_changed_added_removed_in_path_order() -> None:
    after = {"summary": [{"text": "b", "flags": []}, {"text": "new", "flags": []}], "action_items": []}
    assert diff(BEFORE, after) == [
        FieldChange("employee", "removed", "Priya", None),
        FieldChange("summary[0].text", "changed", "a", "b"),
        FieldChange("summary[1].flags", "added", None, []),
        FieldChange("summary[1].text", "added", None, "new"),
    ]
    assert diff(BEFORE, BEFORE) == []


def test_diff_sees_type_changes() -> None:
    assert diff({"x": 1}, {"x": 1.0}) == [FieldChange("x", "changed", 1, 1.0)]


def test_overlapping_paths() -> None:
    mine = [FieldChange("summary[0].text", "changed"), FieldChange("employee", "changed")]
    theirs = [FieldChange("summary[0]", "removed"), FieldChange("manager", "changed")]
    assert overlapping(mine, theirs) == ["summary[0].text"]


def test_paths_parse_resolve_and_assign() -> None:
    assert parse_path("summary[0].text") == ["summary", 0, "text"]
    assert resolve(BEFORE, "summary[0].text") == "a"
    assert assign(BEFORE, "summary[0].text", "z")["summary"][0]["text"] == "z"
    assert BEFORE["summary"][0]["text"] == "a"  # the input is not mutated


@pytest.mark.parametrize("bad", ["", ".a", "a..b", "a[x]", "[0]", "a b", "a[0]b", "a."])
def test_bad_paths_are_input_errors(bad: str) -> None:
    with pytest.raises(InputError, match="bad field path"):
        parse_path(bad)


def test_unknown_fields_are_input_errors() -> None:
    with pytest.raises(InputError, match="does not exist"):
        resolve(BEFORE, "summary[3].text")
    with pytest.raises(InputError, match="does not exist"):
        assign(BEFORE, "nope", 1)
