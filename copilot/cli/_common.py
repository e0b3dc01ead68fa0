"""Helpers shared by CLI command modules."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from copilot.errors import InputError
from copilot.ports import ProgressCallback

console = Console()
err_console = Console(stderr=True)


@contextmanager
def progress_bars(*descriptions: str) -> Iterator[list[ProgressCallback]]:
    """One rich display on stderr with a bar per stage, each fed with fractions 0..1."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=False,
    ) as bar:
        tasks = [bar.add_task(d, total=1.0) for d in descriptions]

        def updater(task: TaskID) -> ProgressCallback:
            def update(fraction: float) -> None:
                bar.update(task, completed=min(max(fraction, 0.0), 1.0))

            return update

        yield [updater(t) for t in tasks]
        for t in tasks:
            bar.update(t, completed=1.0)


@contextmanager
def progress_bar(description: str) -> Iterator[ProgressCallback]:
    """A single-stage progress bar."""
    with progress_bars(description) as (update,):
        yield update


def write_json(data: Any, out: Path | None) -> None:
    """Write JSON atomically to `out`, or to stdout when no file is given."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if out is None:
        console.print_json(text) if console.is_terminal else print(text, end="")  # noqa: T201
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)


def read_json(path: Path) -> Any:
    if not path.is_file():
        raise InputError(f"file not found: {path}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path} is not valid JSON: {exc}") from exc
