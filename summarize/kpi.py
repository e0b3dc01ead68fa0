"""KPI pre-fill: read HR KPI data, compute deviations from target in code, flag the large ones.

The model never computes a deviation; it only sees the numbers as context.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from copilot.errors import InputError
from copilot.schema import Flag, KpiPrefill, OkrProgress
from summarize.text import content_words, overlap

TRUE_WORDS = {"1", "true", "yes", "y", "higher"}
FALSE_WORDS = {"0", "false", "no", "n", "lower"}


class KpiRow(BaseModel):
    """One row of a KPI file: employee, period, metric, target, actual (higher_is_better optional)."""

    model_config = ConfigDict(extra="ignore")

    employee: str | None = None
    period: str = Field(min_length=1)
    metric: str = Field(min_length=1)
    target: float
    actual: float
    higher_is_better: bool = True


def _coerce(raw: dict[str, Any]) -> dict[str, Any]:
    row = {str(k).strip().lower(): (v.strip() if isinstance(v, str) else v) for k, v in raw.items() if k}
    hib = row.get("higher_is_better")
    if isinstance(hib, str):
        low = hib.lower()
        if low in TRUE_WORDS | FALSE_WORDS:
            row["higher_is_better"] = low in TRUE_WORDS
        elif not low:
            row.pop("higher_is_better")
    return row


def load_kpis(path: Path, *, employee: str | None = None) -> list[KpiRow]:
    """Rows from a .csv or .json file, filtered to `employee` when rows name one; bad files are InputError."""
    if not path.is_file():
        raise InputError(f"KPI file not found: {path}")
    text = path.read_text(encoding="utf-8-sig")
    records: list[Any]
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path} is not valid JSON: {exc}") from exc
        records = data if isinstance(data, list) else data.get("kpis", []) if isinstance(data, dict) else []
    elif path.suffix.lower() == ".csv":
        records = list(csv.DictReader(io.StringIO(text)))
    else:
        raise InputError(f"KPI file must be .csv or .json: {path}")
    rows: list[KpiRow] = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise InputError(f"{path}: row {number} is not an object")
        try:
            rows.append(KpiRow.model_validate(_coerce(record)))
        except ValidationError as exc:
            err = exc.errors()[0]
            raise InputError(f"{path}: row {number}: {'.'.join(map(str, err['loc']))}: {err['msg']}") from exc
    if not rows:
        raise InputError(f"{path} holds no KPI rows")
    if employee:
        wanted = employee.strip().lower()
        rows = [r for r in rows if r.employee is None or r.employee.strip().lower() == wanted]
    return rows


def deviation_pct(row: KpiRow) -> float:
    """Signed shortfall versus target in percent; positive means worse than target."""
    if row.target == 0:
        shortfall = row.actual - row.target if not row.higher_is_better else row.target - row.actual
        return 0.0 if shortfall <= 0 else 100.0
    diff = (row.target - row.actual) if row.higher_is_better else (row.actual - row.target)
    return round(diff / abs(row.target) * 100.0, 2)


def prefill(row: KpiRow, threshold_pct: float) -> KpiPrefill:
    dev = deviation_pct(row)
    return KpiPrefill(
        metric=row.metric,
        period=row.period,
        target=row.target,
        actual=row.actual,
        higher_is_better=row.higher_is_better,
        deviation_pct=dev,
        flagged=dev > threshold_pct,
    )


def kpi_context(prefills: list[KpiPrefill]) -> str:
    """KPI numbers as model context (computed by code, not by the model)."""
    if not prefills:
        return ""
    lines = [
        f"- {p.metric} ({p.period}): actual {p.actual:g}, target {p.target:g}, "
        f"{abs(p.deviation_pct):g}% {'worse' if p.deviation_pct > 0 else 'better'} than target"
        for p in prefills
    ]
    return "KPI data from the HR system (trusted):\n" + "\n".join(lines)


def attach(okrs: list[OkrProgress], prefills: list[KpiPrefill]) -> list[OkrProgress]:
    """Attach each KPI to the best-matching discussed objective, or add it as not discussed; flag deviations."""
    out = list(okrs)
    for kpi in prefills:
        metric_words = content_words(kpi.metric)
        best, best_score = None, 0.0
        for okr in out:
            if okr.kpi is not None:
                continue
            text = " ".join([okr.objective, okr.note, *(e.quote for e in okr.evidence)])
            score = overlap(kpi.metric, text) if metric_words else 0.0
            if score > best_score:
                best, best_score = okr, score
        if best is None or best_score < 0.5:
            best = OkrProgress(objective=kpi.metric, status="not_discussed", note="From KPI data; not discussed.")
            out.append(best)
        best.kpi = kpi
        if kpi.flagged and Flag.kpi_deviation not in best.flags:
            best.flags.append(Flag.kpi_deviation)
    return out
