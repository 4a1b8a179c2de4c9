"""Inventory agent: keeps what is in stock, finds substitutes, pickup options and holds.

Allowed tools: `inventory.stock_signal`, `inventory.substitutes`, `inventory.fulfilment_options`,
`inventory.plan_hold`. It proposes the products to show (and a hold when one was asked for).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from agents.candidates import Candidate
from agents.tool_client import AgentSpec, BoundedTools
from policies.actions import HoldInventory, RecommendedItem, ShowRecommendations
from tools.inventory import FulfilmentPlan, HoldProposal, StockSignal, SubstituteList
from tools.inventory.signal import StockLevel

SPEC = AgentSpec(
    name="inventory",
    tools=frozenset(
        {
            "inventory.stock_signal",
            "inventory.substitutes",
            "inventory.fulfilment_options",
            "inventory.plan_hold",
        }
    ),
    budget=4,
)


class InventoryRequest(BaseModel):
    """Ranked candidates and what the shopper asked about getting them."""

    candidates: tuple[Candidate, ...]
    shopper_id: str | None
    personalised: bool = False
    pickup: bool = False
    hold: bool = False
    quantity: int = 1
    results: int = 5
    now: datetime


class InventoryResult(BaseModel):
    """Products to show (in stock, best first), what is out, and how to get the first one."""

    model_config = ConfigDict(frozen=True)

    shown: tuple[Candidate, ...] = ()
    available: dict[str, int] = {}
    low_stock: tuple[str, ...] = ()
    out_of_stock: tuple[Candidate, ...] = ()
    substitutes_for: str | None = None
    fulfilment: FulfilmentPlan | None = None
    show: ShowRecommendations | None = None
    hold: HoldInventory | None = None


async def run(tools: BoundedTools, request: InventoryRequest) -> InventoryResult:
    """Check stock of the best candidates; substitute for an empty list; plan pickup and hold."""
    at = request.now.isoformat()
    pool = request.candidates
    args = {"skus": [c.sku for c in pool], "at": at}
    signals = await tools.call("inventory.stock_signal", args, list[StockSignal]) if pool else []
    units = {s.sku: s.available for s in signals}
    shown = one_per_product(c for c in pool if units.get(c.sku, 0) > 0)[: request.results]
    out = tuple(c for c in pool if units.get(c.sku, 0) <= 0)
    substitutes_for = None
    if not shown and out:
        substitutes_for = out[0].sku
        shown = await _substitutes(tools, out[0], request, units)
    fulfilment, hold = await _pickup(tools, shown, request) if shown else (None, None)
    items = tuple(RecommendedItem(sku=c.sku) for c in shown)
    show = ShowRecommendations(
        shopper_id=request.shopper_id, personalised=request.personalised, items=items
    )
    return InventoryResult(
        shown=shown,
        available={c.sku: units.get(c.sku, 0) for c in shown},
        low_stock=tuple(s.sku for s in signals if s.level == StockLevel.LOW),
        out_of_stock=out[:1],
        substitutes_for=substitutes_for,
        fulfilment=fulfilment,
        show=show if shown else None,
        hold=hold,
    )


def one_per_product(candidates: Iterable[Candidate]) -> tuple[Candidate, ...]:
    """The best of each product's variants (sizes, colours), in order: one card per product."""
    seen: set[str] = set()
    kept: list[Candidate] = []
    for c in candidates:
        group = c.group or c.sku
        if group not in seen:
            seen.add(group)
            kept.append(c)
    return tuple(kept)


async def _substitutes(
    tools: BoundedTools, item: Candidate, request: InventoryRequest, units: dict[str, int]
) -> tuple[Candidate, ...]:
    args = {"sku": item.sku, "limit": request.results, "at": request.now.isoformat()}
    found = await tools.call("inventory.substitutes", args, SubstituteList)
    picked: list[Candidate] = []
    for sub in found.substitutes:
        units[sub.sku] = sub.available
        reason = f"similar to {item.title}, which is out of stock"
        picked.append(
            item.model_copy(
                update={
                    "sku": sub.sku,
                    "title": sub.title,
                    "list_price_cents": sub.list_price_cents,
                    "score": sub.score,
                    "reasons": (reason,),
                }
            )
        )
    return tuple(picked)


async def _pickup(
    tools: BoundedTools, shown: Sequence[Candidate], request: InventoryRequest
) -> tuple[FulfilmentPlan | None, HoldInventory | None]:
    if not (request.pickup or request.hold):
        return None, None
    args = {"sku": shown[0].sku, "quantity": request.quantity, "at": request.now.isoformat()}
    if request.shopper_id:
        args["shopper_id"] = request.shopper_id
    plan = await tools.call("inventory.fulfilment_options", args, FulfilmentPlan)
    store = next((o for o in plan.options if o.kind != "ship"), None)
    if not (request.hold and request.shopper_id and store):
        return plan, None
    hold_args = {**args, "location_id": store.location_id}
    proposal = await tools.call("inventory.plan_hold", hold_args, HoldProposal)
    hold = HoldInventory(
        shopper_id=request.shopper_id,
        sku=proposal.sku,
        location_id=proposal.location_id,
        quantity=proposal.quantity,
        hold_minutes=max(1, proposal.ttl_seconds // 60),
    )
    return plan, hold
