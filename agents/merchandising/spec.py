"""`MerchTaskSpec` and `ReportSpec`: what a merchandiser asked for, before anything is resolved.

The deterministic parser produces these; an optional language model may produce the same
structures. Either way they are validated here and compiled by the same code, so a spec from
any source meets the same checks. Dates are local calendar dates in the store's timezone.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from policies.actions.pricing import LoyaltyTier
from tools.query import AttributeValue

TaskKind = Literal["boost", "bury", "pin", "exclude", "promotion", "list_price"]
MERCH_RULE_KINDS: frozenset[str] = frozenset({"boost", "bury", "pin", "exclude"})
StockFilter = Literal["out", "low", "overstock", "in_stock"]
ProductFlag = Literal["age_restricted", "regulated"]
ReportKind = Literal["low_stock", "out_of_stock", "overstock", "active_promotions", "active_rules"]


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ScopeSpec(_Spec):
    """Which products: every criterion given must hold; none given matches nothing."""

    text: str = Field(default="", max_length=1000, description="The words that named the scope")
    everything: bool = Field(default=False, description="The whole catalog was asked for")
    skus: tuple[str, ...] = Field(default=(), max_length=1000)
    categories: tuple[str, ...] = Field(default=(), description="Category paths (any of them)")
    brands: tuple[str, ...] = ()
    excluded_brands: tuple[str, ...] = ()
    attributes: dict[str, tuple[AttributeValue, ...]] = Field(default_factory=dict)
    excluded_attributes: dict[str, tuple[AttributeValue, ...]] = Field(default_factory=dict)
    tags: tuple[str, ...] = ()
    excluded_tags: tuple[str, ...] = ()
    flags: tuple[ProductFlag, ...] = Field(default=(), description="Product flags that must hold")
    stock: StockFilter | None = Field(default=None, description="Stock level the items must have")
    min_price_cents: int | None = Field(default=None, ge=0, description="List price at least")
    max_price_cents: int | None = Field(default=None, ge=0, description="List price at most")

    def is_empty(self) -> bool:
        """Whether no criterion was given (and the whole catalog was not asked for)."""
        return not (
            self.everything
            or self.skus
            or self.categories
            or self.brands
            or self.attributes
            or self.tags
            or self.flags
            or self.stock
            or self.min_price_cents is not None
            or self.max_price_cents is not None
        )

    def is_plain_category(self) -> bool:
        """Whether the scope is exactly one category path with no other criterion."""
        return len(self.categories) == 1 and self == ScopeSpec(
            text=self.text, categories=self.categories
        )


class WindowSpec(_Spec):
    """When a change applies: from `starts_on` (None: now) until the end of `ends_on`, or for
    a duration; no end given means open-ended for rules and the default length for promotions."""

    starts_on: date | None = Field(default=None, description="First local day; None: now")
    ends_on: date | None = Field(default=None, description="Last local day, inclusive")
    duration_days: int | None = Field(default=None, ge=1, le=366)
    duration_hours: int | None = Field(default=None, ge=1, le=24 * 366)

    @model_validator(mode="after")
    def _one_end(self) -> WindowSpec:
        ends = [self.ends_on, self.duration_days, self.duration_hours]
        if sum(e is not None for e in ends) > 1:
            raise ValueError("give at most one of ends_on, duration_days, duration_hours")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        return self

    def is_open(self) -> bool:
        """Whether no end was given."""
        return self.ends_on is None and self.duration_days is None and self.duration_hours is None


class MerchTaskSpec(_Spec):
    """One merchandising change: what to do, to which products, when, under which limits."""

    kind: TaskKind
    text: str = Field(default="", max_length=2000, description="The task as given")
    scope: ScopeSpec
    weight: float | None = Field(default=None, gt=0, le=1, description="Boost/bury strength")
    discount_pct: float | None = Field(default=None, gt=0, le=100, description="Promotion depth")
    new_price_cents: int | None = Field(default=None, ge=0, description="Target list price")
    price_change_pct: float | None = Field(default=None, ge=-99, le=1000, description="Signed")
    price_change_cents: int | None = Field(default=None, description="Signed list-price change")
    loyalty_tiers: tuple[LoyaltyTier, ...] = Field(default=(), description="Empty: everyone")
    min_margin_pct: float | None = Field(default=None, ge=0, lt=100, description="Margin floor")
    query: str | None = Field(default=None, min_length=1, max_length=300)
    window: WindowSpec = WindowSpec()
    notes: tuple[str, ...] = Field(default=(), description="What the parser assumed or skipped")

    @model_validator(mode="after")
    def _fits_kind(self) -> MerchTaskSpec:
        problem = _kind_problem(self)
        if problem:
            raise ValueError(problem)
        return self

    def price_instruction_count(self) -> int:
        """How many of the list-price instructions were given."""
        given = (self.new_price_cents, self.price_change_pct, self.price_change_cents)
        return sum(value is not None for value in given)


def _kind_problem(spec: MerchTaskSpec) -> str | None:
    """Why the fields do not fit the kind of task, or None."""
    kind = spec.kind
    if kind == "promotion" and spec.discount_pct is None:
        return "a promotion needs a discount_pct"
    if kind != "promotion" and (spec.discount_pct is not None or spec.loyalty_tiers):
        return f"discount_pct and loyalty_tiers belong to promotions, not {kind}"
    if kind == "list_price" and spec.price_instruction_count() != 1:
        return (
            "a list-price change needs exactly one of new_price_cents, price_change_pct, "
            "price_change_cents"
        )
    if kind != "list_price" and spec.price_instruction_count():
        return f"list-price fields do not belong to {kind}"
    if kind not in ("boost", "bury") and spec.weight is not None:
        return f"a weight belongs to boost or bury, not {kind}"
    if kind not in MERCH_RULE_KINDS and spec.query is not None:
        return f"a query belongs to merchandising rules, not {kind}"
    if kind == "pin" and not spec.scope.skus:
        return "a pin needs the skus to pin"
    if kind in ("pin", "exclude", "boost", "bury") and spec.min_margin_pct is not None:
        return f"a margin limit belongs to promotions and prices, not {kind}"
    return None


class ReportSpec(_Spec):
    """A read-only question: which products are low, out, overstocked; what is active."""

    kind: ReportKind
    text: str = Field(default="", max_length=2000)
    scope: ScopeSpec = ScopeSpec()
    recommended_only: bool = Field(default=False, description="Only products being recommended")
