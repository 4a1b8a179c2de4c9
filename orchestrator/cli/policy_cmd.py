"""`concierge policy`: the rule packs, a one-off check, and shadow runs of a candidate pack."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer

from orchestrator.cli.context import console, emit_json, handle_errors, state, stdout
from policies.exceptions import PolicyError

if TYPE_CHECKING:
    from policies.decision import PolicyDecision
    from policies.shadow import ShadowReport

P = ParamSpec("P")
R = TypeVar("R")

policy_app = typer.Typer(
    help="Rule packs: list them, check an action, shadow-run a candidate.", no_args_is_help=True
)

AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
Out = Annotated[Path | None, typer.Option(help="Also write the JSON to this file.")]


def register(app: typer.Typer) -> None:
    """Add the policy command group to the CLI."""
    app.add_typer(policy_app, name="policy")


def policy_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Like `handle_errors`, and policy errors (a bad pack, a bad action file) too."""
    inner = handle_errors(func)

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return inner(*args, **kwargs)
        except PolicyError as exc:
            console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(code=2) from exc

    return wrapper


@policy_app.command("packs")
@policy_errors
def packs(
    rules: Annotated[bool, typer.Option("--rules", help="List every rule too.")] = False,
    as_json: AsJson = False,
    out: Out = None,
) -> None:
    """List the built-in rule packs and their versions."""
    from policies.loader import builtin_packs, load_pack

    loaded = [load_pack(name) for name in builtin_packs()]
    result: dict[str, Any] = {"packs": [_pack_summary(p, with_rules=rules) for p in loaded]}
    emit_json(result, as_json=as_json, out=out)
    if not as_json:
        for summary in result["packs"]:
            stdout.print(f"[bold]{summary['version']}[/] {summary['rules']} rules")
            for rule in summary.get("rule_list", []):
                stdout.print(
                    f"  {rule['id'] + '@' + str(rule['version']):<36} {rule['effect']:<9}"
                    f"{rule['reason']:<30} {','.join(rule['applies_to'])}",
                    markup=False,
                    highlight=False,
                    soft_wrap=True,
                )


def _pack_summary(pack: Any, *, with_rules: bool) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "name": pack.spec.name,
        "version": pack.version,
        "source": pack.source,
        "rules": len(pack.spec.rules),
    }
    if with_rules:
        summary["rule_list"] = [
            r.model_dump(mode="json", include={"id", "version", "applies_to", "effect", "reason"})
            for r in pack.spec.rules
        ]
    return summary


@policy_app.command("check")
@policy_errors
def check_file(
    file: Annotated[Path, typer.Argument(help='JSON or YAML: {"action": …, "context": …}.')],
    pack: Annotated[str, typer.Option(help="Pack name or path.")] = "default",
    record: Annotated[bool, typer.Option(help="Record the decision in the decision log.")] = True,
    as_json: AsJson = False,
    out: Out = None,
) -> None:
    """Decide on one action with the facts given, and record the decision."""
    from policies.audit import DecisionLog
    from policies.checker import DecisionSink, MemorySink, PolicyChecker
    from policies.loader import load_pack

    action, context = _read_case(file)
    engine = state.engine()
    try:
        sink: DecisionSink = DecisionLog(engine) if record else MemorySink()
        decision = PolicyChecker(load_pack(pack), sink).check(action, context)
    finally:
        engine.dispose()
    result = decision.model_dump(mode="json")
    emit_json(result, as_json=as_json, out=out)
    if not as_json:
        _print_decision(decision)
    raise typer.Exit(code=0 if decision.executable else 1)


def _read_case(file: Path) -> tuple[Any, Any]:
    import yaml
    from pydantic import ValidationError

    from policies.actions import parse_action
    from policies.context import PolicyContext
    from policies.exceptions import PolicyInputError

    try:
        data = yaml.safe_load(file.read_text())
        context = PolicyContext.model_validate(data["context"])
        return parse_action(data["action"]), context
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValidationError) as exc:
        raise PolicyInputError(f"{file}: {exc}") from exc


def _print_decision(decision: PolicyDecision) -> None:
    colour = {"approve": "green", "modify": "yellow", "escalate": "magenta"}.get(
        decision.effect.value, "red"
    )
    stdout.print(
        f"[bold {colour}]{decision.effect.value}[/] {decision.action_kind} "
        f"by {decision.actor} under {decision.policy_version} ({decision.latency_ms:.3f} ms)",
        highlight=False,
    )
    for reason in decision.reasons:
        stdout.print(
            f"  {reason.code:<30} {reason.rule_id}  {reason.message}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    if decision.effect.value == "modify" and decision.action is not None:
        stdout.print(json.dumps(decision.action.payload(), indent=2, sort_keys=True))


@policy_app.command("shadow")
@policy_errors
def shadow_run(
    candidate: Annotated[str, typer.Option(help="Candidate pack: a name, directory or file.")],
    limit: Annotated[
        int, typer.Option(min=1, help="Most recent recorded actions to replay.")
    ] = 10_000,
    as_json: AsJson = False,
    out: Out = None,
) -> None:
    """Re-decide recorded actions under a candidate pack and print what would change."""
    from policies.audit import DecisionLog, RecordFilter
    from policies.loader import load_pack
    from policies.shadow import shadow

    pack = load_pack(candidate)
    engine = state.engine()
    try:
        log = DecisionLog(engine)
        records = log.records(RecordFilter(limit=limit), newest_first=True)
    finally:
        engine.dispose()
    report = shadow(reversed(records), pack)
    result = _shadow_result(report)
    emit_json(result, as_json=as_json, out=out)
    if not as_json:
        _print_shadow(report)


def _shadow_result(report: ShadowReport) -> dict[str, Any]:
    from dataclasses import asdict

    return {
        "candidate": report.candidate,
        "baselines": dict(report.baselines),
        "evaluated": report.evaluated,
        "counts": dict(report.counts),
        "changes": [asdict(c) for c in report.changes],
        "unreadable": report.unreadable,
    }


def _print_shadow(report: ShadowReport) -> None:
    counts = ", ".join(f"{k} {v}" for k, v in sorted(report.counts.items())) or "nothing"
    stdout.print(f"candidate {report.candidate}: {report.evaluated} re-decided ({counts})")
    if report.unreadable:
        stdout.print(f"[yellow]{len(report.unreadable)} records could not be read[/]")
    for c in sorted(report.changes, key=lambda c: (c.category, c.seq)):
        stdout.print(
            f"{c.category:<16} #{c.seq:<6} {c.action_kind:<20} {c.actor:<16} "
            f"{c.old_effect} -> {c.new_effect}  {' '.join(c.new_reasons)}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
