"""The audit hash chain: each event commits to the one before it.

`hash = sha256(prev_hash + canonical_json(event))`, so changing, deleting or
reordering any stored row breaks every hash after it, and `verify_chain`
names the first row that no longer checks out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from copilot.domain.canonical import canonical_json, sha256_hex

GENESIS_HASH = "0" * 64


def event_hash(prev_hash: str, event: Mapping[str, Any]) -> str:
    """Hash of one event chained to its predecessor."""
    return sha256_hex(prev_hash.encode("ascii") + canonical_json(dict(event)))


@dataclass(frozen=True)
class ChainRow:
    """One stored audit row as read back for verification."""

    seq: int
    event: Mapping[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str | None = None


def verify_chain(rows: Iterable[ChainRow]) -> ChainReport:
    """Re-check every link in sequence order; stop at the first bad row."""
    prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for row in rows:
        if row.seq != expected_seq:
            return ChainReport(False, checked, row.seq, f"sequence gap: expected {expected_seq}, found {row.seq}")
        if row.prev_hash != prev:
            return ChainReport(False, checked, row.seq, "prev_hash does not match the previous row's hash")
        if event_hash(prev, row.event) != row.hash:
            return ChainReport(False, checked, row.seq, "hash does not match the row's content")
        prev = row.hash
        expected_seq += 1
        checked += 1
    return ChainReport(True, checked)
