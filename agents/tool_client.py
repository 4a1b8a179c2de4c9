"""What one agent may call in one turn: its allow-list and call budget, every call audited.

A call outside the allow-list, over the budget, to a tool whose schema drifted, or to a tool no
server offers is refused before it reaches a server, and the refusal is recorded like any call.
Results are validated into the caller's type: what a tool returns is data, never instructions.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, TypeVar, cast, get_origin

import anyio
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from agents.exceptions import ToolCallError, ToolRefused
from agents.tool_hub import ToolHub

T = TypeVar("T")
logger = logging.getLogger("agents.tools")
Outcome = Literal["ok", "error", "refused"]


@dataclass(frozen=True)
class AgentSpec:
    """An agent's identity, the tools it may call (`server.tool`) and its calls per turn."""

    name: str
    tools: frozenset[str]
    budget: int


class ToolCallRecord(BaseModel):
    """One tool call an agent made or tried: the audit trail of a turn."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    agent: str
    tool: str
    outcome: Outcome
    code: str = ""
    args_hash: str
    latency_ms: float


@lru_cache(maxsize=256)
def _adapter(returns: Any) -> TypeAdapter[Any]:
    return TypeAdapter(returns)


def _args_hash(arguments: dict[str, Any]) -> str:
    text = json.dumps(arguments, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class BoundedTools:
    """The tool access one agent gets for one turn."""

    hub: ToolHub
    spec: AgentSpec
    timeout_s: float = 5.0
    records: list[ToolCallRecord] = field(default_factory=list)
    used: int = 0

    def offers(self, tool: str) -> bool:
        """Whether the agent may call `tool` and a server offers it."""
        return tool in self.spec.tools and self.hub.offers(tool)

    async def call(self, tool: str, arguments: dict[str, Any], returns: type[T]) -> T:
        """Call a tool and validate its result as `returns`; refusals and failures raise."""
        started = time.perf_counter()
        digest = _args_hash(arguments)
        code = self._refusal(tool)
        if code is not None:
            self._record(tool, "refused", code, digest, started)
            raise ToolRefused(code, agent=self.spec.name, tool=tool, reason=_REASONS[code])
        self.used += 1
        try:
            with anyio.fail_after(self.timeout_s):
                result = await self.hub.call(tool, arguments)
        except TimeoutError as exc:
            self._record(tool, "error", "TIMEOUT", digest, started)
            raise ToolCallError(
                "TIMEOUT", tool=tool, reason=f"no answer in {self.timeout_s}s"
            ) from exc
        if result.is_error:
            text = " ".join(getattr(c, "text", "") for c in result.content)
            self._record(tool, "error", "TOOL_ERROR", digest, started)
            raise ToolCallError("TOOL_ERROR", tool=tool, reason=text[:500])
        value = self._validate(tool, result.structured_content, returns, digest, started)
        self._record(tool, "ok", "", digest, started)
        return value

    def _refusal(self, tool: str) -> str | None:
        if tool not in self.spec.tools:
            return "NOT_ALLOWED"
        if tool in self.hub.drifted:
            return "SCHEMA_CHANGED"
        if not self.hub.offers(tool):
            return "UNKNOWN_TOOL"
        if self.used >= self.spec.budget:
            return "OVER_BUDGET"
        return None

    def _validate(
        self, tool: str, content: dict[str, Any] | None, returns: type[T], digest: str, t0: float
    ) -> T:
        payload: Any = content
        if content is not None and get_origin(returns) is list:
            payload = content.get("result")
        try:
            value: T = _adapter(cast(Any, returns)).validate_python(payload)
        except ValidationError as exc:
            self._record(tool, "error", "BAD_RESULT", digest, t0)
            raise ToolCallError("BAD_RESULT", tool=tool, reason=str(exc)[:500]) from exc
        return value

    def _record(self, tool: str, outcome: Outcome, code: str, digest: str, t0: float) -> None:
        ms = round((time.perf_counter() - t0) * 1000, 3)
        record = ToolCallRecord(
            agent=self.spec.name,
            tool=tool,
            outcome=outcome,
            code=code,
            args_hash=digest,
            latency_ms=ms,
        )
        self.records.append(record)
        if outcome != "ok":
            logger.warning("%s", record.model_dump_json())


_REASONS = {
    "NOT_ALLOWED": "the tool is not on the agent's allow-list",
    "SCHEMA_CHANGED": "the tool's input schema changed since it was pinned",
    "UNKNOWN_TOOL": "no connected server offers the tool",
    "OVER_BUDGET": "the agent used its calls for this turn",
}
