"""`concierge chat`: talk to the concierge as a shopper of the store, one line per turn.

Interactive at a terminal; otherwise each line of standard input is one turn (so a conversation
can be piped in). The reply streams as it is composed. `/new` starts a new thread, `/quit` ends.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Annotated

import anyio
import anyio.to_thread
import typer

from orchestrator.cli.context import console, handle_errors, state, stdout

if TYPE_CHECKING:
    from orchestrator.runtime import Concierge

PROMPT = "you> "


def register(app: typer.Typer) -> None:
    """Add the chat command to the CLI."""
    app.command("chat")(chat)


@handle_errors
def chat(
    shopper: Annotated[
        str | None, typer.Option(help="Chat as this shopper of the store (default: a guest).")
    ] = None,
    thread: Annotated[
        str | None, typer.Option(help="Continue this conversation thread (default: a new one).")
    ] = None,
) -> None:
    """Chat with the concierge (lines from standard input when it is not a terminal)."""
    thread_id = thread or _new_thread(shopper)
    anyio.run(_chat, shopper, thread_id)


def _new_thread(shopper: str | None) -> str:
    return f"cli-{shopper or 'guest'}-{uuid.uuid4().hex[:8]}"


async def _chat(shopper: str | None, thread_id: str) -> None:
    from orchestrator.runtime import Concierge

    interactive = sys.stdin.isatty()
    async with Concierge.open(state.settings) as concierge:
        if interactive:
            console.print(f"[dim]thread {thread_id} - /new for a new thread, /quit to leave[/]")
        async for line in _lines(interactive):
            if line == "/quit":
                break
            if line == "/new":
                thread_id = _new_thread(shopper)
                console.print(f"[dim]thread {thread_id}[/]")
                continue
            await _turn(concierge, line, shopper=shopper, thread_id=thread_id)


async def _lines(interactive: bool) -> AsyncIterator[str]:
    while True:
        try:
            raw = await anyio.to_thread.run_sync(_read, interactive)
        except EOFError:
            return
        text = raw.strip()
        if text:
            yield text


def _read(interactive: bool) -> str:
    if interactive:
        return input(PROMPT)
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line


async def _turn(concierge: Concierge, text: str, *, shopper: str | None, thread_id: str) -> None:
    async for event in concierge.stream(text, thread_id=thread_id, shopper_id=shopper):
        if event.type == "reply_chunk":
            stdout.print(event.text, end="", markup=False, highlight=False, soft_wrap=True)
        elif event.type == "turn_finished":
            if event.interrupted:
                stdout.print("(a team member needs to approve this; I'll come back to you)")
            else:
                stdout.print()
