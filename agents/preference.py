"""Preference agent: the candidates re-ranked for the shopper by what the store knows of them.

Allowed tools: `recommend.rank_candidates` (the ranker reads the shopper's profile, the session,
merchandising rules and stock). Candidates the ranker leaves out (not in stock now) keep their
search order after the ranked ones, so the inventory agent can still offer a restock alert.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from agents.candidates import Candidate
from agents.tool_client import AgentSpec, BoundedTools
from tools.recommend import RecommendationList

SPEC = AgentSpec(name="preference", tools=frozenset({"recommend.rank_candidates"}), budget=1)


class PreferenceResult(BaseModel):
    """The candidates in the order the shopper's preferences give, and how it was made."""

    model_config = ConfigDict(frozen=True)

    known: bool = False
    strategy: str = "search"
    ranked: tuple[Candidate, ...] = ()


async def run(
    tools: BoundedTools,
    *,
    shopper_id: str | None,
    candidates: Sequence[Candidate],
    query: str = "",
    now: datetime | None = None,
) -> PreferenceResult:
    """Re-rank the candidates for the shopper (anonymous shoppers get the popular order)."""
    if not candidates:
        return PreferenceResult()
    args: dict[str, object] = {"skus": [c.sku for c in candidates], "k": len(candidates)}
    if shopper_id:
        args["shopper_id"] = shopper_id
    if query:
        args["query"] = query[:300]
    if now is not None:
        args["at"] = now.isoformat()
    ranking = await tools.call("recommend.rank_candidates", args, RecommendationList)
    by_sku = {c.sku: c for c in candidates}
    ranked = [
        by_sku[item.sku].model_copy(
            update={
                "score": item.score,
                "reasons": tuple(r.text for r in item.reasons if r.sku is None),
            }
        )
        for item in ranking.items
        if item.sku in by_sku
    ]
    placed = {c.sku for c in ranked}
    ranked += [c for c in candidates if c.sku not in placed]
    return PreferenceResult(
        known=ranking.strategy == "personal", strategy=ranking.strategy, ranked=tuple(ranked)
    )
