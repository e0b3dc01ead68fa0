"""`copilot eval` killed with SIGTERM mid-case: the run is stored as incomplete with a partial report."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """A loopback TCP server that accepts connections and never answers: an LLM endpoint that hangs."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/v1"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()


def test_sigterm_marks_the_run_incomplete_and_writes_a_partial_report(tmp_path: Path, silent_endpoint: str) -> None:
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPILOT_")} | {
        "COPILOT_HOME": str(home),
        "COPILOT_LLM_TIMEOUT_S": "60",
        "COPILOT_LLM_MAX_RETRIES": "0",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "copilot", "eval", "--dataset", "smoke", "--model", f"openai:m@{silent_endpoint}"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not list((home / "evals").glob("*/results.jsonl")):
        assert proc.poll() is None and time.monotonic() < deadline, "the run did not start"
        time.sleep(0.2)
    time.sleep(1.0)  # now inside the first case, waiting on the silent endpoint
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    (run_dir,) = (home / "evals").iterdir()
    manifest = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "incomplete" and "interrupted after 0 of 2" in manifest["reasons"][-1]
    assert "Status: INCOMPLETE" in (run_dir / "report.md").read_text(encoding="utf-8")
    assert "partial report" in stderr
