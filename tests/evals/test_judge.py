"""The optional LLM judge for evidence support: off by default (n/a), wired through the runner when configured."""

from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from copilot.errors import InputError
from copilot.settings import Settings
from evals.judge import JUDGE_ENV, ChatModelJudge, build_judge
from evals.runner import EvalRunner
from tests.evals.test_runner import cases, factory


def test_only_a_clear_yes_counts_as_support() -> None:
    judge = ChatModelJudge(FakeListChatModel(responses=["Yes.", "no", "I think so", "'yes'"]))
    assert [judge.supports("s", "q") for _ in range(4)] == [True, False, False, True]


def test_no_judge_unless_configured(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    assert build_judge(None, settings) is None
    monkeypatch.setenv(JUDGE_ENV, "openai:big-model@http://127.0.0.1:9/v1")
    judge = build_judge(None, settings)
    assert isinstance(judge, ChatModelJudge)


@pytest.mark.parametrize("spec", ["llamacpp", "openai:big-model", "none"])
def test_judge_needs_an_openai_compatible_endpoint(settings: Settings, spec: str) -> None:
    with pytest.raises(InputError, match="--judge needs"):
        build_judge(spec, settings)


def test_runner_reports_evidence_support_only_with_a_judge(settings: Settings) -> None:
    plain = EvalRunner(settings, drafter_factory=factory({}), isolate=False).run(cases("en_platform_quarterly"))
    assert next(iter(plain.summary.values()))["evidence_support"] is None
    judge = ChatModelJudge(FakeListChatModel(responses=["no"]))
    judged = EvalRunner(settings, drafter_factory=factory({}), isolate=False, judge=judge).run(
        cases("en_platform_quarterly")
    )
    record = judged.records[0]
    assert record["scores"]["judge_total"] == 1 and record["scores"]["judge_supported"] == 0
    assert next(iter(judged.summary.values()))["evidence_support"] == 0.0
