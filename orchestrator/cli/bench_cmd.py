"""`concierge bench`: latency benchmarks of the hot paths, one command per path.

Each benchmark prints p50/p95/p99 and writes one JSON object (`--json`, `--out FILE`); add a
new one as another command of `bench_app`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orchestrator.cli.context import console, emit_json
from orchestrator.cli.policy_cmd import policy_errors

bench_app = typer.Typer(
    help="Measure the latency of the hot paths (p50/p95/p99) and write JSON.",
    no_args_is_help=True,
)

AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
Out = Annotated[Path | None, typer.Option(help="Also write the JSON to this file.")]


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
