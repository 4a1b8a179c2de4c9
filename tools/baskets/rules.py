"""Association rules as data: one rule, and a mined rule set with its thresholds."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr


class AssociationRule(BaseModel):
    """{antecedent} → {consequent}, with its support, confidence and lift over the baskets."""

    model_config = ConfigDict(frozen=True)

    antecedent: tuple[str, ...] = Field(description="Items already in the basket (sorted)")
    consequent: str = Field(description="The item the rule predicts")
    support: float = Field(description="Share of baskets holding antecedent and consequent")
    confidence: float = Field(description="P(consequent | antecedent)")
    lift: float = Field(description="Confidence over the consequent's own support")
    count: int = Field(description="Baskets holding antecedent and consequent")


class RuleSet(BaseModel):
    """Rules mined from a set of baskets at given thresholds."""

    model_config = ConfigDict(frozen=True)

    n_baskets: int = Field(description="Baskets the rules were mined from")
    min_support: float = Field(description="Minimum support of a rule's itemset")
    min_confidence: float = Field(description="Minimum confidence of a rule")
    min_len: int = Field(description="Minimum items in a rule (antecedent + consequent)")
    max_len: int = Field(description="Maximum items in a rule")
    rules: tuple[AssociationRule, ...] = Field(description="Rules, strongest lift first")

    _by_first: dict[str, tuple[AssociationRule, ...]] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        """Index the rules by the first item of their antecedent."""
        groups: dict[str, list[AssociationRule]] = {}
        for rule in self.rules:
            groups.setdefault(rule.antecedent[0], []).append(rule)
        self._by_first = {k: tuple(v) for k, v in groups.items()}

    def starting_with(self, item: str) -> tuple[AssociationRule, ...]:
        """Rules whose antecedent's first item (in sorted order) is `item`."""
        return self._by_first.get(item, ())


def rule_sort_key(rule: AssociationRule) -> tuple[float, float, float, tuple[str, ...], str]:
    """Order rules by lift, then support and confidence (all descending), then by their items."""
    return (-rule.lift, -rule.support, -rule.confidence, rule.antecedent, rule.consequent)
