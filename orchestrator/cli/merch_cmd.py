"""`concierge merch`: give the concierge a merchandising task, see its preview, approve or reject.

The task runs through the same graph as a shopper's turn (`mode="merch"`): the planner compiles it
into typed actions with a dry-run preview, the policy checker judges them, and an escalated action
waits for a person. At a terminal the command asks for that person's verdict; otherwise
`--approve` or `--reject` gives it, and without either the task stays pending on its thread, to be
decided later with `concierge merch --thread T --approve|--reject --approver ID`.
"""

from __future__ import annotations

import sys
import uuid
from typing import TYPE_CHECKING, Annotated, Any

import anyio
import typer

from orchestrator.cli.context import AsJson, Out, console, emit_json, handle_errors, state, stdout

if TYPE_CHECKING:
    from orchestrator.events import TurnEvent
    from orchestrator.runtime import Concierge
    from policies.context import ActorFacts


class Verdicts:
    """How escalations are decided: a flag, a prompt at a terminal, or left pending."""

    def __init__(self, *, approve: bool | None, approver: str | None, interactive: bool) -> None:
        self.approve = approve
        self.approver = approver
        self.interactive = interactive

    def decide(self, approvals: list[dict[str, Any]]) -> dict[str, dict[str, Any]] | None:
        """{decision_id: verdict} for every pending approval, or None to leave them pending."""
        if self.approve is None and not self.interactive:
            return None
        approver = self.approver
        if approver is None:
            approver = typer.prompt("approver id") if self.interactive else None
        if not approver:
            raise typer.BadParameter("an approver id is needed", param_hint="--approver")
        verdicts: dict[str, dict[str, Any]] = {}
        for ask in approvals:
            approved = self.approve
            if approved is None:
                approved = typer.confirm(
                    f"approve {ask['kind']} ({ask['summary']})?", default=False
                )
            verdicts[ask["decision_id"]] = {"approve": approved, "by": approver}
        return verdicts


def register(app: typer.Typer) -> None:
    """Add the merch command to the CLI."""
    app.command("merch")(merch)


@handle_errors
def merch(
    task: Annotated[
        str | None,
        typer.Argument(help='The task, e.g. "boost vegan skincare 20% until Sunday".'),
    ] = None,
    actor: Annotated[
        str, typer.Option("--as", help="The merchandiser giving the task.")
    ] = "merchandiser",
    scope: Annotated[
        list[str] | None,
        typer.Option(help="Category paths the merchandiser may change (repeat; default all)."),
    ] = None,
    thread: Annotated[
        str | None,
        typer.Option(help="The task's thread: continue it, or decide its pending approvals."),
    ] = None,
    approve: Annotated[
        bool | None,
        typer.Option(
            "--approve/--reject",
            help="Approve or reject escalated actions without asking (default: ask at a "
            "terminal, else leave them pending).",
        ),
    ] = None,
    approver: Annotated[
        str | None, typer.Option(help="Who approves or rejects (not the task's merchandiser).")
    ] = None,
    as_json: AsJson = False,
    out: Out = None,
) -> None:
    """Run a merchandising task: plan, dry-run preview, policy check, approval, execution."""
    if task is None and thread is None:
        raise typer.BadParameter(
            "give a task, or --thread to decide a pending one", param_hint="TASK"
        )
    if task is None and approve is None and not sys.stdin.isatty():
        raise typer.BadParameter(
            "deciding a pending task needs --approve or --reject", param_hint="--approve/--reject"
        )
    verdicts = Verdicts(approve=approve, approver=approver, interactive=sys.stdin.isatty())
    thread_id = thread or f"merch-{actor}-{uuid.uuid4().hex[:8]}"
    result = anyio.run(_run, task, actor, scope or ["*"], thread_id, verdicts, as_json)
    emit_json(result, as_json=as_json, out=out)


async def _run(
    task: str | None,
    actor: str,
    scopes: list[str],
    thread_id: str,
    verdicts: Verdicts,
    quiet: bool,
) -> dict[str, Any]:
    from orchestrator.runtime import Concierge
    from policies.context import ActorFacts

    facts = ActorFacts(id=actor, kind="staff", role="merchandiser", category_scopes=tuple(scopes))
    events: list[TurnEvent] = []
    refused: typer.BadParameter | None = None
    async with Concierge.open(state.settings) as concierge:
        # A usage error is raised once the runtime is closed, not wrapped in its task groups.
        try:
            pending = await _task(concierge, task, facts, thread_id, events, quiet)
            if pending:
                pending = await _decide(concierge, thread_id, pending, verdicts, events, quiet)
        except typer.BadParameter as exc:
            refused = exc
    if refused is not None:
        raise refused
    return _summary(thread_id, events, pending)


async def _task(
    concierge: Concierge,
    task: str | None,
    facts: ActorFacts,
    thread_id: str,
    events: list[TurnEvent],
    quiet: bool,
) -> list[dict[str, Any]]:
    """Run the task (or find the one waiting on the thread); the approvals it waits for."""
    if task is None:
        return await _waiting(concierge, thread_id)
    stream = concierge.stream(task, thread_id=thread_id, actor=facts, mode="merch")
    events += await _show(stream, quiet)
    return _pending(events)


async def _decide(
    concierge: Concierge,
    thread_id: str,
    pending: list[dict[str, Any]],
    verdicts: Verdicts,
    events: list[TurnEvent],
    quiet: bool,
) -> list[dict[str, Any]]:
    """Ask for (or apply) the verdicts and resume the task; what still waits afterwards."""
    if not quiet:
        _print_approvals(pending)
    decided = verdicts.decide(pending)
    if decided is None:
        if not quiet:
            console.print(
                f"[yellow]pending approval[/] - decide with: concierge merch --thread "
                f"{thread_id} --approve|--reject --approver ID",
                soft_wrap=True,
            )
        return pending
    events += await _show(concierge.resume(thread_id, decided), quiet)
    return _pending(events[-1:])


async def _show(stream: Any, quiet: bool) -> list[TurnEvent]:
    """Collect a turn's events, printing the reply as it streams."""
    events: list[TurnEvent] = []
    async for event in stream:
        events.append(event)
        if quiet:
            continue
        if event.type == "reply_chunk":
            stdout.print(event.text, end="", markup=False, highlight=False, soft_wrap=True)
        elif event.type == "turn_finished" and event.reply is not None:
            stdout.print()
    return events


async def _waiting(concierge: Concierge, thread_id: str) -> list[dict[str, Any]]:
    """The approvals a thread's paused turn waits for (none: a clear error)."""
    snapshot = await concierge.graph.aget_state({"configurable": {"thread_id": thread_id}})
    asks = [a for task in snapshot.tasks for i in task.interrupts for a in i.value["approvals"]]
    if not asks:
        raise typer.BadParameter(
            f"thread {thread_id!r} has no task waiting for approval", param_hint="--thread"
        )
    return asks


def _pending(events: list[TurnEvent]) -> list[dict[str, Any]]:
    end = events[-1] if events else None
    if end is None or end.type != "turn_finished" or not end.interrupted:
        return []
    return list(end.approvals)


def _print_approvals(approvals: list[dict[str, Any]]) -> None:
    for ask in approvals:
        stdout.print(f"needs approval: {ask['kind']} - {ask['summary']}", soft_wrap=True)
        for line in ask.get("preview", []):
            stdout.print(f"  {line}", markup=False, soft_wrap=True)
        for reason in ask["reasons"]:
            stdout.print(f"  {reason}", markup=False, soft_wrap=True)


def _summary(
    thread_id: str, events: list[TurnEvent], pending: list[dict[str, Any]]
) -> dict[str, Any]:
    """The task's outcome as JSON-ready data."""
    ends = [e for e in events if e.type == "turn_finished"]
    reply = ends[-1].reply if ends else None
    return {
        "thread_id": thread_id,
        "reply": reply.text if reply else None,
        "pending": pending,
        "proposals": [e.kind for e in events if e.type == "proposal"],
        "decisions": [
            {"kind": e.kind, "effect": e.effect, "reasons": e.reasons}
            for e in events
            if e.type == "decision"
        ],
        "executions": [
            {"kind": e.kind, "status": e.status} for e in events if e.type == "execution"
        ],
    }
