"""Frequently-bought-together eval: mine association rules from a basket file, report the top."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from tools.baskets import AssociationRule, association_rules, load_baskets


class BasketsEvalResult(BaseModel):
    """Rule count and strongest rules mined from one basket file."""

    file: str = Field(description="The basket file")
    n_baskets: int = Field(description="Baskets read")
    n_items: int = Field(description="Distinct items")
    min_support: float = Field(description="Support threshold")
    min_confidence: float = Field(description="Confidence threshold")
    min_len: int = Field(description="Minimum items per rule")
    n_rules: int = Field(description="Rules found")
    top_rules: list[AssociationRule] = Field(description="Strongest rules by lift")


def run_baskets_eval(
    *,
    path: Path,
    min_support: float,
    min_confidence: float,
    min_len: int = 2,
    top: int = 10,
) -> BasketsEvalResult:
    """Mine rules (single-item consequents) and keep the `top` by lift."""
    baskets = load_baskets(path=path)
    rules = association_rules(
        baskets=baskets, min_support=min_support, min_confidence=min_confidence, min_len=min_len
    )
    return BasketsEvalResult(
        file=str(path),
        n_baskets=len(baskets),
        n_items=len({item for basket in baskets for item in basket}),
        min_support=min_support,
        min_confidence=min_confidence,
        min_len=min_len,
        n_rules=len(rules.rules),
        top_rules=list(rules.rules[: max(top, 0)]),
    )
