"""Why an offer decision chose what it chose, in plain sentences and one row per option."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from tools.pricing.decide import TIE_CENTS, OfferDecision, OfferOption, SkippedOption


class OptionVerdict(BaseModel):
    """One option's expected outcome beside the no-offer baseline, and its verdict."""

    model_config = ConfigDict(frozen=True)

    key: str
    price_cents: int
    expected_conversion: float
    expected_margin_cents: float
    margin_vs_none_cents: float = Field(description="Expected margin gained over no offer")
    expected_discount_cents: float
    verdict: str = Field(description="chosen, or why not")


class Explanation(BaseModel):
    """A decision explained: a summary, the facts it rested on, and every option's verdict."""

    model_config = ConfigDict(frozen=True)

    decision_id: str
    sku: str
    chosen: str
    summary: str
    basis: tuple[str, ...]
    options: tuple[OptionVerdict, ...]
    skipped: tuple[SkippedOption, ...]


def _money(cents: float) -> str:
    return f"${cents / 100:,.2f}"


def _verdict(option: OfferOption, decision: OfferDecision) -> str:
    chosen = decision.chosen
    if option.key == chosen.key:
        return "chosen"
    if option.expected_margin_cents >= chosen.expected_margin_cents - TIE_CENTS:
        return "as good, but costlier than the chosen option"
    gap = chosen.expected_margin_cents - option.expected_margin_cents
    return f"{_money(gap)} less expected margin than the chosen option"


def _basis(decision: OfferDecision) -> tuple[str, ...]:
    e = decision.elasticity
    sensitivity = (
        "unknown (average assumed)"
        if decision.price_sensitivity is None
        else f"{decision.price_sensitivity:.2f} on a 0-1 scale"
    )
    lines = [
        f"conversion without an offer: {decision.base_conversion:.1%}"
        + (f" (intent: {decision.intent.replace('_', ' ')})" if decision.intent else ""),
        f"category price elasticity {e.value:.2f} ({e.source.replace('_', ' ')}: {e.detail})",
        f"shopper's price sensitivity: {sensitivity}; "
        f"elasticity used {decision.shopper_elasticity:.2f}",
    ]
    if not decision.cost_known:
        lines.append("unit cost unknown: no price cut considered, margins use a default rate")
    return tuple(lines)


def explain_decision(decision: OfferDecision) -> Explanation:
    """The decision as reasons a merchandiser or shopper-facing agent can show."""
    none = decision.options[0]
    chosen = decision.chosen
    if chosen.key == "none":
        summary = "No offer: no intervention was expected to raise the contribution margin."
    else:
        name = chosen.key.replace("_", " ")
        summary = (
            f"{name}: expected margin {_money(chosen.expected_margin_cents)}"
            f" against {_money(none.expected_margin_cents)} with no offer "
            f"(conversion {chosen.expected_conversion:.1%} against {none.expected_conversion:.1%})."
        )
    return Explanation(
        decision_id=decision.decision_id,
        sku=decision.sku,
        chosen=chosen.key,
        summary=summary,
        basis=_basis(decision),
        options=tuple(
            OptionVerdict(
                key=o.key,
                price_cents=o.price_cents,
                expected_conversion=o.expected_conversion,
                expected_margin_cents=o.expected_margin_cents,
                margin_vs_none_cents=o.expected_margin_cents - none.expected_margin_cents,
                expected_discount_cents=o.expected_discount_cents,
                verdict=_verdict(o, decision),
            )
            for o in decision.options
        ),
        skipped=decision.skipped,
    )
