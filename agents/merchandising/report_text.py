"""Templated summaries of reports: a count, what was asked, and the first few rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from agents.merchandising.report_model import PromotionRow, ReportRow, RuleRow, StockRow
from agents.merchandising.spec import ReportSpec
from tools.inventory.clock import zone

SHOWN = 3
_STATES = {
    "low_stock": ("is about to run out", "are about to run out"),
    "out_of_stock": ("is out of stock", "are out of stock"),
    "overstock": ("is overstocked", "are overstocked"),
}


def report_summary(spec: ReportSpec, rows: Sequence[ReportRow], timezone: str) -> str:
    """One or two sentences answering the question."""
    if spec.kind == "active_promotions":
        items = [_promotion(r, timezone) for r in rows if isinstance(r, PromotionRow)]
        noun = "promotion" + _where(spec)
        return _sentence(len(rows), noun, "is active", "are active", items, plural_at=9)
    if spec.kind == "active_rules":
        items = [_rule(r, timezone) for r in rows if isinstance(r, RuleRow)]
        return _sentence(len(rows), "merchandising rule", "is active", "are active", items)
    noun = "recommended product" if spec.recommended_only else "product"
    where = _where(spec)
    one, many = _STATES[spec.kind]
    items = [_stock(r) for r in rows if isinstance(r, StockRow)]
    return _sentence(len(rows), noun + where, one, many, items, plural_at=len(noun))


def _where(spec: ReportSpec) -> str:
    scope = spec.scope
    named = [*scope.categories, *scope.brands, *scope.tags]
    named += [
        k if v == (True,) else f"{k}={'/'.join(map(str, v))}" for k, v in scope.attributes.items()
    ]
    return f" in {', '.join(named)}" if named else ""


def _sentence(
    count: int,
    noun: str,
    one: str,
    many: str,
    items: list[str],
    *,
    plural_at: int | None = None,
) -> str:
    at = len(noun) if plural_at is None else plural_at
    nouns = noun[:at] + "s" + noun[at:] if count != 1 else noun
    if count == 0:
        return f"No {nouns} {many}."
    head = f"{count} {nouns} {one if count == 1 else many}"
    more = f" and {count - SHOWN} more" if count > SHOWN else ""
    return f"{head}: {'; '.join(items[:SHOWN])}{more}."


def _stock(row: StockRow) -> str:
    if row.level == "out":
        return f"{row.sku} {row.title}"
    cover = f", ~{row.days_of_cover:g} days of cover" if row.days_of_cover is not None else ""
    if row.level == "overstock" and row.days_of_cover is None:
        cover = ", no recent sales"
    return f"{row.sku} {row.title} ({row.available} available{cover})"


def _promotion(row: PromotionRow, timezone: str) -> str:
    tiers = f" for {'/'.join(row.loyalty_tiers)} members" if row.loyalty_tiers else ""
    until = _local(row.ends_at, timezone)
    return f"{row.name} ({row.discount_pct:g}% off {row.scope}{tiers}) until {until}"


def _rule(row: RuleRow, timezone: str) -> str:
    weight = f" by {row.weight:.2f}" if row.kind in ("boost", "bury") else ""
    query = f" for {row.query!r}" if row.query else ""
    until = f" until {_local(row.ends_at, timezone)}" if row.ends_at else ", open-ended"
    return f"{row.kind} {row.scope}{weight}{query}{until}"


def _local(instant: datetime, timezone: str) -> str:
    return instant.astimezone(zone(timezone)).strftime("%a %d %b %H:%M %Z")
