"""Compare two runs metric by metric and decide whether B regressed against A (for CI gating).

Combinations are paired by their `prompt | model` key. When each run has a
single combination with different keys (the usual "prompt v1 run vs prompt v2
run"), those two are paired. A metric regresses when it moves the wrong way by
more than its tolerance; `info` metrics (latency, memory, floors) never gate,
because timings on a shared machine are too noisy to fail a build on. An
incomplete run B cannot prove the absence of a regression, so it fails too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from copilot.errors import InputError
from evals.metrics import METRICS, MetricSpec
from evals.runner import read_run


@dataclass(frozen=True)
class Delta:
    combination: str
    metric: MetricSpec
    a: float | None
    b: float | None
    tolerance: float
    regression: bool

    @property
    def delta(self) -> float | None:
        return None if self.a is None or self.b is None else self.b - self.a


@dataclass
class Comparison:
    run_a: str
    run_b: str
    deltas: list[Delta] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    b_incomplete: bool = False

    @property
    def regressions(self) -> list[Delta]:
        return [d for d in self.deltas if d.regression]

    @property
    def failed(self) -> bool:
        return bool(self.regressions) or self.b_incomplete


def is_regression(spec: MetricSpec, a: float | None, b: float | None, tolerance: float) -> bool:
    if spec.direction == "info" or a is None or b is None:
        return False
    if spec.direction == "higher":
        return b < a - tolerance - 1e-12
    return b > a + tolerance + 1e-12


def _pairs(summary_a: dict[str, Any], summary_b: dict[str, Any]) -> list[tuple[str, str]]:
    common = [k for k in summary_a if k in summary_b]
    if common:
        return [(k, k) for k in common]
    if len(summary_a) == 1 and len(summary_b) == 1:
        return [(next(iter(summary_a)), next(iter(summary_b)))]
    raise InputError("the two runs share no prompt | model combination to compare")


def compare_runs(dir_a: Path, dir_b: Path, *, tolerance: float | None = None) -> Comparison:
    """Per-metric deltas of B against A; `tolerance` overrides every metric's default."""
    manifest_a, summary_a, _ = read_run(dir_a)
    manifest_b, summary_b, _ = read_run(dir_b)
    result = Comparison(manifest_a["run_id"], manifest_b["run_id"])
    for label, manifest, summary in (("A", manifest_a, summary_a), ("B", manifest_b, summary_b)):
        if manifest["status"] != "complete":
            result.warnings.append(f"run {label} ({manifest['run_id']}) is {manifest['status']}")
        if not summary:
            raise InputError(f"run {label} ({manifest['run_id']}) has no metrics yet (status {manifest['status']})")
    result.b_incomplete = manifest_b["status"] != "complete"
    cases_a = {(c["id"], c.get("sha256")) for c in manifest_a["cases"]}
    cases_b = {(c["id"], c.get("sha256")) for c in manifest_b["cases"]}
    if cases_a != cases_b:
        result.warnings.append(
            f"the runs used different cases or case versions ({len({i for i, _ in cases_a ^ cases_b})} differ): "
            "deltas mix a change of data with a change of system"
        )
    for key_a, key_b in _pairs(summary_a, summary_b):
        name = key_a if key_a == key_b else f"{key_a} → {key_b}"
        for spec in METRICS:
            a, b = summary_a[key_a].get(spec.name), summary_b[key_b].get(spec.name)
            if a is None and b is None:
                continue
            tol = spec.tolerance if tolerance is None or spec.direction == "info" else tolerance
            result.deltas.append(Delta(name, spec, a, b, tol, is_regression(spec, a, b, tol)))
    return result
