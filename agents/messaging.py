"""Messaging agent: a back-in-stock message on the channel and at the time the engine chooses.

Allowed tools: `messaging.plan_message`. The message is proposed; the executor sends it through
the outbox once the policy checker approves it (and, for back-in-stock, once stock is back).
"""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from agents.tool_client import AgentSpec, BoundedTools
from policies.actions import SendMessage
from tools.messaging import MessageProposal

SPEC = AgentSpec(name="messaging", tools=frozenset({"messaging.plan_message"}), budget=1)
_UNSUBSCRIBE = re.compile(r"^Unsubscribe: (\S+)$", re.MULTILINE)


class MessagingRequest(BaseModel):
    """Who to tell about which products, and the sender's postal address for emails."""

    shopper_id: str
    skus: tuple[str, ...]
    template: str = "back_in_stock"
    postal_address: str
    now: datetime


class MessagingResult(BaseModel):
    """The engine's plan and the message proposed from it."""

    model_config = ConfigDict(frozen=True)

    plan: MessageProposal
    message: SendMessage


async def run(tools: BoundedTools, request: MessagingRequest) -> MessagingResult:
    """Plan the message and propose it exactly as rendered (emails keep their footer)."""
    args = {
        "shopper_id": request.shopper_id,
        "template": request.template,
        "skus": list(request.skus),
        "at": request.now.isoformat(),
    }
    plan = await tools.call("messaging.plan_message", args, MessageProposal)
    link = _UNSUBSCRIBE.search(plan.body)
    email = plan.channel == "email"
    message = SendMessage(
        shopper_id=plan.shopper_id,
        channel=plan.channel.value,
        purpose="back_in_stock" if request.template == "back_in_stock" else "marketing",
        subject=plan.subject,
        body=plan.body,
        unsubscribe_url=link.group(1) if email and link else None,
        postal_address=request.postal_address if email else None,
        send_at=plan.send_after,
    )
    return MessagingResult(plan=plan, message=message)
