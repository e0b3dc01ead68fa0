"""`copilot summarize` through a real subprocess: options, and one-line errors for every expected failure."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from copilot.schema import ReviewDraft
from tests.fakes import answer_chat_completion
from tests.test_cli import assert_clean_error, run

from .conftest import REPO


def write_transcript(tmp_path: Path) -> Path:
    lines = (REPO / "samples" / "review_demo.txt").read_text(encoding="utf-8").splitlines()
    segments = [
        {"id": i, "start": i * 5.0, "end": i * 5.0 + 4, "speaker": s, "text": t}
        for i, (s, t) in enumerate(line.split("|", 1) for line in lines)
    ]
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"language": "en", "duration_s": 64.0, "segments": segments}), encoding="utf-8")
    return path


def test_rules_only_draft_with_kpi_previous_and_template(tmp_path: Path) -> None:
    kpi = tmp_path / "kpi.csv"
    kpi.write_text("employee,period,metric,target,actual,higher_is_better\nPriya,Q4,dashboard latency,2,4,false\n")
    prev = tmp_path / "prev.json"
    prev.write_text(json.dumps([{"owner": "employee", "task": "Finish the data pipeline migration"}]))
    out = tmp_path / "draft.json"
    proc = run(
        "summarize", str(write_transcript(tmp_path)), "--meeting-date", "2026-11-30", "--out", str(out),
        "--employee", "Priya", "--kpi", str(kpi), "--previous", str(prev), "--template", "default",
        home=tmp_path / "home", env={"COPILOT_LLM_BACKEND": "none", "COPILOT_KPI_DEVIATION_THRESHOLD_PCT": "50"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    draft = json.loads(out.read_text())
    assert [a["due"] for a in draft["action_items"]] == ["2026-12-11", "2026-12-11", "2026-11-30", None]
    latency = next(o for o in draft["okr_progress"] if o["kpi"] and o["kpi"]["metric"] == "dashboard latency")
    assert latency["kpi"]["flagged"] is True and "kpi_deviation" in latency["flags"]
    assert draft["previous_action_items"][0]["status"] == "done"
    assert draft["generator"]["model"] == "none"


@pytest.mark.parametrize(
    ("env", "extra", "pattern", "code"),
    [
        ({"COPILOT_LLM_MODEL": "/nonexistent/model.gguf"}, [], r"GGUF model not found", 69),
        ({"COPILOT_LLM_BACKEND": "none"}, ["--kpi", "missing.csv"], r"KPI file not found", 65),
        ({"COPILOT_LLM_BACKEND": "none"}, ["--template", "nope"], r"review template not found", 78),
    ],
)
def test_bad_configuration_is_one_clear_line(
    tmp_path: Path, env: dict[str, str], extra: list[str], pattern: str, code: int
) -> None:
    proc = run(
        "summarize", str(write_transcript(tmp_path)), "--meeting-date", "2026-11-30", *extra,
        home=tmp_path / "home", env=env,
    )  # fmt: skip
    assert_clean_error(proc, pattern)
    assert proc.returncode == code


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_endpoint_is_one_clear_line(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    proc = run(
        "summarize", str(write_transcript(tmp_path)), "--meeting-date", "2026-11-30",
        home=tmp_path / "home", env={"COPILOT_LLM_BASE_URL": url, "COPILOT_LLM_MAX_RETRIES": "0"},
    )  # fmt: skip
    assert_clean_error(proc, r"LLM endpoint unreachable")
    assert proc.returncode == 69


class GarbageHandler(BaseHTTPRequestHandler):
    """An OpenAI-compatible endpoint whose model always answers with text that is not JSON."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        answer_chat_completion(self, "Sure! Here is your review :)")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        return


@pytest.fixture
def garbage_endpoint() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), GarbageHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_malformed_model_output_falls_back_to_the_speakers_words_after_bounded_retries(
    tmp_path: Path, garbage_endpoint: str
) -> None:
    out = tmp_path / "draft.json"
    proc = run(
        "summarize", str(write_transcript(tmp_path)), "--meeting-date", "2026-11-30", "--out", str(out),
        home=tmp_path / "home", env={"COPILOT_LLM_BASE_URL": garbage_endpoint, "COPILOT_LLM_MAX_RETRIES": "1"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "gave invalid output after retries" in proc.stderr and "Traceback" not in proc.stderr
    draft = ReviewDraft.model_validate_json(out.read_text())
    assert draft.generator.model_fallbacks >= 1
    said = " ".join(s["text"] for s in json.loads(write_transcript(tmp_path).read_text())["segments"])
    assert draft.summary and all(p.text in said for p in draft.summary)  # the speakers' own sentences
