"""The runner with fake drafters in real forked workers: statuses, timeouts, files, completeness."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from copilot.errors import InputError, ModelUnavailable, SummaryError
from copilot.ports import ProgressCallback
from copilot.schema import ActionItem, Evidence, KpiPrefill, MeetingKindRequest, ReviewDraft, Transcript
from copilot.settings import Settings
from evals.cases import CaseProblem, LoadedCases
from evals.runner import EvalRunner, combinations, load_cases, read_run, resolve_run
from evals.specs import apply_spec, settings_updates


@dataclass
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0


@dataclass
class ScriptedDrafter:
    """Behaves per case id: draft the first commitment, fail, hang or return garbage."""

    settings: Settings
    behaviour: dict[str, str] = field(default_factory=dict)
    usage: Usage = field(default_factory=Usage)

    def draft(
        self,
        transcript: Transcript,
        *,
        meeting_date: dt.date,
        employee: str | None = None,
        manager: str | None = None,
        progress: ProgressCallback | None = None,
        kpis: list[KpiPrefill] | None = None,
        previous: list[ActionItem] | None = None,
        meeting_kind: MeetingKindRequest | None = None,
    ) -> ReviewDraft:
        what = self.behaviour.get(transcript.segments[0].text[:12], "ok")
        if what == "summary_error":
            raise SummaryError("model output was not valid JSON after 3 attempts")
        if what == "unreachable":
            raise ModelUnavailable("LLM endpoint unreachable")
        if what == "crash":
            raise RuntimeError("bug in the drafter")
        if what == "hang":
            time.sleep(60)
        if what == "garbage":
            return "not a draft"  # type: ignore[return-value]
        self.usage.input_tokens += 100
        self.usage.output_tokens += 10
        seg = transcript.segments[3]
        return ReviewDraft(
            meeting_date=meeting_date,
            generator=None,
            action_items=[
                ActionItem(owner=seg.speaker, task=seg.text, evidence=[Evidence(segment_id=seg.id, quote=seg.text)])
            ],
        )


def cases(*ids: str) -> LoadedCases:
    loaded = load_cases(["reviews"])
    by_id = {c.id: c for c in loaded.cases}
    return LoadedCases(cases=[by_id[i] for i in ids])


def key(case_id: str) -> str:
    return cases(case_id).cases[0].transcript.segments[0].text[:12]


def factory(behaviour: dict[str, str]):  # type: ignore[no-untyped-def]
    return lambda settings: ScriptedDrafter(settings, behaviour)


def test_complete_run_writes_results_summary_and_manifest(settings: Settings) -> None:
    fractions: list[float] = []
    result = EvalRunner(settings, drafter_factory=factory({})).run(
        cases("en_platform_quarterly", "en_sales_quarter"),
        prompt_versions=["v1", "v2"],
        models=["llamacpp"],
        progress=fractions.append,
    )
    assert result.status == "complete" and result.reasons == []
    assert result.directory == settings.home / "evals" / result.run_id
    manifest, summary, records = read_run(result.directory)
    assert manifest["status"] == "complete" and manifest["finished_at"]
    assert list(summary) == ["v1 | llamacpp", "v2 | llamacpp"]
    assert len(records) == 4 and {r["status"] for r in records} == {"ok"}
    assert records[0]["tokens"] == {"input_tokens": 100, "output_tokens": 10, "total_tokens": 110}
    assert records[0]["peak_rss_mb"] > 0 and records[0]["latency_s"] >= 0
    assert fractions[-1] == 1.0
    assert summary["v1 | llamacpp"]["schema_validity"] == 1.0
    assert summary["v1 | llamacpp"]["tokens_per_case"] == 110
    assert resolve_run(settings, result.run_id) == result.directory


def test_each_combination_gets_its_own_settings(settings: Settings) -> None:
    seen: list[tuple[str, str | None, str | None]] = []

    def recording_factory(s: Settings) -> ScriptedDrafter:
        seen.append((s.prompt_version, s.llm_model, s.llm_base_url))
        return ScriptedDrafter(s)

    EvalRunner(settings, drafter_factory=recording_factory, isolate=False).run(
        cases("en_platform_quarterly"),
        prompt_versions=["v1", "v2"],
        models=["llamacpp:/m.gguf", "openai:gpt@http://h:1/v1"],
    )
    assert seen == [
        ("v1", "/m.gguf", None),
        ("v1", "gpt", "http://h:1/v1"),
        ("v2", "/m.gguf", None),
        ("v2", "gpt", "http://h:1/v1"),
    ]


def test_summary_error_is_a_measured_invalid_draft_not_a_failure(settings: Settings) -> None:
    behaviour = {key("en_sales_quarter"): "summary_error", key("en_support_lead"): "garbage"}
    result = EvalRunner(settings, drafter_factory=factory(behaviour)).run(
        cases("en_platform_quarterly", "en_sales_quarter", "en_support_lead")
    )
    assert result.status == "complete"
    assert [r["status"] for r in result.records] == ["ok", "invalid", "invalid"]
    assert "not a ReviewDraft" in result.records[2]["error"]
    assert next(iter(result.summary.values()))["schema_validity"] == pytest.approx(1 / 3)


def test_errors_and_timeouts_are_reported_per_case_and_the_run_is_incomplete(settings: Settings) -> None:
    behaviour = {
        key("en_platform_quarterly"): "hang",
        key("en_sales_quarter"): "unreachable",
        key("en_support_lead"): "crash",
    }
    events: list[str] = []
    result = EvalRunner(settings, drafter_factory=factory(behaviour), timeout_s=1.0).run(
        cases("en_platform_quarterly", "en_sales_quarter", "en_support_lead", "en_design_growth"),
        on_event=events.append,
    )
    statuses = [(r["case_id"], r["status"]) for r in result.records]
    assert statuses == [
        ("en_platform_quarterly", "timeout"),
        ("en_sales_quarter", "error"),
        ("en_support_lead", "error"),
        ("en_design_growth", "ok"),
    ]
    assert "timed out after 1 s" in result.records[0]["error"]
    assert "ModelUnavailable: LLM endpoint unreachable" == result.records[1]["error"]
    assert "RuntimeError: bug in the drafter" == result.records[2]["error"]
    assert result.status == "incomplete" and len(result.reasons) == 3 and len(events) == 3
    manifest, summary, _ = read_run(result.directory)
    assert manifest["status"] == "incomplete" and manifest["reasons"] == result.reasons
    assert next(iter(summary.values()))["cases_failed"] == 3


def test_bad_case_files_make_the_run_incomplete_but_the_rest_runs(settings: Settings) -> None:
    loaded = cases("en_platform_quarterly")
    loaded.problems.append(CaseProblem("reviews", "broken", "broken.json: not valid JSON"))
    result = EvalRunner(settings, drafter_factory=factory({}), isolate=False).run(loaded)
    assert result.status == "incomplete"
    assert result.reasons == ["case reviews/broken not run: broken.json: not valid JSON"]
    assert [r["status"] for r in result.records] == ["ok"]


def test_a_drafter_that_cannot_be_built_fails_every_case_clearly(settings: Settings, tmp_path: Path) -> None:
    attempts = tmp_path / "attempts"

    def broken(_: Settings) -> ScriptedDrafter:
        with attempts.open("a") as fh:  # a file, because the forked worker cannot touch the test's memory
            fh.write("x")
        raise ModelUnavailable("the embedded model file is missing")

    for isolate in (True, False):
        attempts.write_text("")
        result = EvalRunner(settings, drafter_factory=broken, isolate=isolate).run(
            cases("en_platform_quarterly", "en_sales_quarter")
        )
        assert result.status == "incomplete"
        assert {r["error"] for r in result.records} == {
            "the drafter could not be built: ModelUnavailable: the embedded model file is missing"
        }
        assert attempts.read_text() == "x", "a broken drafter is built once, not once per case"


def test_an_interrupted_run_is_stored_as_incomplete(settings: Settings) -> None:
    def interrupting(_: Settings) -> ScriptedDrafter:
        raise KeyboardInterrupt

    runner = EvalRunner(settings, drafter_factory=interrupting, isolate=False)
    with pytest.raises(KeyboardInterrupt):
        runner.run(cases("en_platform_quarterly"), run_id="interrupted")
    manifest, _, _ = read_run(settings.home / "evals" / "interrupted")
    assert manifest["status"] == "incomplete" and "interrupted" in manifest["reasons"][0]


@pytest.mark.parametrize("spec", ["gpt4", "openai:", "openai:@http://x", "openai:m@ftp://x", "llama"])
def test_malformed_model_specs_are_input_errors(spec: str) -> None:
    with pytest.raises(InputError):
        combinations(["v1"], [spec])


def test_specs_map_to_settings(settings: Settings) -> None:
    assert settings_updates("llamacpp") == {"llm_backend": "llamacpp", "llm_model": None, "llm_base_url": None}
    s = apply_spec(settings, "openai:qwen@http://127.0.0.1:8000/v1", "v2")
    assert (s.effective_llm_backend, s.llm_model, s.llm_base_url, s.prompt_version) == (
        "openai",
        "qwen",
        "http://127.0.0.1:8000/v1",
        "v2",
    )


def test_unreachable_endpoint_with_the_real_summariser_is_a_per_case_error(settings: Settings) -> None:
    """Real summariser, real HTTP client, closed port on loopback: each case says why, the run is incomplete."""
    base = settings.model_copy(update={"llm_max_retries": 0, "llm_timeout_s": 5.0})
    result = EvalRunner(base, timeout_s=120).run(
        cases("en_checkin_low_content"), models=["openai:m@http://127.0.0.1:9/v1"]
    )
    assert result.status == "incomplete"
    record = result.records[0]
    assert record["status"] == "error" and "onnection" in record["error"], record["error"]


def test_read_run_rejects_non_runs(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(InputError, match="no run.json"):
        read_run(tmp_path)
    with pytest.raises(InputError, match="no eval run"):
        resolve_run(settings, "nosuch")
    (tmp_path / "run.json").write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="corrupt"):
        read_run(tmp_path)
    assert json.loads('"ok"') == "ok"
