"""The LLM judge over real HTTP: a llama.cpp OpenAI-compatible server on loopback with the packaged GGUF.

SmolLM2 is far too weak to be a trustworthy judge; this proves the wiring (spec → ChatOpenAI → server → yes/no →
metric), not the judgement. A strong endpoint is what `--judge` is meant for.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

from copilot.settings import Settings
from evals.judge import build_judge
from evals.runner import EvalRunner
from tests.evals.test_runner import cases, factory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def llama_server() -> Iterator[str]:
    from summarize.llm import packaged_gguf

    port = _free_port()
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(packaged_gguf()), "--host", "127.0.0.1",
           "--port", str(port), "--n_ctx", "1024", "--n_threads", "2"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/models", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("llama.cpp server did not start")
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_judge_scores_evidence_support_through_a_real_endpoint(llama_server: str, settings: Settings) -> None:
    judge = build_judge(f"openai:smollm2@{llama_server}", settings)
    assert judge is not None
    result = EvalRunner(settings, drafter_factory=factory({}), isolate=False, judge=judge).run(
        cases("en_platform_quarterly")
    )
    assert result.status == "complete", result.reasons
    scores = result.records[0]["scores"]
    assert scores["judge_total"] == 1 and scores["judge_supported"] in (0, 1)
    assert next(iter(result.summary.values()))["evidence_support"] in (0.0, 1.0)
