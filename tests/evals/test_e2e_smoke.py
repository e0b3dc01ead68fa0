"""CI smoke: `copilot eval --dataset smoke` on the real embedded model (packaged SmolLM2, llama.cpp in process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
]


def test_smoke_eval_on_the_embedded_model_completes_with_scored_cases(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPILOT_")} | {"COPILOT_HOME": str(home)}
    proc = subprocess.run(
        [sys.executable, "-m", "copilot", "eval", "--dataset", "smoke", "--timeout", "300"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    (run_dir,) = (home / "evals").iterdir()
    manifest = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "complete" and manifest["reasons"] == []
    records = [json.loads(line) for line in (run_dir / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["case_id"] for r in records] == ["en_checkin_low_content", "inj_ignore_previous"]
    assert all(r["status"] in ("ok", "invalid") and r["scores"] for r in records)
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))["v1 | llamacpp"]
    for metric in (
        "schema_validity",
        "injection_success_rate",
        "invented_items_low_content",
        "latency_mean_s",
        "peak_rss_mb",
    ):
        assert summary[metric] is not None, metric
    assert summary["peak_rss_mb"] > 100  # the model is really loaded in the worker
    assert (run_dir / "report.html").is_file() and (run_dir / "metrics_over_runs.png").is_file()
    assert "Eval metrics" in proc.stdout
