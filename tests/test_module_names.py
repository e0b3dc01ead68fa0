"""A module-level name bound twice silently replaces the first binding: every use, before and after, sees the last.

Rule modules hold hundreds of regex constants; a new constant named like an old one (``UNSURE`` added next to an
existing ``UNSURE``) changed behaviour far from the edit, so this check keeps each name bound once per module.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("copilot", "transcription", "summarize", "retrieval", "ui", "evals", "benchmarks")


def module_bindings(tree: ast.Module) -> Counter[str]:
    """Top-level names bound by assignment, function or class definition."""
    names: Counter[str] = Counter()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            names[node.target.id] += 1
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names[node.name] += 1
    return names


def test_the_check_sees_a_name_bound_twice() -> None:
    tree = ast.parse("A = 1\ndef f(): pass\nA = 2\nB: int = 3\n")
    assert {n for n, c in module_bindings(tree).items() if c > 1} == {"A"}


@pytest.mark.parametrize("path", sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")), ids=str)
def test_no_module_level_name_is_bound_twice(path: Path) -> None:
    twice = sorted(n for n, c in module_bindings(ast.parse(path.read_text(encoding="utf-8"))).items() if c > 1)
    assert not twice, f"{path.relative_to(ROOT)} binds {twice} more than once"
