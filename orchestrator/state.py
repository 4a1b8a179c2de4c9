"""The state of a conversation thread, checkpointed after every step of a turn.

Thread memory (`turn`, `intent`, `shown`, `out_of_stock`) carries over between turns; the supervisor
resets everything else at the start of each turn. Every value is a typed pydantic model, and only
these types are read back from a checkpoint (`serde_allowlist`).
"""

from __future__ import annotations

import types
from enum import Enum
from typing import Any, Literal, TypedDict, get_args, get_origin, get_type_hints

from pydantic import BaseModel, ConfigDict, Field

from agents.candidates import Candidate
from agents.inventory import InventoryResult
from agents.messaging import MessagingResult
from agents.preference import PreferenceResult
from agents.pricing import PricingResult
from agents.tool_client import ToolCallRecord
from policies.actions import Action
from policies.actions.base import UTCInstant
from policies.context import ActorFacts, PromotionImpact
from policies.decision import PolicyDecision
from tools.query import ShopperIntent

AgentName = Literal["intent", "preference", "inventory", "pricing", "messaging"]
Mode = Literal["shopper", "merch"]
ReplyKind = Literal["results", "question", "offer", "message", "hold", "approval", "merch", "error"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TurnRequest(_Model):
    """One message of a conversation, as the entry point received it."""

    text: str = Field(min_length=1, max_length=2000)
    thread_id: str = Field(min_length=1, max_length=128)
    shopper_id: str | None = Field(default=None, max_length=64)
    actor: ActorFacts = Field(description="Who speaks, as authenticated")
    mode: Mode = "shopper"
    now: UTCInstant


class Plan(_Model):
    """Which agents this turn needs, in order, and the product a follow-up is about."""

    steps: tuple[AgentName, ...] = ()
    merch: bool = False
    focus_sku: str | None = None
    hold: bool = False
    notes: tuple[str, ...] = ()


class Proposal(_Model):
    """An action an agent (or a planner) proposes, and what it concerns."""

    agent: str
    action: Action
    skus: tuple[str, ...] = Field(default=(), description="Products it is about")
    summary: str = ""
    impact: PromotionImpact | None = Field(
        default=None, description="A promotion's margin impact, computed by the planner"
    )


class MerchOutcome(_Model):
    """What the merchandising planner made of a task: a plan's preview, a report, or why not."""

    kind: Literal["plan", "report", "not_understood"]
    summary: str
    details: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


class Judgement(_Model):
    """A proposal and the decision on it (from the checker, or a person's on escalation)."""

    proposal: Proposal
    decision: PolicyDecision
    key: str = Field(description="Idempotency key: thread, turn and proposal")
    list_prices: dict[str, int] = Field(
        default_factory=dict, description="List prices of its products in the decision's facts"
    )


ExecutionStatus = Literal["applied", "replayed", "waiting", "refused", "failed"]


class ExecutionRecord(_Model):
    """What the executor did with one approved action."""

    key: str
    decision_id: str
    kind: str
    status: ExecutionStatus
    code: str = ""
    result: dict[str, Any] = Field(default_factory=dict)


class FulfilmentNote(_Model):
    """How the shopper can get a product soonest."""

    kind: str
    location_name: str
    detail: str
    ready_at: UTCInstant


class ProductCard(_Model):
    """A product the reply shows, with the facts its approving decision held."""

    sku: str
    title: str
    brand: str = ""
    price_cents: int = Field(ge=0, description="List price as the approving decision saw it")
    available: int | None = Field(default=None, description="Units available; None: unchecked")
    low_stock: bool = False
    fulfilment: FulfilmentNote | None = None
    reasons: tuple[str, ...] = ()


class OfferCard(_Model):
    """An approved, executed quote, as the policy checker left it."""

    sku: str
    title: str
    offer: str
    price_cents: int = Field(ge=0)
    list_price_cents: int = Field(ge=0)
    was_price_cents: int | None = None
    expires_at: UTCInstant | None = None
    disclosure: str = ""


class Reply(_Model):
    """The answer of a turn and the facts it was built from: every card is grounded."""

    text: str
    kind: ReplyKind
    skus: tuple[str, ...] = ()
    currency_symbol: str = "$"
    products: tuple[ProductCard, ...] = Field(default=(), description="One per sku, in order")
    offers: tuple[OfferCard, ...] = ()


class TurnState(TypedDict, total=False):
    """Thread memory and the work of the current turn."""

    request: TurnRequest
    turn: int
    intent: ShopperIntent | None
    shown: list[Candidate]
    out_of_stock: list[Candidate]
    plan: Plan
    clarification: str | None
    candidates: list[Candidate]
    preference: PreferenceResult | None
    stock: InventoryResult | None
    pricing: PricingResult | None
    messaging: MessagingResult | None
    merch: MerchOutcome | None
    proposals: list[Proposal]
    judgements: list[Judgement]
    executed: list[ExecutionRecord]
    reply: Reply | None
    tool_calls: list[ToolCallRecord]
    errors: list[str]


def serde_allowlist() -> set[tuple[str, str]]:
    """(module, name) of every model and enum a checkpoint of `TurnState` may hold."""
    found: set[tuple[str, str]] = set()
    pending: list[Any] = list(get_type_hints(TurnState).values())
    seen: set[int] = set()
    while pending:
        tp = pending.pop()
        if id(tp) in seen:
            continue
        seen.add(id(tp))
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            found.add((tp.__module__, tp.__name__))
            pending.extend(f.annotation for f in tp.model_fields.values())
        elif isinstance(tp, type) and issubclass(tp, Enum):
            found.add((tp.__module__, tp.__name__))
        elif get_origin(tp) is not None or isinstance(tp, types.UnionType):
            pending.extend(get_args(tp))
    return found
