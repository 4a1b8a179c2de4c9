"""`concierge eval <suite>`: offline evaluations on data files; the work lives in `evals/`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from orchestrator.cli.context import console, emit_json, handle_errors, state

if TYPE_CHECKING:
    from evals.baskets import BasketsEvalResult
    from evals.choice import ChoiceEvalResult, HoldOut
    from evals.offers import Estimate, OffersEvalResult
    from evals.propensity import PropensityEvalResult

eval_app = typer.Typer(
    help="Offline evaluations on data files (a report, or one JSON object with --json).",
    no_args_is_help=True,
)

FileArg = Annotated[
    Path,
    typer.Option("--file", "-f", help="The data file to evaluate on.", dir_okay=False),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]
OutOpt = Annotated[Path | None, typer.Option(help="Also write the JSON to this file.")]
SeedOpt = Annotated[int, typer.Option(help="Seed of the hold-out split.")]


def register(app: typer.Typer) -> None:
    """Add the `eval` command group to the CLI."""
    app.add_typer(eval_app, name="eval")


@contextmanager
def _working(first: str) -> Iterator[Callable[[str], None]]:
    """A spinner on stderr; yields a function that updates its text."""
    with console.status(first) as status:
        yield lambda text: status.update(f"{text}…")


def _require(passed: bool, failure: str) -> None:
    """Exit with status 1 when the suite's quality check failed (the report is still written)."""
    if not passed:
        console.print(f"[bold red]check failed:[/] {failure}")
        raise typer.Exit(code=1)


def _fmt(value: float) -> str:
    return f"{value:.4g}"


@eval_app.command("baskets")
@handle_errors
def baskets(
    file: FileArg,
    support: Annotated[float, typer.Option(help="Minimum support of a rule's itemset.")] = 0.006,
    confidence: Annotated[float, typer.Option(help="Minimum confidence of a rule.")] = 0.25,
    min_len: Annotated[int, typer.Option(help="Minimum items per rule.")] = 2,
    top: Annotated[int, typer.Option(help="How many rules to show, by lift.")] = 10,
    as_json: JsonOpt = False,
    out: OutOpt = None,
) -> None:
    """Association rules (frequently bought together) from a file of baskets, one per line."""
    from evals.baskets import run_baskets_eval

    with _working("mining association rules…"):
        result = run_baskets_eval(
            path=file, min_support=support, min_confidence=confidence, min_len=min_len, top=top
        )
    emit_json(result.model_dump(mode="json"), as_json=as_json, out=out)
    if not as_json:
        _show_baskets(result)


def _show_baskets(result: BasketsEvalResult) -> None:
    from rich.table import Table

    console.print(
        f"{result.n_rules} rules from {result.n_baskets:,} baskets over {result.n_items} items "
        f"(support ≥ {result.min_support}, confidence ≥ {result.min_confidence})"
    )
    table = Table("antecedent", "consequent", "support", "confidence", "lift", "count")
    for rule in result.top_rules:
        table.add_row(
            "{" + ", ".join(rule.antecedent) + "}",
            "{" + rule.consequent + "}",
            f"{rule.support:.4f}",
            f"{rule.confidence:.3f}",
            f"{rule.lift:.3f}",
            str(rule.count),
        )
    console.print(table)


@eval_app.command("choice")
@handle_errors
def choice(
    file: FileArg,
    test_fraction: Annotated[float, typer.Option(help="Share of households held out.")] = 0.25,
    seed: SeedOpt = 0,
    save_for_pricing: Annotated[
        str | None,
        typer.Option(
            help="Also fit on the whole file and save it as the pricing engine's price response "
            "for this panel (cracker or yogurt), under <data dir>/models/choice/."
        ),
    ] = None,
    as_json: JsonOpt = False,
    out: OutOpt = None,
) -> None:
    """Multinomial-logit brand choice against a market-share baseline on held-out households.

    Exits with status 1 if a logit's held-out log-likelihood does not beat the baseline's.
    """
    from evals.choice import run_choice_eval

    with _working("reading purchases…") as progress:
        result = run_choice_eval(
            path=file, test_fraction=test_fraction, seed=seed, progress=progress
        )
    payload = result.model_dump(mode="json")
    if save_for_pricing:
        payload["saved_for_pricing"] = str(_save_choice_response(file, save_for_pricing))
    emit_json(payload, as_json=as_json, out=out)
    if not as_json:
        _show_choice(result)
    _require(result.logit_beats_baseline, "a logit did not beat the market-share baseline")


def _save_choice_response(file: Path, name: str) -> Path:
    from tools.choice import fit_mnl, load_choice_data
    from tools.pricing.choice import choice_response, save_choice_response

    data = load_choice_data(path=file)
    response = choice_response(name=name, model=fit_mnl(data=data), data=data)
    return save_choice_response(response=response, data_dir=state.settings.data_dir)


def _show_choice(result: ChoiceEvalResult) -> None:
    from rich.table import Table

    console.print(
        f"{result.n_occasions:,} purchases by {result.n_households} households; "
        f"{result.test_households} households ({result.test_occasions:,} purchases) held out"
    )
    fit = Table("predictor", "held-out LL", "per purchase", "hit rate", "pseudo-R² vs shares")
    fit.add_row("market share", *(_fmt(v) for v in _hold(result.baseline)), "0")
    for model in result.models:
        fit.add_row(
            model.name, *(_fmt(v) for v in _hold(model.held_out)), _fmt(model.pseudo_r2_vs_baseline)
        )
    console.print(fit)
    for model in result.models:
        coefs = Table("coefficient", "estimate", "std. error", "z", title=model.name)
        for c in model.coefficients:
            coefs.add_row(c.name, _fmt(c.estimate), _fmt(c.std_error), f"{c.z:.2f}")
        console.print(coefs)
        elastic = Table(
            "share of \\ price of",
            *result.alternatives,
            title=f"{model.name}: price elasticities at mean prices",
        )
        for j, row in model.elasticities.items():
            elastic.add_row(j, *(f"{row[k]:.3f}" for k in result.alternatives))
        console.print(elastic)


def _hold(hold_out: HoldOut) -> tuple[float, float, float]:
    return hold_out.log_likelihood, hold_out.mean_log_likelihood, hold_out.hit_rate


@eval_app.command("propensity")
@handle_errors
def propensity(
    file: FileArg,
    test_fraction: Annotated[float, typer.Option(help="Share of sessions held out.")] = 0.2,
    seed: SeedOpt = 0,
    model_out: Annotated[
        Path | None, typer.Option(help="Save the fitted propensity model (JSON) here.")
    ] = None,
    as_json: JsonOpt = False,
    out: OutOpt = None,
) -> None:
    """Session purchase propensity: boosted trees against logistic regression (ROC-AUC, F1).

    Exits with status 1 if the model's ROC-AUC is below the baseline's.
    """
    from evals.propensity import run_propensity_eval
    from tools.propensity import save_model

    with _working("reading sessions…") as progress:
        result, model = run_propensity_eval(
            path=file, seed=seed, test_fraction=test_fraction, progress=progress
        )
    if model_out is not None:
        save_model(model=model, path=model_out)
    emit_json(result.model_dump(mode="json"), as_json=as_json, out=out)
    if not as_json:
        _show_propensity(result)
    _require(result.auc_at_least_baseline, "the model's ROC-AUC is below the baseline's")


def _show_propensity(result: PropensityEvalResult) -> None:
    from rich.table import Table

    console.print(
        f"{result.n_sessions:,} sessions ({result.n_purchases:,} with a purchase); "
        f"{result.test_sessions:,} held out (stratified, seed {result.seed})"
    )
    table = Table("model", "ROC-AUC", "F1", "precision", "recall", "threshold")
    for report in (result.model, result.baseline):
        table.add_row(
            report.name,
            *(
                f"{v:.4f}"
                for v in (
                    report.roc_auc,
                    report.f1,
                    report.precision,
                    report.recall,
                    report.threshold,
                )
            ),
        )
    console.print(table)


@eval_app.command("offers")
@handle_errors
def offers(
    sessions: Annotated[
        int, typer.Option(min=1, max=1_000_000, help="Simulated shopper sessions.")
    ] = 10_000,
    seed: Annotated[int, typer.Option(help="Seed of the simulated sessions.")] = 0,
    as_json: JsonOpt = False,
    out: OutOpt = None,
) -> None:
    """The offer engine against 'never discount' and 'always 10% off' on simulated shoppers.

    Uses the configured store and its demo truth file (from `concierge init`). Exits with
    status 1 unless the engine beats both on expected contribution margin per shopper.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from evals.offers import run_offers_eval
    from tools.demo_store.truth import TRUTH_FILE_NAME

    settings = state.settings
    engine = state.engine()
    columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=console, disable=as_json) as bar:
            task = bar.add_task("sessions", total=sessions)
            result = run_offers_eval(
                engine=engine,
                truth_path=settings.data_dir / TRUTH_FILE_NAME,
                sessions=sessions,
                seed=seed,
                data_dir=settings.data_dir,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    finally:
        engine.dispose()
    emit_json(result.model_dump(mode="json"), as_json=as_json, out=out)
    if not as_json:
        _show_offers(result)
    _require(result.engine_beats_both, "the offer engine did not beat both baselines")


def _usd(value: float) -> str:
    return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"


def _ci(estimate: Estimate) -> str:
    return f"{_usd(estimate.mean)} [{_usd(estimate.ci_low)}, {_usd(estimate.ci_high)}]"


def _show_offers(result: OffersEvalResult) -> None:
    from rich.table import Table

    console.print(
        f"{result.sessions:,} simulated sessions of {result.shoppers:,} shoppers "
        f"(seed {result.seed}, {result.catalog_version}); 95% intervals over shoppers"
    )
    table = Table(
        "policy",
        "margin / shopper",
        "expected margin / shopper",
        "conversion",
        "discount / shopper",
    )
    for p in result.policies:
        table.add_row(
            p.name,
            _ci(p.margin_per_shopper),
            _ci(p.expected_margin_per_shopper),
            f"{p.conversion:.1%}",
            _ci(p.discount_per_shopper),
        )
    console.print(table)
    gains = Table("engine vs", "expected margin gain / shopper", "realised gain / shopper", "beats")
    for c in result.comparisons:
        verdict = "[green]yes[/]" if c.beats else "[red]no[/]"
        gains.add_row(c.baseline, _ci(c.expected_margin_gain), _ci(c.realised_margin_gain), verdict)
    console.print(gains)
    chosen = ", ".join(f"{k} {v:,}" for k, v in result.policies[0].options.items())
    ms = result.decision_ms
    console.print(f"engine offers: {chosen}")
    console.print(f"decision latency: p50 {ms['p50']:.3f} ms, p95 {ms['p95']:.3f} ms")
