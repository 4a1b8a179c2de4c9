"""`concierge bench`: latency benchmarks of the hot paths, one command per path.

Each benchmark prints p50/p95/p99 and writes one JSON object (`--json`, `--out FILE`); add a
new one as another command of `bench_app`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from orchestrator.cli.context import AsJson, Out, console, emit_json, handle_errors, state
from orchestrator.cli.policy_cmd import policy_errors

bench_app = typer.Typer(
    help="Measure the latency of the hot paths (p50/p95/p99) and write JSON.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the bench command group to the CLI."""
    app.add_typer(bench_app, name="bench")


@bench_app.command("policy")
@policy_errors
def bench_policy(
    iterations: Annotated[int, typer.Option(min=100, help="Timed checks.")] = 20_000,
    warmup: Annotated[int, typer.Option(min=0, help="Untimed checks first.")] = 1_000,
    seed: Annotated[int, typer.Option(help="Seed of the action mix.")] = 7,
    pack: Annotated[str, typer.Option(help="Pack name or path.")] = "default",
    as_json: AsJson = False,
    out: Out = None,
) -> None:
    """One policy check of one action, over a seeded mix of every action kind."""
    from policies.bench import run
    from policies.loader import load_pack

    result = run(load_pack(pack), iterations=iterations, warmup=warmup, seed=seed).as_dict()
    emit_json(result, as_json=as_json, out=out)
    if not as_json:
        verdict = "[green]within[/]" if result["within_budget"] else "[red]over[/]"
        console.print(
            f"policy check ({result['pack']}, {result['iterations']:,} checks): "
            f"p50 {result['p50_ms']:.3f} ms  p95 {result['p95_ms']:.3f} ms  "
            f"p99 {result['p99_ms']:.3f} ms  "
            f"({verdict} the {result['budget_p99_ms']} ms p99 budget)",
            soft_wrap=True,
        )


@bench_app.command("engines")
@handle_errors
def bench_engines(
    skus: Annotated[
        list[int] | None, typer.Option(help="Catalog sizes (repeat the option); 10k and 100k.")
    ] = None,
    shoppers: Annotated[int, typer.Option(min=10, help="Shoppers in each demo store.")] = 2_000,
    queries: Annotated[int, typer.Option(min=10, help="Timed calls per engine.")] = 300,
    engine: Annotated[
        list[str] | None,
        typer.Option(help="Only these engines: search, recommend, inventory, pricing (repeat)."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the stores and the drawn inputs.")] = 7,
    as_json: AsJson = False,
    out: Out = None,
) -> None:
    """Search, recommendation, availability + substitutes and offer decisions at each size."""
    from rich.table import Table

    from evals.bench_engines import ENGINES, run

    root = state.settings.data_dir / "bench"
    with console.status("benchmarking the engines") as status:
        result = run(
            root=root,
            sizes=skus or [10_000, 100_000],
            shoppers=shoppers,
            queries=queries,
            seed=seed,
            engines=tuple(engine) if engine else ENGINES,
            progress=lambda message: status.update(message),
        )
    emit_json(result, as_json=as_json, out=out)
    if as_json:
        return
    table = Table("skus", "engine", "p50 ms", "p95 ms", "p99 ms", "p95 budget")
    for size, engines in result["sizes"].items():
        for name, budget in result["budgets_p95_ms"].items():
            if name not in engines:
                continue
            row = engines[name]
            if "p95_ms" not in row:
                table.add_row(size, name, "-", "-", "-", str(row.get("skipped", "")))
                continue
            ok = "[green]ok[/]" if row["p95_ms"] <= budget else "[red]over[/]"
            cells = [f"{row[k]:.2f}" for k in ("p50_ms", "p95_ms", "p99_ms")]
            table.add_row(size, name, *cells, f"{budget:g} {ok}")
    console.print(table)


@bench_app.command("turn")
@handle_errors
def bench_turn(
    skus: Annotated[int, typer.Option(min=100, help="SKUs of the demo store.")] = 10_000,
    shoppers: Annotated[int, typer.Option(min=10, help="Shoppers of the demo store.")] = 2_000,
    conversations: Annotated[
        int, typer.Option(min=1, help="Timed conversations (3 turns each).")
    ] = 100,
    warmup: Annotated[int, typer.Option(min=0, help="Untimed conversations first.")] = 10,
    seed: Annotated[int, typer.Option(help="Seed of the demo store and the shoppers.")] = 7,
    as_json: AsJson = False,
    out: Out = None,
) -> None:
    """Full deterministic shopper turns (agents, MCP, policy, execute, reply, checkpoints)."""
    from orchestrator.bench_turn import run

    result = run(
        state.settings,
        skus=skus,
        shoppers=shoppers,
        conversations=conversations,
        warmup=warmup,
        seed=seed,
    ).as_dict()
    emit_json(result, as_json=as_json, out=out)
    if not as_json:
        verdict = "[green]within[/]" if result["within_budget"] else "[red]over[/]"
        console.print(
            f"shopper turn ({skus:,} SKUs, {result['turns']:,} turns): "
            f"p50 {result['p50_ms']:.1f} ms  p95 {result['p95_ms']:.1f} ms  "
            f"p99 {result['p99_ms']:.1f} ms  ({verdict} the {result['budget_p95_ms']:g} ms p95 "
            "budget)",
            soft_wrap=True,
        )
        console.print(
            f"CPU time per turn: p50 {result['cpu_p50_ms']:.1f} ms  p95 {result['cpu_p95_ms']:.1f} "
            f"ms  p99 {result['cpu_p99_ms']:.1f} ms",
            soft_wrap=True,
        )
        shares = ", ".join(f"{node} {share:.0%}" for node, share in result["node_share"].items())
        console.print(f"time per node: {shares}", soft_wrap=True)


@bench_app.command("http")
@handle_errors
def bench_http(
    skus: Annotated[int, typer.Option(min=100, help="SKUs of the demo store.")] = 10_000,
    shoppers: Annotated[int, typer.Option(min=10, help="Shoppers of the demo store.")] = 2_000,
    sessions: Annotated[
        list[int] | None,
        typer.Option(min=1, max=256, help="Concurrent shopper sessions (repeat; default 1 8 32)."),
    ] = None,
    seconds: Annotated[
        float, typer.Option(min=1, max=600, help="How long each concurrency runs.")
    ] = 20.0,
    seed: Annotated[int, typer.Option(help="Seed of the demo store and the sessions.")] = 7,
    as_json: AsJson = False,
    out: Out = None,
) -> None:
    """Chat turns per second and latency over HTTP on 127.0.0.1 at several concurrencies."""
    from orchestrator.bench_http import run

    result = run(
        state.settings,
        skus=skus,
        shoppers=shoppers,
        sessions=sessions or [1, 8, 32],
        seconds=seconds,
        seed=seed,
    ).as_dict()
    emit_json(result, as_json=as_json, out=out)
    if not as_json:
        from rich.table import Table

        table = Table(title=f"chat over HTTP, {skus:,} SKUs (POST /v1/chat/complete)")
        for column in ("sessions", "turns", "turns/s", "p50 ms", "p95 ms", "p99 ms", "errors"):
            table.add_column(column, justify="right")
        for level in result["levels"]:
            table.add_row(
                str(level["sessions"]),
                str(level["turns"]),
                f"{level['turns_per_s']:.1f}",
                *(f"{level[k]:.1f}" for k in ("p50_ms", "p95_ms", "p99_ms")),
                str(level["errors"]),
            )
        console.print(table)
    if result["errors"]:
        raise typer.Exit(code=1)
