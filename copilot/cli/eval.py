"""`copilot eval`: measure drafts against gold labels, side by side per prompt × model, and gate regressions.

Exit codes are raised as SystemExit, not typer.Exit: `copilot.cli.main` runs click with standalone_mode=False,
where click returns a typer.Exit code instead of exiting, and CI gating needs the non-zero status.
"""

from __future__ import annotations

import signal
from typing import Annotated

import typer
from rich.table import Table

from copilot.cli._common import console, err_console, progress_bar
from copilot.errors import InputError
from copilot.settings import Settings

eval_app = typer.Typer(
    help="Run the eval suite (every prompt version × model) or compare two runs.",
    invoke_without_command=True,
    no_args_is_help=False,
)


@eval_app.callback(invoke_without_command=True)
def run(
    ctx: typer.Context,
    dataset: Annotated[
        list[str] | None,
        typer.Option(help="reviews, injection, qmsum or smoke; repeatable. Default: reviews, injection, qmsum."),
    ] = None,
    prompt_version: Annotated[
        list[str] | None, typer.Option(help="Prompt version to evaluate; repeatable. Default: the configured one.")
    ] = None,
    model: Annotated[
        list[str] | None,
        typer.Option(help="llamacpp, llamacpp:/path.gguf, openai:MODEL@URL or none; repeatable. Default: configured."),
    ] = None,
    limit: Annotated[
        list[str] | None, typer.Option(help="At most N cases per dataset, or DATASET=N for one dataset; repeatable.")
    ] = None,
    split: Annotated[str | None, typer.Option(help="Only 'dev' or only 'test' cases.")] = None,
    case: Annotated[list[str] | None, typer.Option(help="Only this case id; repeatable.")] = None,
    timeout: Annotated[float, typer.Option(min=1.0, help="Seconds one case may take before it is killed.")] = 900.0,
    judge: Annotated[
        str | None, typer.Option(help="openai:MODEL@URL of a strong model to judge evidence support (optional).")
    ] = None,
) -> None:
    """Run the eval suite and write results and reports under COPILOT_HOME/evals/<run-id>/."""
    if ctx.invoked_subcommand is not None:
        return
    from evals.judge import build_judge
    from evals.report import write_reports
    from evals.runner import DEFAULT_DATASETS, EvalRunner, evals_dir, load_cases, new_run_id, parse_limits, read_run

    if split not in (None, "dev", "test"):
        raise InputError(f"--split must be dev or test, got {split!r}")
    settings = Settings()
    datasets = list(dict.fromkeys(dataset or DEFAULT_DATASETS))
    limits = parse_limits(limit or [])
    loaded = load_cases(datasets, split=split, limits=limits, case_ids=case or [])
    runner = EvalRunner(settings, judge=build_judge(judge, settings), timeout_s=timeout)
    combos = len(set(prompt_version or [settings.prompt_version])) * len(set(model or ["configured"]))
    options = {"datasets": datasets, "split": split, "limits": limits, "cases": case or []}
    err_console.print(f"{len(loaded.cases)} cases × {combos} combination(s); datasets: {', '.join(datasets)}")
    signal.signal(signal.SIGTERM, _terminate)  # a killed run is stored as incomplete, never left "running"
    run_id = new_run_id()
    try:
        with progress_bar("evaluating") as progress:
            result = runner.run(
                loaded,
                prompt_versions=prompt_version or [],
                models=model or [],
                options=options,
                run_id=run_id,
                progress=progress,
                on_event=lambda message: err_console.print(f"[red]problem:[/] {message}", highlight=False, markup=True),
            )
    except KeyboardInterrupt:
        directory = evals_dir(settings) / run_id
        if not (directory / "run.json").is_file():
            raise SystemExit(130) from None
        paths = write_reports(directory, *read_run(directory))
        err_console.print(
            f"[bold red]interrupted:[/] run {run_id} is incomplete; partial report: {paths['html']}",
            markup=True,
            highlight=False,
        )
        raise SystemExit(130) from None
    manifest, summary, records = read_run(result.directory)
    paths = write_reports(result.directory, manifest, summary, records)
    console.print(_summary_table(summary))
    console.print(f"run {result.run_id}: {result.status}")
    console.print(
        f"report: {paths['html']}\n        {paths['markdown']}\nresults: {result.directory / 'results.jsonl'}"
    )
    if result.status != "complete":
        err_console.print(f"[bold red]run incomplete:[/] {len(result.reasons)} problem(s), see the report", markup=True)
        raise SystemExit(1)


def _terminate(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _summary_table(summary: dict[str, dict[str, float | None]]) -> Table:
    from evals.report import metric_table

    spec = metric_table(summary)
    table = Table(*spec.headers, title="Eval metrics")
    for row in spec.rows:
        table.add_row(*row)
    return table


@eval_app.command("compare")
def compare(
    run_a: Annotated[str, typer.Argument(help="Baseline run id (or run directory).")],
    run_b: Annotated[str, typer.Argument(help="Candidate run id (or run directory).")],
    tolerance: Annotated[
        float | None, typer.Option(min=0.0, help="Allowed worsening for every gating metric (default: per metric).")
    ] = None,
) -> None:
    """Per-metric deltas of RUN_B against RUN_A; exit 1 when B regresses beyond tolerance or is incomplete."""
    from evals.compare import compare_runs
    from evals.metrics import format_value
    from evals.runner import resolve_run

    settings = Settings()
    result = compare_runs(resolve_run(settings, run_a), resolve_run(settings, run_b), tolerance=tolerance)
    table = Table("Combination", "Metric", "A", "B", "Δ", "Tolerance", "", title=f"{result.run_a} → {result.run_b}")
    for d in result.deltas:
        delta = "n/a" if d.delta is None else f"{d.delta:+.3f}"
        verdict = "[bold red]REGRESSION[/]" if d.regression else ("info" if d.metric.direction == "info" else "ok")
        table.add_row(
            d.combination,
            d.metric.label,
            format_value(d.metric, d.a),
            format_value(d.metric, d.b),
            delta,
            f"{d.tolerance:g}",
            verdict,
        )
    console.print(table)
    for warning in result.warnings:
        err_console.print(f"[yellow]warning:[/] {warning}", markup=True, highlight=False)
    if result.failed:
        what = f"{len(result.regressions)} regression(s)" if result.regressions else "run B is incomplete"
        err_console.print(f"[bold red]failed:[/] {what}", markup=True)
        raise SystemExit(1)
    console.print("no regression beyond tolerance")


@eval_app.command("report")
def report(
    run_id: Annotated[str, typer.Argument(help="Run id (or run directory).")],
    rescore: Annotated[
        bool, typer.Option(help="Score the stored drafts again with the current metrics first.")
    ] = False,
) -> None:
    """Re-render the HTML/Markdown report and the history plot of a stored run."""
    from evals.report import write_reports
    from evals.runner import read_run, rescore_run, resolve_run

    directory = resolve_run(Settings(), run_id)
    if rescore:
        for warning in rescore_run(directory):
            err_console.print(f"[yellow]warning:[/] {warning}", markup=True, highlight=False)
    manifest, summary, records = read_run(directory)
    paths = write_reports(directory, manifest, summary, records)
    console.print(f"report: {paths['html']}\n        {paths['markdown']}")


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
