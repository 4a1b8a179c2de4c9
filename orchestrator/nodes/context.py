"""What every node gets besides the state: the turn's dependencies, and event emission.

`TurnDeps` is the LangGraph run context (never checkpointed): tool hub, understanding, policy
facts and checker, executor, settings and the optional LLM. `node` wraps a node function so it
streams `node_started` / `node_finished` (with its duration) as custom events.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from langgraph.runtime import Runtime
from pydantic import BaseModel

from agents.intent import Understander
from agents.tool_client import AgentSpec, BoundedTools
from agents.tool_hub import ToolHub
from config import Settings
from orchestrator.conversation import Conversation
from orchestrator.events import NodeFinished, NodeStarted
from orchestrator.executor import Executor
from orchestrator.llm import LanguageModel
from orchestrator.state import TurnState
from policies.checker import PolicyChecker
from tools.policy_facts import PolicyFacts

Update = dict[str, Any]


@dataclass
class TurnDeps:
    """Everything a turn needs that is not state; one instance serves many turns."""

    settings: Settings
    hub: ToolHub
    conversation: Conversation
    understander: Understander
    facts: PolicyFacts
    checker: PolicyChecker
    executor: Executor
    llm: LanguageModel | None = None

    def tools(self, spec: AgentSpec) -> BoundedTools:
        """Fresh, budgeted tool access for one agent in one turn."""
        return BoundedTools(self.hub, spec, timeout_s=self.settings.conversation.agent_timeout_s)


class NodeFn(Protocol):
    """A graph node: the state (and the run's context) in, a partial update out."""

    def __call__(self, state: TurnState, *, runtime: Runtime[TurnDeps]) -> Awaitable[Update]: ...


def emit(runtime: Runtime[TurnDeps], event: BaseModel) -> None:
    """Stream one event, as the typed model (a no-op when nobody streams custom events)."""
    runtime.stream_writer(event)


def node(name: str) -> Callable[[NodeFn], NodeFn]:
    """Mark a function as the graph node `name`: it streams when it starts and finishes."""

    def wrap(fn: NodeFn) -> NodeFn:
        @functools.wraps(fn)
        async def run(state: TurnState, *, runtime: Runtime[TurnDeps]) -> Update:
            emit(runtime, NodeStarted(node=name))
            started = time.perf_counter()
            update = await fn(state, runtime=runtime)
            ms = round((time.perf_counter() - started) * 1000, 3)
            emit(runtime, NodeFinished(node=name, ms=ms))
            return update

        return run

    return wrap
