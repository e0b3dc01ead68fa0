"""The README's curl examples (docs/api_examples.sh) against a live `copilot serve` with the real pipeline.

Real HTTP on loopback, real faster-whisper on the demo recording, the real
llama.cpp model, real argon2 and SQLite. The server's JSON log of the whole
run is then checked for transcript text, passwords and tokens: none may appear.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.api.live import free_port
from tests.conftest import REPO_ROOT

TRANSCRIPT_WORDS = ["caching layer", "data pipeline migration", "twelve jobs"]  # said in samples/review_demo.ogg
PASSWORDS = {
    "ADMIN_PASSWORD": "canary-admin-pw-1",
    "MANAGER_PASSWORD": "canary-mgr-pw-1",
    "EMPLOYEE_PASSWORD": "canary-emp-pw-1",
}


@pytest.mark.e2e
@pytest.mark.slow
def test_curl_examples_run_against_live_server(tmp_path: Path) -> None:
    copilot = Path(sys.executable).with_name("copilot")
    port = free_port()
    env = {
        **os.environ,
        "COPILOT_HOME": str(tmp_path / "home"),
        "COPILOT_LOG_LEVEL": "DEBUG",
        "COPILOT_ASR_MODEL": "tiny.en",
    }
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [str(copilot), "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO_ROOT
        )
        try:
            api = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{api}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert server.poll() is None and time.monotonic() < deadline, log_path.read_text()[-3000:]
                time.sleep(0.3)
            out = tmp_path / "out"
            out.mkdir()
            run = subprocess.run(
                ["bash", str(REPO_ROOT / "docs" / "api_examples.sh")],
                env={
                    **env,
                    **PASSWORDS,
                    "API": api,
                    "COPILOT": str(copilot),
                    "OUT": str(out),
                    "AUDIO": str(REPO_ROOT / "samples" / "review_demo.ogg"),
                },
                capture_output=True,
                text=True,
                timeout=900,
                cwd=REPO_ROOT,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:] + log_path.read_text()[-4000:]
    assert "signed" in run.stdout and (out / "review.pdf").read_bytes().startswith(b"%PDF")
    assert json.loads((out / "review.json").read_text())["certificate"]["signers"]

    logs = log_path.read_text()
    lines = [json.loads(line) for line in logs.splitlines() if line.startswith("{")]
    assert any(rec.get("event") == "request" for rec in lines), "no structured request logs"
    leaked = [s for s in [*TRANSCRIPT_WORDS, *PASSWORDS.values(), "rca_", "rcr_"] if s.lower() in logs.lower()]
    assert not leaked, f"found in the server log: {leaked}"
