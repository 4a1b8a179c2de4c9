"""Frequently-bought-together: association rules mined from baskets, and suggestions from them."""

from tools.baskets.loader import load_baskets
from tools.baskets.mining import association_rules, frequent_itemsets
from tools.baskets.rules import AssociationRule, RuleSet
from tools.baskets.together import BoughtTogether, bought_together

__all__ = [
    "AssociationRule",
    "BoughtTogether",
    "RuleSet",
    "association_rules",
    "bought_together",
    "frequent_itemsets",
    "load_baskets",
]
