"""`concierge eval all`: every suite (or some) in one run, with progress bars, a JSON result and
a self-contained HTML report; `--compare` flags regressions against a previous run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from orchestrator.cli.context import console, emit_json, handle_errors, state

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from evals.harness.model import EvalRun

SUITE_NAMES = ("search", "concierge", "merch", "offers", "redteam", "latency", "recsys")


def register(eval_app: typer.Typer) -> None:
    """Add `all` to the `eval` command group."""
    eval_app.command("all")(eval_all)


class RichProgress:
    """Two bars on stderr: suites done, and the current suite's step."""

    def __init__(self, bar: Progress, total: int) -> None:
        self.bar = bar
        self.overall: TaskID = bar.add_task("suites", total=total)
        self.step: TaskID = bar.add_task("", total=None)
        self.current = ""

    def suite(self, name: str, index: int) -> None:
        """A suite starts."""
        self.current = name
        self.bar.update(self.overall, completed=index, description=f"suite {name}")
        self.bar.reset(self.step, total=None, description=f"  {name}: starting")

    def phase(self, description: str, total: int | None = None) -> None:
        """A step of the current suite starts."""
        self.bar.reset(self.step, total=total, description=f"  {self.current}: {description}")

    def advance(self, units: int = 1) -> None:
        """Units of the current step done."""
        self.bar.advance(self.step, units)


@handle_errors
def eval_all(
    quick: Annotated[
        bool, typer.Option("--quick", help="Small store and samples (about 10 minutes).")
    ] = False,
    suite: Annotated[
        list[str] | None,
        typer.Option("--suite", help=f"Only these suites (repeat): {', '.join(SUITE_NAMES)}."),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            help="Write report.html and report.json into this directory.", file_okay=False
        ),
    ] = None,
    compare: Annotated[
        Path | None,
        typer.Option("--compare", help="A previous run's JSON: flag regressions.", dir_okay=False),
    ] = None,
    attacks: Annotated[
        list[Path] | None,
        typer.Option(
            "--attacks", help="More red-team attack files (garak or BIPIA format).", dir_okay=False
        ),
    ] = None,
    trials: Annotated[
        int, typer.Option(min=1, max=20, help="Runs per scenario with an LLM (pass^k).")
    ] = 3,
    skus: Annotated[int | None, typer.Option(min=100, help="Demo store size instead.")] = None,
    shoppers: Annotated[int | None, typer.Option(min=10, help="Its shoppers.")] = None,
    shared_data: Annotated[
        Path | None, typer.Option(help="The shared data folder (default ../shared/data).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    out: Annotated[Path | None, typer.Option(help="Also write the JSON to this file.")] = None,
) -> None:
    """Run the eval suites on a demo store and report every figure beside its baselines.

    Suites: search, concierge, merch, offers, redteam, latency, recsys, then business figures
    over them. The demo store is built (and its catalog embedded) once under
    <data dir>/evals/templates; each suite works on its own copy. Exits with status 1 when a
    suite misses a threshold or errors, or when --compare finds a regression.
    """
    from evals.harness.report import write_report

    previous = _previous(compare)
    run = _run(quick, suite, attacks, trials, skus, shoppers, shared_data, previous, compare)
    payload = run.as_json()
    target = out or (report / "report.json" if report else None)
    emit_json(payload, as_json=as_json, out=target)
    if report is not None:
        write_report(run, report / "report.html")
    if not as_json:
        _show(run, report)
    if not run.passed:
        raise typer.Exit(code=1)


def _previous(path: Path | None) -> dict[str, Any] | None:
    from tools.exceptions import InputError

    if path is None:
        return None
    try:
        data: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read a previous run: {exc}") from exc
    if data.get("format") != "concierge-eval-run":
        raise InputError(f"{path}: not the JSON of `concierge eval all`")
    return data


def _run(
    quick: bool,
    suites: list[str] | None,
    attacks: list[Path] | None,
    trials: int,
    skus: int | None,
    shoppers: int | None,
    shared_data: Path | None,
    previous: dict[str, Any] | None,
    source: Path | None,
) -> EvalRun:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from evals.harness.context import DEFAULT_SHARED, EvalContext
    from evals.harness.runner import run_all
    from tools.exceptions import InputError

    chosen = suites or list(SUITE_NAMES)
    unknown = [s for s in chosen if s not in SUITE_NAMES]
    if unknown:
        raise InputError(f"unknown suite {unknown[0]!r}; choose from {', '.join(SUITE_NAMES)}")
    for path in attacks or []:
        if not path.is_file():
            raise InputError(f"{path}: no such attack file")
    settings = state.settings
    size = None
    if skus is not None or shoppers is not None:
        size = (skus or (1_000 if quick else 5_000), shoppers or (300 if quick else 2_000))
    llm_name = settings.llm.model if settings.llm.enabled else "none"
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        ctx = EvalContext(
            base=settings,
            quick=quick,
            trials=trials,
            shared_data=shared_data or DEFAULT_SHARED,
            attack_files=list(attacks or []),
            progress=RichProgress(bar, len(chosen)),
            llm_factory=_llm_factory() if settings.llm.enabled else None,
            store_size=size,
        )
        run = run_all(
            ctx,
            chosen,
            llm=llm_name or "configured",
            previous=previous,
            previous_source=str(source or ""),
        )
        bar.update(bar.task_ids[0], completed=len(chosen))
    return run


def _llm_factory() -> Any:
    from orchestrator.llm import build_llm

    return lambda: build_llm(state.settings.llm)


def _show(run: EvalRun, report: Path | None) -> None:
    from rich.table import Table

    table = Table("suite", "status", "headline", "seconds")
    for s in run.suites:
        headline = ", ".join(f"{m.name} {_fmt(m.value, m.unit)}" for m in s.metrics[:3]) or s.reason
        colour = {"passed": "green", "failed": "red", "error": "red"}.get(s.status, "yellow")
        table.add_row(s.name, f"[{colour}]{s.status}[/]", headline, f"{s.seconds:.0f}")
    console.print(table)
    if run.comparison is not None:
        flagged = run.comparison.regressions
        console.print(f"regressions against {run.comparison.previous_source}: {len(flagged)}")
        for r in flagged:
            console.print(f"  [red]{r.suite}.{r.metric}[/]: {r.previous:.4g} → {r.current:.4g}")
    load = run.machine
    console.print(
        f"wall time {run.wall_seconds:.0f} s on {load.cpus} cores "
        f"(load average {load.load_start[0]:.1f} at start, {load.load_end[0]:.1f} at end)"
    )
    if report is not None:
        console.print(f"report: {report / 'report.html'}")


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "share":
        return f"{value:.1%}"
    if unit == "$":
        return f"${value:,.2f}"
    if unit == "ms":
        return f"{value:.1f} ms"
    return f"{value:,.4g}"
