"""What a turn streams while it runs: nodes starting and finishing, proposals, decisions,
executions, approvals awaited, and the reply in chunks. Each event is one JSON object.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from orchestrator.state import Reply


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NodeStarted(_Event):
    """A step of the graph started."""

    type: Literal["node_started"] = "node_started"
    node: str


class NodeFinished(_Event):
    """A step of the graph finished, and how long it took."""

    type: Literal["node_finished"] = "node_finished"
    node: str
    ms: float


class ProposalMade(_Event):
    """An agent proposed an action."""

    type: Literal["proposal"] = "proposal"
    agent: str
    kind: str
    action: dict[str, Any]


class DecisionMade(_Event):
    """The policy checker (or a person) decided on a proposal."""

    type: Literal["decision"] = "decision"
    decision_id: str
    kind: str
    effect: str
    reasons: list[str]


class ActionExecuted(_Event):
    """The executor applied (or refused) an approved action."""

    type: Literal["execution"] = "execution"
    kind: str
    status: str
    key: str


class ApprovalNeeded(_Event):
    """The turn waits for a person to approve or reject escalated actions."""

    type: Literal["approval_needed"] = "approval_needed"
    approvals: list[dict[str, Any]]


class ReplyChunk(_Event):
    """A piece of the reply, in order."""

    type: Literal["reply_chunk"] = "reply_chunk"
    text: str


class TurnFinished(_Event):
    """The turn ended: with a reply, or paused for a person's approval."""

    type: Literal["turn_finished"] = "turn_finished"
    thread_id: str
    reply: Reply | None
    interrupted: bool = False
    approvals: list[dict[str, Any]] = Field(default_factory=list)


TurnEvent = Annotated[
    NodeStarted
    | NodeFinished
    | ProposalMade
    | DecisionMade
    | ActionExecuted
    | ApprovalNeeded
    | ReplyChunk
    | TurnFinished,
    Field(discriminator="type"),
]
EVENTS: TypeAdapter[TurnEvent] = TypeAdapter(TurnEvent)
EVENT_TYPES = (
    NodeStarted,
    NodeFinished,
    ProposalMade,
    DecisionMade,
    ActionExecuted,
    ApprovalNeeded,
    ReplyChunk,
    TurnFinished,
)
