"""Frequently bought together: what the mined rules suggest for an item or a basket."""

from __future__ import annotations

from collections.abc import Collection

from pydantic import BaseModel, ConfigDict, Field

from tools.baskets.rules import AssociationRule, RuleSet
from tools.exceptions import InputError


class BoughtTogether(BaseModel):
    """An item often bought with what is already in the basket, and the rule that says so."""

    model_config = ConfigDict(frozen=True)

    item: str = Field(description="The suggested item")
    lift: float = Field(description="Lift of the strongest rule suggesting it")
    confidence: float = Field(description="Confidence of that rule")
    support: float = Field(description="Support of that rule")
    because: tuple[str, ...] = Field(description="Basket items the rule starts from")


def _strength(rule: AssociationRule) -> tuple[float, float, float, tuple[str, ...]]:
    # Lowest tuple wins: strongest lift, then confidence, then support; items break ties.
    return (-rule.lift, -rule.confidence, -rule.support, rule.antecedent)


def bought_together(
    *, rules: RuleSet, items: Collection[str], limit: int = 10, min_lift: float = 1.0
) -> list[BoughtTogether]:
    """Items not in `items` that rules starting from `items` predict, strongest rule first."""
    if limit < 1:
        raise InputError(f"must be at least 1, got {limit}", field="limit")
    basket = frozenset(items)
    best: dict[str, AssociationRule] = {}
    for first in sorted(basket):
        for rule in rules.starting_with(first):
            if rule.consequent in basket or rule.lift < min_lift:
                continue
            if not basket.issuperset(rule.antecedent):
                continue
            held = best.get(rule.consequent)
            if held is None or _strength(rule) < _strength(held):
                best[rule.consequent] = rule
    ranked = sorted(best.values(), key=lambda r: (*_strength(r), r.consequent))
    return [
        BoughtTogether(
            item=r.consequent,
            lift=r.lift,
            confidence=r.confidence,
            support=r.support,
            because=r.antecedent,
        )
        for r in ranked[:limit]
    ]
