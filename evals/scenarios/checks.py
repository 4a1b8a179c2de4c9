"""The checks a scenario turn may name under `expect`, and the invariants every turn must keep.

A check is a function `(turn, expected) -> None` that raises AssertionError with what it found.
Invariants (`INVARIANTS`) take no expected value and run after every shopper turn: the reply is
grounded in approved actions, nothing shown is out of stock, and quotes keep the price floor and
the category's deepest discount.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from evals.scenarios.outcomes import (
    filters_honoured,
    shown_attribute,
    shown_category,
    shown_max_price,
)
from evals.scenarios.turn import Turn
from orchestrator.grounding import approved_skus, ground, ungrounded
from orchestrator.runtime import TurnOutcome
from orchestrator.state import TurnState
from policies.context import ActorFacts
from policies.derive import discount_pct, max_discount_pct, price_floor_cents
from policies.loader import default_pack
from tools.policy_facts import PolicyFacts

Check = Callable[[Turn, Any], None]


def _is(value: Any, expected: Any, what: str) -> None:
    assert value == expected, f"{what}: {value!r} != {expected!r}"


def _has(turn: Turn, texts: list[str], expected: bool) -> None:
    for text in texts:
        _is(text in turn.reply(), expected, f"reply has {text!r}")


def _outbox(turn: Turn, expected: int) -> None:
    found = turn.rows(
        "SELECT count(*) FROM outbox WHERE idempotency_key LIKE :t", t=f"{turn.thread}:%"
    )
    _is(found[0][0], expected, "outbox messages")


def _offers(turn: Turn, expected: int) -> None:
    ids = {
        j.decision.decision_id
        for j in turn.state.get("judgements", [])
        if j.decision.action_kind == "quote_offer"
    }
    found = [r for r in turn.rows("SELECT decision_id FROM offers") if r[0] in ids]
    _is(len(found), expected, "offers recorded")


def _floors(turn: Turn, expected: bool) -> None:
    params = default_pack().spec.params.pricing
    facts = PolicyFacts(turn.engine)
    for j in turn.state.get("judgements", []):
        action = j.decision.action
        if j.decision.action_kind != "quote_offer" or not j.decision.executable or action is None:
            continue
        actor = ActorFacts(id="check", kind="system")
        product = facts.context([action], actor=actor, now=turn.now).products[action.sku]  # type: ignore[union-attr]
        floor = price_floor_cents(product, params)
        price = action.price_cents  # type: ignore[union-attr]
        assert floor is None or price >= floor, f"{price} below the floor {floor}"
        depth = discount_pct(product.list_price_cents, price)
        deepest = max_discount_pct(product.category, params)
        assert depth <= deepest + 1e-9 or math.isclose(depth, 0), f"{depth}% off > {deepest}%"


def _decisions(turn: Turn, expected: dict[str, list[str]]) -> None:
    for j in turn.state.get("judgements", []):
        if j.decision.action_kind in expected:
            effect = j.decision.effect.value
            assert effect in expected[j.decision.action_kind], f"{effect}: {j.decision.reasons}"


def _executions(turn: Turn, expected: dict[str, str]) -> None:
    for kind, status in expected.items():
        _is(turn.executed().get(kind), status, f"execution of {kind}")


def _intent(turn: Turn, expected: dict[str, Any]) -> None:
    intent = turn.state.get("intent")
    assert intent is not None, "no intent"
    for key, value in expected.items():
        _is(getattr(intent, key), value, f"intent.{key}")


def _budget_below(turn: Turn, expected: bool) -> None:
    intent = turn.state.get("intent")
    assert intent is not None and intent.budget is not None and intent.budget.max_cents is not None
    assert turn.before, "nothing was shown before"
    assert intent.budget.max_cents < max(c.list_price_cents for c in turn.before)


def _excludes_brand(turn: Turn, index: int) -> None:
    intent = turn.state.get("intent")
    assert intent is not None and turn.before[index].brand in intent.excluded_brands


def _shown_brands(turn: Turn, expected: bool) -> None:
    banned = turn.before[0].brand
    assert all(c.brand != banned for c in turn.state.get("shown", [])) is expected


def _similar(turn: Turn, index: int) -> None:
    intent = turn.state.get("intent")
    assert intent is not None and intent.similar_to == turn.before[index].sku


def _attribute(turn: Turn, value: str) -> None:
    intent = turn.state.get("intent")
    assert intent is not None
    found = [str(v).lower() for values in intent.attributes.values() for v in values]
    assert value in found, found


def _focus(turn: Turn, index: int) -> None:
    _is(turn.state["plan"].focus_sku, turn.before[index].sku, "focus")


def _no_kinds(turn: Turn, kinds: list[str]) -> None:
    assert not set(kinds) & set(turn.kinds()), turn.kinds()


def _no_kinds_executed(turn: Turn, kinds: list[str]) -> None:
    done = {k for k, status in turn.executed().items() if status in {"applied", "waiting"}}
    assert not set(kinds) & done, done


def reply_problems(outcome: TurnOutcome, state: TurnState) -> list[str]:
    """Prices and product titles in a shopper turn's reply that no approved action backs."""
    if outcome.reply is None or state["request"].mode != "shopper":
        return []
    stock = state.get("stock")
    catalog = [*state.get("candidates", []), *state.get("shown", [])]
    if stock is not None:
        catalog.extend(stock.shown)
    grounding = ground(state)
    problems = ungrounded(outcome.reply.text, grounding, catalog=catalog)
    # Two products may share a title; naming it is grounded when an approved one carries it.
    titles = {c.sku: c.title for c in catalog}
    approved = {titles.get(sku) or grounding.titles.get(sku) for sku in approved_skus(grounding)}
    return [p for p in problems if not (p.startswith("product ") and titles.get(p[8:]) in approved)]


def grounded(turn: Turn, expected: bool = True) -> None:
    """Every price and product title in the reply is backed by an approved action."""
    problems = reply_problems(turn.outcome, turn.state)
    assert not problems, f"ungrounded: {problems[:3]}"


def in_stock(turn: Turn, expected: bool = True) -> None:
    """No product shown this turn is out of stock everywhere."""
    skus = turn.shown_skus()
    if not skus:
        return
    stocked = {
        sku
        for sku, units in turn.rows(
            "SELECT sku, sum(on_hand - reserved) FROM inventory GROUP BY sku"
        )
        if units and units > 0
    }
    missing = [s for s in skus if s not in stocked]
    assert not missing, f"out of stock shown: {missing[:3]}"


CHECKS: dict[str, Check] = {
    "reply": lambda t, v: _is(t.outcome.reply.kind if t.outcome.reply else None, v, "reply kind"),
    "reply_contains": lambda t, v: _has(t, v, True),
    "reply_excludes": lambda t, v: _has(t, v, False),
    "plan": lambda t, v: _is(list(t.state["plan"].steps), v, "plan"),
    "proposals": lambda t, v: _is(t.kinds(), v, "proposals"),
    "shown_at_least": lambda t, v: _is(len(t.state.get("shown", [])) >= v, True, "shown"),
    "out_of_stock": lambda t, v: _is(len(t.state.get("out_of_stock", [])), v, "out of stock"),
    "out_of_stock_at_least": lambda t, v: _is(
        len(t.state.get("out_of_stock", [])) >= v, True, "out of stock"
    ),
    "interrupted": lambda t, v: _is(t.outcome.interrupted, v, "interrupted"),
    "approvals": lambda t, v: _is([a["kind"] for a in t.outcome.approvals], v, "approvals"),
    "decisions": _decisions,
    "executions": _executions,
    "intent": _intent,
    "budget_below_shown": _budget_below,
    "excludes_brand_of_shown": _excludes_brand,
    "shown_brands_exclude_previous_first": _shown_brands,
    "similar_to_shown": _similar,
    "attribute_value": _attribute,
    "focus_shown": _focus,
    "quotes_respect_floor": _floors,
    "offers_recorded": _offers,
    "outbox": _outbox,
    "no_kinds": _no_kinds,
    "no_kinds_executed": _no_kinds_executed,
    "grounded": grounded,
    "in_stock": in_stock,
    "filters_honoured": filters_honoured,
    "shown_category": shown_category,
    "shown_max_price": shown_max_price,
    "shown_attribute": shown_attribute,
}

INVARIANTS: dict[str, Check] = {
    "grounded": grounded,
    "in_stock": in_stock,
    "offers_within_policy": _floors,
}
