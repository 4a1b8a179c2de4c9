"""The concierge at run time: tool servers, checkpointer and the compiled graph, opened once.

```python
async with Concierge.open(settings) as concierge:
    async for event in concierge.stream("vegan shampoo under $20", thread_id="t1", shopper_id="S1"):
        ...
    outcome = await concierge.turn("any deal on the second one?", thread_id="t1", shopper_id="S1")
```

Turns that may have side effects (an offer, a message, a hold, a merchandising change) are
checkpointed after every step (`durability="sync"`); plain searches once, at the end. Every
`checkpoints.prune_every_turns` turns the retention policy is applied and the tool servers'
schemas are checked against their pins.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import anyio.to_thread
from langgraph.types import Command, Durability
from mcp.server.mcpserver import MCPServer
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine

from agents import intent, inventory, messaging, preference, pricing
from agents.intent import Understander
from agents.tool_hub import ToolHub
from config import Settings
from mcp_servers.registry import build_server, server_names
from orchestrator.checkpoints import PruneReport, open_checkpointer, prune
from orchestrator.conversation import Conversation
from orchestrator.events import EVENT_TYPES, EVENTS, TurnEvent, TurnFinished
from orchestrator.executor import Executor
from orchestrator.graph import compile_graph
from orchestrator.llm import LanguageModel, build_llm
from orchestrator.llm.understander import LLMUnderstander
from orchestrator.nodes.context import TurnDeps
from orchestrator.planning import has_side_effects
from orchestrator.state import Mode, Reply, TurnRequest, TurnState
from policies.audit import DecisionLog
from policies.checker import PolicyChecker
from policies.context import ActorFacts
from policies.loader import default_pack
from policies.pack import Pack
from tools.exceptions import InputError
from tools.policy_facts import PolicyFacts
from tools.query import CatalogVocabulary
from tools.store import create_schema, has_schema, make_engine
from tools.store.types import utcnow

AGENT_SPECS = (intent.SPEC, preference.SPEC, inventory.SPEC, pricing.SPEC, messaging.SPEC)
"""The agents of a turn; the servers their allow-lists name are the ones opened."""


class TurnOutcome(BaseModel):
    """How a turn ended: its reply, or the approvals it waits for; and what it streamed."""

    model_config = ConfigDict(frozen=True)

    thread_id: str
    reply: Reply | None
    interrupted: bool
    approvals: list[dict[str, Any]]
    events: list[TurnEvent]


class Concierge:
    """Runs conversation turns on a compiled graph with its dependencies."""

    def __init__(self, graph: Any, deps: TurnDeps, saver: Any) -> None:
        self.graph = graph
        self.deps = deps
        self.saver = saver
        self._turns = 0

    @classmethod
    @asynccontextmanager
    async def open(
        cls,
        settings: Settings,
        *,
        llm: LanguageModel | None = None,
        pack: Pack | None = None,
        servers: Mapping[str, MCPServer[Any]] | None = None,
        understander: Understander | None = None,
    ) -> AsyncIterator[Concierge]:
        """Connect the tool servers, the store and the checkpointer; close them on exit.

        Without `llm`, the LLM configured in the settings is used when enabled, else none: the
        deterministic path answers. `understander` replaces how requests are read (tests).
        """
        engine = make_engine(
            settings.resolved_database_url, busy_timeout_ms=settings.sqlite.busy_timeout_ms
        )
        owned = _configured_llm(settings) if llm is None else None
        model = llm or owned
        try:
            await anyio.to_thread.run_sync(_ready, engine, settings.resolved_database_url)
            vocabulary = await anyio.to_thread.run_sync(CatalogVocabulary.from_store, engine)
            log = DecisionLog(engine)
            conversation = Conversation(vocabulary)
            chosen = servers if servers is not None else _servers(settings)
            async with (
                ToolHub.open(chosen) as hub,
                open_checkpointer(settings.resolved_checkpoint_url) as saver,
            ):
                deps = TurnDeps(
                    settings=settings,
                    hub=hub,
                    conversation=conversation,
                    understander=understander or _understander(conversation, model),
                    facts=PolicyFacts(engine),
                    checker=PolicyChecker(pack or default_pack(), log),
                    executor=Executor(engine, log),
                    llm=model,
                )
                yield cls(compile_graph(saver), deps, saver)
        finally:
            if owned is not None:
                owned.close()
            engine.dispose()

    async def stream(
        self,
        text: str,
        *,
        thread_id: str,
        shopper_id: str | None = None,
        actor: ActorFacts | None = None,
        mode: Mode = "shopper",
        now: datetime | None = None,
    ) -> AsyncIterator[TurnEvent]:
        """Run one turn and stream its events; the last one says how it ended."""
        request = TurnRequest(
            text=text,
            thread_id=thread_id,
            shopper_id=shopper_id,
            actor=actor
            or ActorFacts(id=shopper_id or "anonymous", kind="shopper", on_behalf_of=shopper_id),
            mode=mode,
            now=now or utcnow(),
        )
        durable: Durability = "sync" if has_side_effects(text, merch=mode == "merch") else "exit"
        async for event in self._run({"request": request}, thread_id, durable):
            yield event
        await self._maintain(request.now)

    async def resume(
        self, thread_id: str, verdicts: Mapping[str, Mapping[str, Any]]
    ) -> AsyncIterator[TurnEvent]:
        """Continue a turn paused for approval: {decision_id: {"approve": bool, "by": id}}."""
        # Wrapped: a dict keyed by hex ids alone would be read as a map of interrupt ids.
        command: Command[Any] = Command(
            resume={"verdicts": {k: dict(v) for k, v in verdicts.items()}}
        )
        async for event in self._run(command, thread_id, "sync"):
            yield event

    async def turn(
        self,
        text: str,
        *,
        thread_id: str,
        shopper_id: str | None = None,
        actor: ActorFacts | None = None,
        mode: Mode = "shopper",
        now: datetime | None = None,
    ) -> TurnOutcome:
        """Run one turn to its end (or pause) and collect what it streamed."""
        events = self.stream(
            text, thread_id=thread_id, shopper_id=shopper_id, actor=actor, mode=mode, now=now
        )
        return await self._collect(thread_id, events)

    async def approve(
        self, thread_id: str, verdicts: Mapping[str, Mapping[str, Any]]
    ) -> TurnOutcome:
        """Resume a paused turn with a person's verdicts and collect what it streamed."""
        return await self._collect(thread_id, self.resume(thread_id, verdicts))

    async def thread(self, thread_id: str) -> TurnState:
        """The checkpointed state of a thread."""
        snapshot = await self.graph.aget_state(_config(thread_id))
        values: TurnState = snapshot.values
        return values

    async def prune(self, now: datetime | None = None) -> PruneReport:
        """Apply the checkpoint retention policy now."""
        return await prune(self.saver, self.deps.settings.checkpoints, now=now or utcnow())

    async def _run(
        self, payload: Any, thread_id: str, durability: Durability
    ) -> AsyncIterator[TurnEvent]:
        reply: Reply | None = None
        approvals: list[dict[str, Any]] = []
        async for mode, chunk in self.graph.astream(
            payload,
            _config(thread_id),
            context=self.deps,
            stream_mode=["custom", "updates"],
            durability=durability,
        ):
            if mode == "custom":
                yield chunk if isinstance(chunk, EVENT_TYPES) else EVENTS.validate_python(chunk)
            elif "__interrupt__" in chunk:
                approvals = [a for i in chunk["__interrupt__"] for a in i.value["approvals"]]
            elif "respond" in chunk:
                reply = chunk["respond"].get("reply")
        yield TurnFinished(
            thread_id=thread_id,
            reply=reply,
            interrupted=reply is None and bool(approvals),
            approvals=approvals,
        )

    async def _collect(self, thread_id: str, events: AsyncIterator[TurnEvent]) -> TurnOutcome:
        collected = [e async for e in events]
        end = collected[-1]
        if not isinstance(end, TurnFinished):
            raise RuntimeError("a turn must end with turn_finished")
        return TurnOutcome(
            thread_id=thread_id,
            reply=end.reply,
            interrupted=end.interrupted,
            approvals=end.approvals,
            events=collected,
        )

    async def _maintain(self, now: datetime) -> None:
        """Every so many turns: apply the checkpoint retention, re-check the tools' schemas."""
        self._turns += 1
        if self._turns % self.deps.settings.checkpoints.prune_every_turns == 0:
            await self.prune(now)
            await self.deps.hub.refresh()


def _ready(engine: Engine, url: str) -> None:
    """A store to talk about, with the tables this version added (created when missing)."""
    if not has_schema(engine):
        raise InputError(
            f"no store at {url}: build one with `concierge init` or `concierge import`"
        )
    create_schema(engine)


def _servers(settings: Settings) -> dict[str, MCPServer[Any]]:
    """The registered servers some agent's allow-list names (each opened once)."""
    needed = {tool.partition(".")[0] for spec in AGENT_SPECS for tool in spec.tools}
    return {name: build_server(name, settings) for name in server_names() if name in needed}


def _configured_llm(settings: Settings) -> LanguageModel | None:
    return build_llm(settings.llm) if settings.llm.enabled else None


def _understander(conversation: Conversation, llm: LanguageModel | None) -> Understander:
    return conversation if llm is None else LLMUnderstander(conversation, llm)


def _config(thread_id: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": thread_id}}
