"""Intent agent: understands the shopper's words (with the thread's context) and finds products.

Allowed tools: `catalog.search_products`. "More like the second one" searches that item's category
for the words of the request, leaving the item itself out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from agents.candidates import Candidate
from agents.tool_client import AgentSpec, BoundedTools
from mcp_servers.catalog.models import FoundProduct, SearchResult
from tools.query import ShopperIntent, ShownItem
from tools.search.from_intent import filters_for, query_for

SPEC = AgentSpec(
    name="intent",
    tools=frozenset({"catalog.search_products"}),
    budget=1,
)
VARIANT_DEPTH = 3
"""How many times the candidates wanted the search returns, so that variants can be thinned."""
VARIANTS_KEPT = 2
"""Variants of one product kept as candidates: the best, and a spare in case it is out."""


class Understanding(BaseModel):
    """A request as a typed intent, and the one question to ask instead when it is too vague."""

    intent: ShopperIntent
    clarification: str | None = None


class Understander(Protocol):
    """Turns a request (and the previous turn) into an intent: deterministic or an LLM's."""

    def __call__(
        self,
        text: str,
        *,
        previous: ShopperIntent | None,
        shown: Sequence[ShownItem],
        now: datetime,
    ) -> Understanding: ...


class IntentResult(BaseModel):
    """What the shopper wants, and the products that match it (best first)."""

    model_config = ConfigDict(frozen=True)

    intent: ShopperIntent
    clarification: str | None = None
    candidates: tuple[Candidate, ...] = ()


async def run(
    tools: BoundedTools,
    understood: Understanding,
    *,
    shown: Sequence[ShownItem] = (),
    k: int = 20,
) -> IntentResult:
    """Search for what the shopper asked for; nothing is searched when a question is due."""
    intent = understood.intent
    if understood.clarification:
        return IntentResult(intent=intent, clarification=understood.clarification)
    filters = filters_for(intent)
    reference = next((s for s in shown if s.sku == intent.similar_to), None)
    if reference is not None:
        category = reference.category or filters.category
        filters = filters.model_copy(update={"category": category, "exclude_skus": [reference.sku]})
    # Sizes and colours of one product crowd a result list: search deeper, keep a few of each.
    wide = k * VARIANT_DEPTH
    args = {"query": query_for(intent), "filters": filters.model_dump(mode="json"), "k": wide}
    found = await tools.call("catalog.search_products", args, SearchResult)
    candidates = few_per_product([_candidate(h) for h in found.hits])[:k]
    return IntentResult(intent=intent, candidates=candidates)


def few_per_product(candidates: Sequence[Candidate]) -> tuple[Candidate, ...]:
    """At most `VARIANTS_KEPT` variants of each product, best first (spares if one is out)."""
    counts: dict[str, int] = {}
    kept: list[Candidate] = []
    for c in candidates:
        group = c.group or c.sku
        counts[group] = counts.get(group, 0) + 1
        if counts[group] <= VARIANTS_KEPT:
            kept.append(c)
    return tuple(kept)


def _candidate(hit: FoundProduct) -> Candidate:
    return Candidate(
        sku=hit.sku,
        title=hit.title,
        brand=hit.brand,
        category=hit.category,
        list_price_cents=hit.list_price_cents,
        group=hit.variant_group,
        score=hit.score,
    )
