"""What a turn looks like from outside: its result, the approvals it waits for, its thread."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from orchestrator.api.threads import ThreadStatus
from orchestrator.events import TurnFinished
from orchestrator.state import Reply


class ApprovalAsk(BaseModel):
    """An escalated action a person must approve or reject before the turn goes on."""

    approval_id: str
    decision_id: str = Field(description="Approve or reject it at POST /v1/approvals/{decision_id}")
    kind: str = Field(description="The action's kind, e.g. create_promotion")
    summary: str
    action: dict[str, Any] | None = Field(description="The action exactly as it would execute")
    reasons: list[str] = Field(description="Why it was escalated: 'CODE: message'")


class TurnResult(BaseModel):
    """How a turn ended: with a reply, paused for approvals, or failed."""

    thread_id: str
    status: Literal["finished", "awaiting_approval", "failed"]
    reply: Reply | None = None
    approvals: list[ApprovalAsk] = Field(default_factory=list)
    error: str | None = Field(default=None, description="Why the turn failed, when it did")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "thread_id": "th_5b0c8e1d2f7a4a0e",
                    "status": "finished",
                    "reply": {
                        "text": "Here is 1 for you:\n1. Vegan Toner by Clearwater Lab - $19.99",
                        "kind": "results",
                        "skus": ["SKU-0000243"],
                    },
                    "approvals": [],
                    "error": None,
                }
            ]
        }
    }

    @classmethod
    def of(cls, finished: TurnFinished) -> TurnResult:
        """The result a `turn_finished` event reports."""
        return cls(
            thread_id=finished.thread_id,
            status="awaiting_approval" if finished.interrupted else "finished",
            reply=finished.reply,
            approvals=[ApprovalAsk.model_validate(a) for a in finished.approvals],
        )

    @classmethod
    def failed(cls, thread_id: str, error: str) -> TurnResult:
        """The result of a turn that raised."""
        return cls(thread_id=thread_id, status="failed", error=error)


class ThreadView(BaseModel):
    """A conversation thread: whose, where it stands, and how its last turn ended."""

    thread_id: str
    mode: Literal["shopper", "merch"]
    status: ThreadStatus = Field(description="running while a turn is under way")
    turns: int = Field(description="Turns started through the API")
    created_at: datetime
    updated_at: datetime
    last_turn: TurnResult | None = Field(description="None until a turn has ended")
