"""The templated one-paragraph summary of a plan, and the warnings a reviewer should see."""

from __future__ import annotations

from agents.merchandising.plan import PlannedStep, PlanPreview
from agents.merchandising.spec import MerchTaskSpec, ScopeSpec
from agents.merchandising.steps import Built, Window
from agents.merchandising.timing import DEFAULT_PROMOTION_DAYS, describe_window

_REASONS = {
    "margin_below_target": "margin below the limit",
    "below_price_floor": "below the price floor",
    "discount_too_deep": "discount deeper than the category allows",
    "cost_unknown": "unit cost unknown",
    "no_change": "already at that price",
}


def plan_summary(
    spec: MerchTaskSpec, steps: list[PlannedStep], preview: PlanPreview, window: Window, tz: str
) -> str:
    """What the plan does, when, what it leaves out and what it is expected to do."""
    what = _what(spec, steps, preview)
    if spec.kind != "list_price":
        what += ", " + describe_window(window.starts_at, window.ends_at, tz)
    parts = [what + "."]
    if preview.excluded_count:
        reasons = ", ".join(
            f"{_REASONS.get(reason, reason)}: {n}"
            for reason, n in preview.excluded_by_reason.items()
        )
        parts.append(f"{preview.excluded_count} left out ({reasons}).")
    if preview.rankings:
        moved = sum(len(view.moves) for view in preview.rankings)
        keys = ", ".join(view.key for view in preview.rankings)
        changes = f"{moved} position change{'s' if moved != 1 else ''}" if moved else "no change"
        parts.append(f"Rankings: {changes} in {keys}.")
    if preview.margin is not None:
        m = preview.margin
        parts.append(
            f"Expected margin over {m.window_days:.1f} days: {_money(m.margin_before_cents)} → "
            f"{_money(m.margin_after_cents)} ({_signed(m.margin_change_cents)}); units "
            f"{m.units_before:g} → {m.units_after:g}."
        )
    return " ".join(parts)


def _what(spec: MerchTaskSpec, steps: list[PlannedStep], preview: PlanPreview) -> str:
    n = preview.affected_count
    products = f"{n} product{'s' if n != 1 else ''}"
    if spec.kind == "promotion":
        tiers = f" for {'/'.join(spec.loyalty_tiers)} members" if spec.loyalty_tiers else ""
        if not n:
            return f"No product can take {spec.discount_pct:g}% off{tiers}"
        return f"{spec.discount_pct:g}% off {products}{tiers}"
    if spec.kind == "list_price":
        more = f" and {len(steps) - 3} more" if len(steps) > 3 else ""
        return (
            "Change the " + "; ".join(s.summary for s in steps[:3]) + more
            if steps
            else ("No list price to change")
        )
    verb = {"boost": "Boost", "bury": "Bury", "pin": "Pin", "exclude": "Exclude"}[spec.kind]
    text = f"{verb} {products}"
    if spec.kind in ("boost", "bury") and steps:
        text += f" by {getattr(steps[0].action, 'weight', 0.0):.2f}"
    if spec.query:
        text += f" for the query {spec.query!r}"
    return text + (" from recommendations" if spec.kind == "exclude" else "")


def plan_warnings(spec: MerchTaskSpec, built: Built, window: Window) -> list[str]:
    """What the reviewer should know: assumptions, defaults, products of unknown cost."""
    warnings = list(spec.notes)
    if spec.kind == "promotion" and spec.window.is_open():
        warnings.append(f"no end date given: the promotion runs {DEFAULT_PROMOTION_DAYS} days")
    if spec.kind in ("boost", "bury", "pin", "exclude") and window.ends_at is None:
        warnings.append("no end date given: the rule stays until it is removed")
    if spec.kind in ("boost", "bury") and spec.weight is None:
        warnings.append("no strength given: a weight of 0.20 was used")
    if spec.kind == "pin" and not spec.query and not spec.scope.categories:
        warnings.append("no query or category given: the product is pinned wherever it is shown")
    unknown = sum(1 for item in built.priced if item.product.unit_cost_cents is None)
    if unknown:
        warnings.append(
            f"{unknown} product{'s have' if unknown != 1 else ' has'} an unknown unit cost: "
            "margin figures assume the default margin for them"
        )
    named_by_sku = spec.scope.skus and spec.scope == ScopeSpec(
        text=spec.scope.text, skus=spec.scope.skus
    )
    if built.steps and not (spec.scope.is_plain_category() or named_by_sku):
        warnings.append(
            "the change covers the products that match today; products added later are not covered"
        )
    return warnings


def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents) / 100:,.2f}"


def _signed(cents: int) -> str:
    return ("+" if cents >= 0 else "") + _money(cents)
