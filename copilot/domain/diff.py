"""Field-level diffs of review content, addressed by paths like `action_items[0].task`.

Every saved version stores the diff from its predecessor, a refused stale save
returns the other party's changes in this form, and comments and agreements
point at fields with the same paths, so there is one addressing scheme.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from copilot.errors import InputError

ChangeOp = Literal["added", "removed", "changed"]
_MISSING = object()
_PATH_TOKEN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


@dataclass(frozen=True)
class FieldChange:
    """One leaf that differs between two versions."""

    path: str
    op: ChangeOp
    before: Any = None
    after: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "op": self.op, "before": self.before, "after": self.after}


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Map every leaf (scalar, empty list or empty object) to its path."""
    out: dict[str, Any] = {}
    if isinstance(value, Mapping) and value:
        for key in sorted(value):
            out.update(flatten(value[key], f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            out.update(flatten(item, f"{prefix}[{index}]"))
    else:
        out[prefix] = value
    return out


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FieldChange]:
    """Leaf-by-leaf differences, in path order."""
    old, new = flatten(before), flatten(after)
    changes: list[FieldChange] = []
    for path in sorted(old.keys() | new.keys()):
        a, b = old.get(path, _MISSING), new.get(path, _MISSING)
        if a is _MISSING:
            changes.append(FieldChange(path, "added", None, b))
        elif b is _MISSING:
            changes.append(FieldChange(path, "removed", a, None))
        elif a != b or type(a) is not type(b):
            changes.append(FieldChange(path, "changed", a, b))
    return changes


def overlapping(mine: list[FieldChange], theirs: list[FieldChange]) -> list[str]:
    """Paths both parties changed (or one changed inside what the other replaced)."""
    their_paths = [c.path for c in theirs]
    out = []
    for change in mine:
        if any(_related(change.path, p) for p in their_paths):
            out.append(change.path)
    return out


def _related(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or a.startswith(b + "[") or b.startswith(a + ".") or b.startswith(a + "[")


def parse_path(path: str) -> list[str | int]:
    """`a.b[2].c` → ['a', 'b', 2, 'c']; anything else is an InputError."""
    tokens: list[str | int] = []
    pos = 0
    for match in _PATH_TOKEN.finditer(path):
        gap = path[pos : match.start()]
        ok = (gap == ("" if pos == 0 else ".")) if match.group(1) else (gap == "" and pos != 0)
        if not ok:
            raise InputError(f"bad field path {path!r}")
        tokens.append(match.group(1) if match.group(1) else int(match.group(2)))
        pos = match.end()
    if not tokens or pos != len(path):
        raise InputError(f"bad field path {path!r}")
    return tokens


def resolve(value: Any, path: str) -> Any:
    """The value at `path`, or an InputError naming the path when it does not exist."""
    current = value
    for token in parse_path(path):
        if isinstance(token, int) and isinstance(current, list) and 0 <= token < len(current):
            current = current[token]
        elif isinstance(token, str) and isinstance(current, Mapping) and token in current:
            current = current[token]
        else:
            raise InputError(f"field {path!r} does not exist in this review")
    return current


def assign(value: Any, path: str, new: Any) -> Any:
    """A deep copy of `value` with the existing field at `path` replaced by `new` (for one-field edits)."""
    out = copy.deepcopy(value)
    tokens = parse_path(path)
    parent = resolve(out, _join(tokens[:-1])) if len(tokens) > 1 else out
    last = tokens[-1]
    resolve(out, path)  # the field must exist: edits change fields, they do not invent them
    parent[last] = new
    return out


def _join(tokens: list[str | int]) -> str:
    return "".join(f"[{t}]" if isinstance(t, int) else (f".{t}" if i else t) for i, t in enumerate(tokens))
