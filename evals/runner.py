"""Run every prompt version × model over the eval cases and store what happened.

Each combination drafts in its own worker process (forked), for two reasons: a
case that hangs inside llama.cpp can only be stopped by killing the process,
and a worker's peak RSS is the memory that backend really needs. After a
timeout or crash the worker is replaced and the run goes on with the next case.

Results are appended to `COPILOT_HOME/evals/<run-id>/results.jsonl` as each
case finishes, so an interrupted run keeps what it did. `run.json` says
`running` until the end, and only says `complete` when every case of every
combination was scored; anything else (a bad case file, an error, a timeout,
an interrupt) makes it `incomplete`, with the reasons listed. A draft the model
could not produce in schema (SummaryError) is a measured outcome, not a harness
failure: it counts against schema validity and scores as an empty draft.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import multiprocessing as mp
import secrets
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from copilot.domain.canonical import content_hash
from copilot.errors import CopilotError, InputError, ModelUnavailable, SummaryError
from copilot.ports import Drafter, ProgressCallback
from copilot.procstats import peak_rss_mb
from copilot.schema import ActionItem, ReviewDraft
from copilot.settings import Settings
from evals.cases import REVIEW_DATASETS, EvalCase, LoadedCases, ReviewCase, load_review_dataset
from evals.metrics import EvidenceJudge, aggregate, score_case
from evals.qmsum import load_qmsum
from evals.specs import apply_spec, settings_updates, spec_of

DrafterFactory = Callable[[Settings], Drafter]
EventCallback = Callable[[str], None]
DATASETS = (*REVIEW_DATASETS, "qmsum", "smoke")
DEFAULT_DATASETS = (*REVIEW_DATASETS, "qmsum")
SMOKE_CASES = ("en_checkin_low_content", "inj_ignore_previous")
"""Small, fast cases for the CI smoke run: a low-content check-in and a short review with an injection."""
RunStatus = Literal["running", "complete", "incomplete"]
CaseStatus = Literal["ok", "invalid", "error", "timeout"]
WORKER_START_TIMEOUT_S = 300.0


def default_drafter_factory(settings: Settings) -> Drafter:
    """The real summariser, imported late so the harness loads without it."""
    try:
        from summarize.pipeline import build_drafter
    except ImportError as exc:
        raise ModelUnavailable(f"the summariser is not available (summarize.pipeline: {exc})") from exc
    return build_drafter(settings)


def parse_limits(values: Sequence[str]) -> dict[str, int]:
    """`--limit` values: 'N' (every dataset, key '*') or 'DATASET=N' (one dataset)."""
    limits: dict[str, int] = {}
    for value in values:
        name, _, number = value.rpartition("=")
        if name and name not in DATASETS:
            raise InputError(f"--limit {value!r}: unknown dataset {name!r}")
        if not number.isdigit() or int(number) < 1:
            raise InputError(f"--limit {value!r}: want a positive number N or DATASET=N")
        limits[name or "*"] = int(number)
    return limits


def load_cases(
    datasets: Sequence[str],
    *,
    split: str | None = None,
    limits: Mapping[str, int] | None = None,
    case_ids: Sequence[str] = (),
) -> LoadedCases:
    """Cases of the named datasets, filtered by split and ids, at most `limits[name]` (or `limits['*']`) each."""
    limits = limits or {}
    out = LoadedCases()
    for name in datasets:
        if name not in DATASETS:
            raise InputError(f"unknown dataset {name!r}: choose from {', '.join(DATASETS)}")
        if name == "smoke":
            loaded = LoadedCases()
            for source in REVIEW_DATASETS:
                part = load_review_dataset(source)
                loaded.cases += [c for c in part.cases if c.id in SMOKE_CASES]
                loaded.problems += [p for p in part.problems if p.case_id in SMOKE_CASES]
        elif name == "qmsum":
            loaded = load_qmsum()
        else:
            loaded = load_review_dataset(name)
        cases = [c for c in loaded.cases if (split is None or c.split == split) and (not case_ids or c.id in case_ids)]
        limit = limits.get(name, limits.get("*"))
        out.cases += cases[:limit] if limit is not None else cases
        out.problems += [p for p in loaded.problems if not case_ids or p.case_id in case_ids]
    unknown = set(case_ids) - {c.id for c in out.cases} - {p.case_id for p in out.problems}
    if unknown:
        raise InputError(f"no such case in {', '.join(datasets)}: {', '.join(sorted(unknown))}")
    return out


@dataclass(frozen=True)
class Combination:
    """One prompt version with one model spec: a column of the report."""

    prompt_version: str
    model: str

    @property
    def key(self) -> str:
        return f"{self.prompt_version} | {self.model}"


def case_fingerprint(case: EvalCase) -> str:
    """sha256 of a case's content, so a comparison can tell when the data itself changed between runs."""
    data = case.model_dump(mode="json") if isinstance(case, ReviewCase) else [case.transcript, case.reference]
    return content_hash(data)


def combinations(prompt_versions: Sequence[str], models: Sequence[str]) -> list[Combination]:
    for spec in models:
        settings_updates(spec)  # fail fast on a malformed spec, before any work
    return [Combination(p, m) for p in dict.fromkeys(prompt_versions) for m in dict.fromkeys(models)]


def new_run_id(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(2)


def evals_dir(settings: Settings) -> Path:
    return settings.ensure_home() / "evals"


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", *args], cwd=Path(__file__).parent, capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def _code_version() -> dict[str, Any]:
    """The commit measured, and whether the code that drafts (or scores) had uncommitted changes."""
    dirty = _git("status", "--porcelain", "--", "summarize", "prompts", "evals", "copilot/schema.py")
    return {"git_commit": _git("rev-parse", "--short", "HEAD"), "git_dirty": None if dirty is None else bool(dirty)}


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _drafter_usage(drafter: Drafter) -> tuple[int, int] | None:
    """Token counters a drafter may expose as `usage.input_tokens` / `usage.output_tokens` (optional)."""
    usage = getattr(drafter, "usage", None)
    counts = (getattr(usage, "input_tokens", None), getattr(usage, "output_tokens", None))
    return (counts[0], counts[1]) if isinstance(counts[0], int) and isinstance(counts[1], int) else None


def _usage_delta(before: tuple[int, int] | None, after: tuple[int, int] | None) -> dict[str, int]:
    if before is None or after is None:
        return {"input_tokens": 0, "output_tokens": 0, "total_tokens": 0}
    tokens_in, tokens_out = after[0] - before[0], after[1] - before[1]
    return {"input_tokens": tokens_in, "output_tokens": tokens_out, "total_tokens": tokens_in + tokens_out}


def earlier_open_items(case: EvalCase) -> list[ActionItem]:
    """A follow-up case's earlier action items, as the service would carry them over (status is what's scored)."""
    if not isinstance(case, ReviewCase):
        return []
    return [ActionItem(owner=p.owner, task=p.task) for p in case.gold.previous_items]


def draft_case(drafter: Drafter, case: EvalCase) -> dict[str, Any]:
    """Draft one case and measure it; every failure becomes a status, never an exception."""
    from langchain_core.callbacks import get_usage_metadata_callback

    started = time.perf_counter()
    out: dict[str, Any] = {"status": "ok", "error": None, "draft": None, "tokens": None}
    before = _drafter_usage(drafter)
    try:
        with get_usage_metadata_callback() as usage:
            draft = drafter.draft(
                case.transcript,
                meeting_date=case.meeting_date,
                employee=case.employee,
                manager=case.manager,
                previous=earlier_open_items(case),
            )
        if not isinstance(draft, ReviewDraft):
            raise SummaryError(f"the drafter returned {type(draft).__name__}, not a ReviewDraft")
        out["draft"] = ReviewDraft.model_validate(draft.model_dump(mode="json")).model_dump(mode="json")
        totals = {
            k: sum(int(u[k]) for u in usage.usage_metadata.values())
            for k in ("input_tokens", "output_tokens", "total_tokens")
        }
        if not totals["total_tokens"]:  # the model did not report through langchain: ask the drafter
            totals = _usage_delta(before, _drafter_usage(drafter))
        out["tokens"] = totals if totals["total_tokens"] else None
    except (SummaryError, ValidationError) as exc:
        out |= {"status": "invalid", "error": _one_line(exc)}
    except CopilotError as exc:
        out |= {"status": "error", "error": _one_line(exc)}
    except Exception as exc:  # a bug in the drafter must not end the run; it is reported per case
        out |= {"status": "error", "error": _one_line(exc)}
    out["latency_s"] = round(time.perf_counter() - started, 3)
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return out


def _worker(conn: Connection, settings: Settings, factory: DrafterFactory, cases: Sequence[EvalCase]) -> None:
    """Child process: build the drafter once, then draft the cases the parent names."""
    try:
        drafter = factory(settings)
    except Exception as exc:
        conn.send(("fatal", _one_line(exc)))
        return
    conn.send(("ready", None))
    while True:
        index = conn.recv()
        if index is None:
            return
        conn.send(("result", draft_case(drafter, cases[index])))


def _preload_summariser() -> None:
    """Import the summariser once in the parent, so every forked worker runs the same code even if files change."""
    try:
        importlib.import_module("summarize.pipeline")
    except ImportError:
        pass  # each case then reports the missing summariser through default_drafter_factory


class _Worker:
    """Parent side of one worker process, with a hard per-case timeout."""

    def __init__(self, settings: Settings, factory: DrafterFactory, cases: Sequence[EvalCase]) -> None:
        self.args = (settings, factory, cases)
        self.proc: Any = None
        self.conn: Connection | None = None
        self.problem: str | None = None  # the drafter could not be built: not retried for every case

    def _start(self) -> str | None:
        parent, child = mp.get_context("fork").Pipe()
        self.proc = mp.get_context("fork").Process(target=_worker, args=(child, *self.args), daemon=True)
        self.proc.start()
        child.close()
        self.conn = parent
        if not parent.poll(WORKER_START_TIMEOUT_S):
            self.stop()
            return f"the drafter did not start within {WORKER_START_TIMEOUT_S:.0f} s"
        try:
            kind, payload = parent.recv()
        except EOFError:
            self.stop()
            return "the worker process died while building the drafter"
        if kind == "fatal":
            self.stop()
            return f"the drafter could not be built: {payload}"
        return None

    def draft(self, index: int, timeout_s: float) -> dict[str, Any]:
        if self.conn is None and self.problem is None:
            self.problem = self._start()
        if self.problem is not None:
            return {"status": "error", "error": self.problem}
        assert self.conn is not None
        started = time.perf_counter()
        self.conn.send(index)
        if not self.conn.poll(timeout_s):
            self.stop()
            return {
                "status": "timeout",
                "error": f"timed out after {timeout_s:g} s",
                "latency_s": round(time.perf_counter() - started, 3),
            }
        try:
            kind, payload = self.conn.recv()
        except EOFError:
            code = self.proc.exitcode if self.proc is not None else None
            self.stop()
            return {"status": "error", "error": f"the worker process died (exit code {code})"}
        assert kind == "result"
        result: dict[str, Any] = payload
        return result

    def stop(self) -> None:
        if self.conn is not None:
            try:
                self.conn.send(None)
            except (OSError, ValueError):
                pass
            self.conn.close()
            self.conn = None
        if self.proc is not None:
            self.proc.join(timeout=2)
            if self.proc.is_alive():
                self.proc.kill()
                self.proc.join()
            self.proc = None


class _InProcess:
    """Runs the drafter in this process: no hard timeout, for tests and debugging."""

    def __init__(self, settings: Settings, factory: DrafterFactory, cases: Sequence[EvalCase]) -> None:
        self.settings, self.factory, self.cases = settings, factory, cases
        self.drafter: Drafter | None = None
        self.problem: str | None = None

    def draft(self, index: int, timeout_s: float) -> dict[str, Any]:  # noqa: ARG002 - same signature as _Worker
        if self.drafter is None and self.problem is None:
            try:
                self.drafter = self.factory(self.settings)
            except Exception as exc:
                self.problem = f"the drafter could not be built: {_one_line(exc)}"
        if self.drafter is None:
            return {"status": "error", "error": self.problem}
        return draft_case(self.drafter, self.cases[index])

    def stop(self) -> None:
        self.drafter = None


@dataclass
class RunResult:
    run_id: str
    directory: Path
    status: RunStatus
    reasons: list[str]
    summary: dict[str, dict[str, float | None]]
    records: list[dict[str, Any]] = field(default_factory=list)


class EvalRunner:
    """Drafts and scores cases for each combination, writing a run directory as it goes."""

    def __init__(
        self,
        settings: Settings,
        *,
        drafter_factory: DrafterFactory = default_drafter_factory,
        judge: EvidenceJudge | None = None,
        isolate: bool = True,
        timeout_s: float = 900.0,
    ) -> None:
        self.settings = settings
        self.factory = drafter_factory
        self.judge = judge
        self.isolate = isolate
        self.timeout_s = timeout_s

    def run(
        self,
        loaded: LoadedCases,
        *,
        prompt_versions: Sequence[str] = (),
        models: Sequence[str] = (),
        options: dict[str, Any] | None = None,
        run_id: str | None = None,
        progress: ProgressCallback | None = None,
        on_event: EventCallback | None = None,
    ) -> RunResult:
        combos = combinations(prompt_versions or [self.settings.prompt_version], models or [spec_of(self.settings)])
        run_id = run_id or new_run_id()
        directory = evals_dir(self.settings) / run_id
        directory.mkdir(parents=True, exist_ok=False)
        notify = on_event or (lambda _msg: None)
        reasons = [f"case {p.dataset}/{p.case_id} not run: {p.reason}" for p in loaded.problems]
        for reason in reasons:
            notify(reason)
        if not loaded.cases:
            reasons.append("no cases to run")
        manifest: dict[str, Any] = {
            "run_id": run_id,
            "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "finished_at": None,
            "status": "running",
            "reasons": reasons,
            "combinations": [{"key": c.key, "prompt_version": c.prompt_version, "model": c.model} for c in combos],
            "cases": [
                {"id": c.id, "dataset": c.dataset, "split": c.split, "sha256": case_fingerprint(c)}
                for c in loaded.cases
            ],
            "problems": [p.__dict__ for p in loaded.problems],
            "options": options or {},
            "timeout_s": self.timeout_s,
            "judge": self.judge is not None,
            **_code_version(),
        }
        _write_json(directory / "run.json", manifest)
        if self.factory is default_drafter_factory:
            _preload_summariser()
        records: list[dict[str, Any]] = []
        total = max(1, len(combos) * len(loaded.cases))
        done = 0
        try:
            with (directory / "results.jsonl").open("a", encoding="utf-8") as sink:
                for combo in combos:
                    settings = apply_spec(self.settings, combo.model, combo.prompt_version)
                    runner_cls = _Worker if self.isolate else _InProcess
                    worker = runner_cls(settings, self.factory, loaded.cases)
                    try:
                        for index, case in enumerate(loaded.cases):
                            record = self._run_case(worker, index, case, combo)
                            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                            sink.flush()
                            records.append(record)
                            if record["status"] in ("error", "timeout"):
                                message = f"{combo.key}: case {case.id}: {record['status']}: {record['error']}"
                                reasons.append(message)
                                notify(message)
                            done += 1
                            if progress is not None:
                                progress(done / total)
                    finally:
                        worker.stop()
        except KeyboardInterrupt:
            reasons.append(f"interrupted after {done} of {total} case runs")
            manifest |= {
                "status": "incomplete",
                "reasons": reasons,
                "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            }
            _write_json(directory / "summary.json", summarise([c.key for c in combos], records))
            _write_json(directory / "run.json", manifest)
            raise
        summary = summarise([c.key for c in combos], records)
        status: RunStatus = "incomplete" if reasons else "complete"
        manifest |= {
            "status": status,
            "reasons": reasons,
            "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        _write_json(directory / "summary.json", summary)
        _write_json(directory / "run.json", manifest)
        return RunResult(run_id, directory, status, reasons, summary, records)

    def _run_case(self, worker: _Worker | _InProcess, index: int, case: EvalCase, combo: Combination) -> dict[str, Any]:
        outcome = worker.draft(index, self.timeout_s)
        record: dict[str, Any] = {
            "combination": combo.key,
            "prompt_version": combo.prompt_version,
            "model": combo.model,
            "case_id": case.id,
            "dataset": case.dataset,
            "split": case.split,
            "status": outcome["status"],
            "error": outcome.get("error"),
            "latency_s": outcome.get("latency_s"),
            "tokens": outcome.get("tokens"),
            "peak_rss_mb": outcome.get("peak_rss_mb"),
            "draft": outcome.get("draft"),
            "scores": None,
            "details": None,
        }
        return score_record(record, case, self.judge)


def score_record(record: dict[str, Any], case: EvalCase, judge: EvidenceJudge | None) -> dict[str, Any]:
    """Fill a record's scores from its stored draft (drafted or schema-invalid records only)."""
    if record["status"] not in ("ok", "invalid"):
        return record
    draft = ReviewDraft.model_validate(record["draft"]) if record["status"] == "ok" else None
    try:
        record["scores"], record["details"] = score_case(case, draft, judge=judge)
    except Exception as exc:  # a judge endpoint failing is reported for this case, not fatal
        record |= {"status": "error", "error": f"scoring failed: {_one_line(exc)}", "scores": None, "details": None}
    return record


def rescore_run(directory: Path, *, judge: EvidenceJudge | None = None) -> list[str]:
    """Score a stored run's drafts again with the current metrics, without drafting again.

    Only cases whose content is unchanged since the run (same fingerprint) are rescored: a draft made from
    another transcript cannot be judged against new gold. Returns one warning per case left as it was.
    """
    manifest, _, records = read_run(directory)
    if manifest.get("status") == "running":
        raise InputError(f"eval run {manifest['run_id']} is still running")
    datasets = sorted({c["dataset"] for c in manifest["cases"]})
    current = {c.id: c for c in load_cases(datasets).cases}
    stored = {c["id"]: c.get("sha256") for c in manifest["cases"]}
    warnings: list[str] = []
    for record in records:
        case = current.get(record["case_id"])
        if case is None or case_fingerprint(case) != stored.get(record["case_id"]):
            warnings.append(f"{record['case_id']}: case changed or gone since the run; kept its old scores")
            continue
        score_record(record, case, judge)
    with (directory / "results.jsonl.tmp").open("w", encoding="utf-8") as sink:
        sink.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (directory / "results.jsonl.tmp").replace(directory / "results.jsonl")
    _write_json(directory / "summary.json", summarise([c["key"] for c in manifest["combinations"]], records))
    manifest["rescored_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    _write_json(directory / "run.json", manifest)
    return warnings


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


def summarise(keys: Sequence[str], records: Sequence[dict[str, Any]]) -> dict[str, dict[str, float | None]]:
    """Metrics per combination over the records there are (all of them only when the run is complete)."""
    return {key: aggregate([r for r in records if r["combination"] == key]) for key in keys}


def read_run(directory: Path) -> tuple[dict[str, Any], dict[str, dict[str, float | None]], list[dict[str, Any]]]:
    """Manifest, summary and records of a stored run.

    A run that is still going, or was killed before it could write summary.json, gets a summary computed from
    the records it has; its manifest status says it is not complete. A last line cut short by a kill is ignored.
    """
    manifest_path = directory / "run.json"
    if not manifest_path.is_file():
        raise InputError(f"not an eval run (no run.json): {directory}")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        summary_path = directory / "summary.json"
        summary = json.loads(summary_path.read_text(encoding="utf-8")) if summary_path.is_file() else {}
        results = directory / "results.jsonl"
        lines = results.read_text(encoding="utf-8").splitlines() if results.is_file() else []
        lines = [line for line in lines if line.strip()]
        records = [json.loads(line) for line in lines[:-1]]
        if lines:
            try:
                records.append(json.loads(lines[-1]))
            except json.JSONDecodeError:
                if manifest.get("status") == "complete":
                    raise
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"eval run {directory.name} is corrupt: {exc}") from exc
    if not summary and records:
        summary = summarise([c["key"] for c in manifest.get("combinations", [])], records)
    return manifest, summary, records


def resolve_run(settings: Settings, run: str) -> Path:
    """A run id under COPILOT_HOME/evals, or a path to a run directory."""
    candidate = Path(run)
    if (candidate / "run.json").is_file():
        return candidate
    directory = evals_dir(settings) / run
    if not (directory / "run.json").is_file():
        raise InputError(f"no eval run {run!r} (looked in {evals_dir(settings)})")
    return directory
