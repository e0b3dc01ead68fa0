"""Reports (Markdown, HTML, PNG) and `copilot eval compare` as CI uses it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from copilot.cli import app
from copilot.errors import InputError
from copilot.settings import Settings
from evals.compare import compare_runs, is_regression
from evals.metrics import METRIC_BY_NAME
from evals.report import plot_history, write_reports
from evals.runner import EvalRunner, RunResult, read_run
from tests.evals.test_runner import cases, factory, key

CASES = ("en_platform_quarterly", "en_withdrawn_proposal", "en_checkin_low_content")


def run(settings: Settings, behaviour: dict[str, str], prompt: str = "v1") -> RunResult:
    return EvalRunner(settings, drafter_factory=factory(behaviour), isolate=False).run(
        cases(*CASES), prompt_versions=[prompt], models=["llamacpp"]
    )


def test_reports_show_side_by_side_metrics_drilldown_and_history_plot(settings: Settings) -> None:
    run(settings, {})
    result = run(settings, {key("en_withdrawn_proposal"): "summary_error"})
    paths = write_reports(result.directory, *read_run(result.directory))
    md = paths["markdown"].read_text(encoding="utf-8")
    assert "| Metric | v1 \\| llamacpp |" in md and "| Action items F1 |" in md
    assert "| Evidence support (LLM judge) | n/a |" in md
    assert "### en_withdrawn_proposal (reviews, test)" in md
    assert "v1 | llamacpp: invalid" in md and "SummaryError" in md
    assert "- missed action employee: finish offline mode spec (2026-11-04)" in md
    assert "+ extra action" in md and "![metrics over past runs](metrics_over_runs.png)" in md
    html = paths["html"].read_text(encoding="utf-8")
    assert "<table>" in html and "class='d-minus'" in html and "<img src='metrics_over_runs.png'" in html
    assert paths["plot"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_history_plot_survives_runs_without_metrics(tmp_path: Path) -> None:
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "run.json").write_text("{}", encoding="utf-8")
    out = plot_history(tmp_path, tmp_path / "plot.png")
    assert out.stat().st_size > 0


def test_regression_rule_respects_direction_and_tolerance() -> None:
    f1, leak, latency = (METRIC_BY_NAME[n] for n in ("action_f1", "sensitive_leak_rate", "latency_mean_s"))
    assert is_regression(f1, 0.8, 0.7, 0.05) and not is_regression(f1, 0.8, 0.76, 0.05)
    assert is_regression(leak, 0.0, 0.1, 0.0) and not is_regression(leak, 0.1, 0.0, 0.0)
    assert not is_regression(latency, 1.0, 100.0, 0.0)
    assert not is_regression(f1, None, 0.1, 0.0)


def test_compare_flags_regressions_and_exits_nonzero(settings: Settings) -> None:
    good = run(settings, {})
    same = run(settings, {}, prompt="v2")
    worse = run(settings, {key("en_platform_quarterly"): "summary_error"}, prompt="v2")
    cli = CliRunner()
    ok = cli.invoke(app, ["eval", "compare", good.run_id, same.run_id])
    assert ok.exit_code == 0, ok.output
    assert "no regression beyond tolerance" in ok.output
    bad = cli.invoke(app, ["eval", "compare", good.run_id, str(worse.directory)])
    assert bad.exit_code == 1
    assert "REGRESSION" in bad.output
    comparison = compare_runs(good.directory, worse.directory)
    regressed = {d.metric.name for d in comparison.regressions}
    assert "schema_validity" in regressed
    assert all(d.combination == "v1 | llamacpp → v2 | llamacpp" for d in comparison.deltas)
    loose = compare_runs(good.directory, worse.directory, tolerance=1.0)
    assert loose.regressions == []


def test_compare_fails_when_the_candidate_run_is_incomplete(settings: Settings) -> None:
    good = run(settings, {})
    partial = run(settings, {key("en_checkin_low_content"): "crash"})
    comparison = compare_runs(good.directory, partial.directory, tolerance=1.0)
    assert comparison.failed and comparison.b_incomplete
    assert any("incomplete" in w for w in comparison.warnings)
    result = CliRunner().invoke(app, ["eval", "compare", good.run_id, partial.run_id, "--tolerance", "1"])
    assert result.exit_code == 1


def test_compare_unknown_run_is_an_input_error(settings: Settings) -> None:
    result = CliRunner().invoke(app, ["eval", "compare", "nope", "nada"])
    assert isinstance(result.exception, InputError)


def test_report_command_rerenders_a_stored_run(settings: Settings) -> None:
    result = run(settings, {})
    (result.directory / "report.md").unlink(missing_ok=True)
    out = CliRunner().invoke(app, ["eval", "report", result.run_id])
    assert out.exit_code == 0, out.output
    assert (result.directory / "report.md").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["eval", "--model", "gpt4"], "unknown model spec"),
        (["eval", "--dataset", "nosuch"], "unknown dataset"),
        (["eval", "--split", "train"], "--split must be dev or test"),
        (["eval", "--limit", "zero"], "positive number"),
    ],
)
def test_bad_eval_arguments_are_input_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, args)
    assert isinstance(result.exception, InputError) and message in str(result.exception)


def test_compare_warns_when_case_content_changed(settings: Settings) -> None:
    a, b = run(settings, {}), run(settings, {})
    manifest_path = b.directory / "run.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["cases"][0]["sha256"] = "0" * 64  # as if a gold label had been edited between the runs
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    assert compare_runs(a.directory, a.directory).warnings == []
    assert any("case versions (1 differ)" in w for w in compare_runs(a.directory, b.directory).warnings)


def test_compare_exit_status_reaches_the_shell(settings: Settings) -> None:
    """Through the real console entry point, as CI calls it (not click's test runner)."""
    good = run(settings, {})
    worse = run(settings, {key("en_platform_quarterly"): "summary_error"})
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPILOT_")} | {"COPILOT_HOME": str(settings.home)}
    for other, expected in ((good, 0), (worse, 1)):
        proc = subprocess.run(
            [sys.executable, "-m", "copilot", "eval", "compare", good.run_id, other.run_id],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert proc.returncode == expected, proc.stdout + proc.stderr


def test_rescore_recomputes_scores_from_stored_drafts(settings: Settings) -> None:
    result = run(settings, {})
    results_path = result.directory / "results.jsonl"
    records = [json.loads(line) for line in results_path.read_text(encoding="utf-8").splitlines()]
    original = [r["scores"] for r in records]
    for r in records:
        r["scores"] = {"cases_scored": 1, "schema_valid": 0}  # as if scored by an older, buggy metric
    results_path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    manifest_path = result.directory / "run.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["cases"][2]["sha256"] = "changed"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    out = CliRunner().invoke(app, ["eval", "report", result.run_id, "--rescore"])
    assert out.exit_code == 0, out.output
    assert "en_checkin_low_content: case changed" in out.output
    _, summary, rescored = read_run(result.directory)
    assert [r["scores"] for r in rescored[:2]] == original[:2]
    assert rescored[2]["scores"] == {"cases_scored": 1, "schema_valid": 0}
    assert json.loads(manifest_path.read_text(encoding="utf-8"))["rescored_at"]
