"""Snapshot helper: a change to a prompt or JSON schema shows up as a reviewable diff.

Run with UPDATE_SNAPSHOTS=1 to rewrite the stored files after an intended change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

SNAPSHOT_DIR = Path(__file__).parent / "snapshots"


def assert_snapshot(name: str, value: Any) -> None:
    text = value if isinstance(value, str) else json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    path = SNAPSHOT_DIR / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1" or not path.exists():
        if not path.exists() and os.environ.get("CI_FORBID_NEW_SNAPSHOTS") == "1":
            raise AssertionError(f"snapshot {name} is missing; run with UPDATE_SNAPSHOTS=1 and commit it")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"snapshot {name} changed; review the diff and rerun with UPDATE_SNAPSHOTS=1 if intended"
