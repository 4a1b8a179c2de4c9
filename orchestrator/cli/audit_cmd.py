"""`concierge audit`: verify the decision log's hash chain and list recorded decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from orchestrator.cli.context import AsJson, Out, console, emit_json, state, stdout
from orchestrator.cli.policy_cmd import policy_errors

if TYPE_CHECKING:
    from policies.audit import AuditRecord

audit_app = typer.Typer(
    help="The decision log: verify its hash chain, list decisions.", no_args_is_help=True
)

EFFECTS = ("approve", "modify", "deny", "escalate")


def register(app: typer.Typer) -> None:
    """Add the audit command group to the CLI."""
    app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
@policy_errors
def verify(
    expect_head: Annotated[
        str | None, typer.Option(help="Head hash recorded elsewhere earlier (an anchor).")
    ] = None,
    as_json: AsJson = False,
    out: Out = None,
) -> None:
    """Check that no recorded decision was edited, removed or inserted; exit 1 if one was."""
    from dataclasses import asdict

    from policies.audit import ensure_schema, verify_chain

    engine = state.engine()
    try:
        ensure_schema(engine)
        report = verify_chain(engine, expect_head=expect_head)
    finally:
        engine.dispose()
    result = {
        "ok": report.ok,
        "records": report.records,
        "head_seq": report.head_seq,
        "head_hash": report.head_hash,
        "problems": [asdict(p) for p in report.problems],
    }
    emit_json(result, as_json=as_json, out=out)
    if not as_json:
        for p in report.problems:
            console.print(f"[red]{p.code}[/] at record {p.seq}: {p.message}", highlight=False)
        state_word = "[green]intact[/]" if report.ok else "[bold red]TAMPERED[/]"
        console.print(
            f"decision log {state_word}: {report.records} records, head {report.head_hash}"
        )
    if not report.ok:
        raise typer.Exit(code=1)


@audit_app.command("list")
@policy_errors
def list_records(
    actor: Annotated[str | None, typer.Option(help="Only this actor.")] = None,
    effect: Annotated[
        str | None, typer.Option(help=f"Only this effect: {', '.join(EFFECTS)}.")
    ] = None,
    rule: Annotated[
        str | None, typer.Option(help="Only decisions this rule gave a reason for.")
    ] = None,
    kind: Annotated[str | None, typer.Option(help="Only this action kind.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Most recent records to show.")] = 50,
    as_json: AsJson = False,
    out: Out = None,
) -> None:
    """List recorded decisions, newest first."""
    from policies.audit import DecisionLog, RecordFilter

    if effect is not None and effect not in EFFECTS:
        raise typer.BadParameter(f"must be one of {', '.join(EFFECTS)}", param_hint="--effect")
    engine = state.engine()
    try:
        where = RecordFilter(actor=actor, effect=effect, rule=rule, kind=kind, limit=limit)
        records = DecisionLog(engine).records(where)
    finally:
        engine.dispose()
    emit_json({"records": [_as_json(r) for r in records]}, as_json=as_json, out=out)
    if not as_json:
        _print_records(records)


def _as_json(record: AuditRecord) -> dict[str, Any]:
    return record.model_dump(mode="json")


def _print_records(records: list[AuditRecord]) -> None:
    for r in records:
        codes = " ".join(str(x.get("code", "")) for x in r.reasons)
        stdout.print(
            f"#{r.seq:<6} {r.created_at:%Y-%m-%d %H:%M:%S} {r.actor:<16} {r.action_kind:<20} "
            f"{r.effect:<9} {codes}  ({r.policy_version}, {r.latency_ms:.3f} ms)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
