"""Multi-turn scenarios written as YAML: what is said (or done) each turn and what must follow.

A turn says something (`say`), resumes an escalated one (`approve: {by, approve}`) or restocks the
products a back-in-stock message waits for (`restock: true`). `expect` names checks, each one a
function below; an unknown check fails the scenario rather than passing silently.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import text

from agents.candidates import Candidate
from config import Settings
from orchestrator.runtime import Concierge, TurnOutcome
from orchestrator.state import TurnState
from policies.context import ActorFacts
from policies.derive import discount_pct, max_discount_pct, price_floor_cents
from policies.loader import default_pack
from tests.orchestrator.demo import NOW, engine_of, rows
from tools.policy_facts import PolicyFacts


@dataclass
class Turn:
    """What one turn left behind, and the thread before it."""

    settings: Settings
    thread: str
    outcome: TurnOutcome
    state: TurnState
    before: list[Candidate] = field(default_factory=list)

    def kinds(self) -> list[str]:
        return [p.action.kind for p in self.state.get("proposals", [])]

    def executed(self) -> dict[str, str]:
        return {e.kind: e.status for e in self.state.get("executed", [])}

    def reply(self) -> str:
        return self.outcome.reply.text if self.outcome.reply else ""


def load(path: Path) -> dict[str, Any]:
    """A scenario file."""
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    return data


async def play(
    concierge: Concierge, settings: Settings, scenario: dict[str, Any], thread: str
) -> None:
    """Run every turn of a scenario and check what each one expects."""
    actor = ActorFacts.model_validate(scenario["actor"]) if "actor" in scenario else None
    pending: list[dict[str, Any]] = []
    for number, step in enumerate(scenario["turns"], 1):
        before = list((await concierge.thread(thread)).get("shown", [])) if number > 1 else []
        if "say" in step:
            outcome = await concierge.turn(
                step["say"],
                thread_id=thread,
                shopper_id=scenario.get("shopper"),
                actor=actor,
                mode=scenario.get("mode", "shopper"),
                now=NOW,
            )
        elif "approve" in step:
            verdict = {"approve": step["approve"]["approve"], "by": step["approve"]["by"]}
            outcome = await concierge.approve(thread, {a["decision_id"]: verdict for a in pending})
        else:
            _restock(settings, thread)
            concierge.deps.executor.release_restocked(now=NOW)
            outcome = TurnOutcome(
                thread_id=thread, reply=None, interrupted=False, approvals=[], events=[]
            )
        pending = outcome.approvals
        turn = Turn(settings, thread, outcome, await concierge.thread(thread), before)
        for check, expected in (step.get("expect") or {}).items():
            assert check in CHECKS, f"unknown check {check!r}"
            try:
                CHECKS[check](turn, expected)
            except AssertionError as exc:
                raise AssertionError(f"turn {number} ({check}): {exc}") from exc


def _restock(settings: Settings, thread: str) -> None:
    waiting = rows(
        settings,
        "SELECT result FROM executions WHERE status = 'waiting' AND idempotency_key LIKE :t",
        t=f"{thread}:%",
    )
    with engine_of(settings) as engine, engine.begin() as conn:
        for (result,) in waiting:
            skus = yaml.safe_load(result)["skus"] if isinstance(result, str) else result["skus"]
            for sku in skus:
                conn.execute(
                    text("UPDATE inventory SET on_hand = reserved + 5 WHERE sku = :s"), {"s": sku}
                )


def _is(value: Any, expected: Any, what: str) -> None:
    assert value == expected, f"{what}: {value!r} != {expected!r}"


def _outbox(turn: Turn, expected: int) -> None:
    found = rows(
        turn.settings,
        "SELECT count(*) FROM outbox WHERE idempotency_key LIKE :t",
        t=f"{turn.thread}:%",
    )
    _is(found[0][0], expected, "outbox messages")


def _offers(turn: Turn, expected: int) -> None:
    ids = [
        j.decision.decision_id
        for j in turn.state.get("judgements", [])
        if j.decision.action_kind == "quote_offer"
    ]
    found = [r for r in rows(turn.settings, "SELECT decision_id FROM offers") if r[0] in ids]
    _is(len(found), expected, "offers recorded")


def _floors(turn: Turn, expected: bool) -> None:
    params = default_pack().spec.params.pricing
    for j in turn.state.get("judgements", []):
        action = j.decision.action
        if j.decision.action_kind != "quote_offer" or not j.decision.executable or action is None:
            continue
        with engine_of(turn.settings) as engine:
            actor = ActorFacts(id="check", kind="system")
            product = (
                PolicyFacts(engine).context([action], actor=actor, now=NOW).products[action.sku]
            )  # type: ignore[union-attr]
        floor = price_floor_cents(product, params)
        price = action.price_cents  # type: ignore[union-attr]
        assert floor is None or price >= floor, f"{price} below the floor {floor}"
        depth = discount_pct(product.list_price_cents, price)
        assert depth <= max_discount_pct(product.category, params) + 1e-9 or math.isclose(depth, 0)


def _decisions(turn: Turn, expected: dict[str, list[str]]) -> None:
    for j in turn.state.get("judgements", []):
        if j.decision.action_kind in expected:
            assert j.decision.effect.value in expected[j.decision.action_kind], j.decision.reasons


def _executions(turn: Turn, expected: dict[str, str]) -> None:
    for kind, status in expected.items():
        _is(turn.executed().get(kind), status, f"execution of {kind}")


def _intent(turn: Turn, expected: dict[str, Any]) -> None:
    intent = turn.state.get("intent")
    assert intent is not None
    for key, value in expected.items():
        _is(getattr(intent, key), value, f"intent.{key}")


def _budget_below(turn: Turn, expected: bool) -> None:
    intent = turn.state.get("intent")
    assert intent is not None and intent.budget is not None and intent.budget.max_cents is not None
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


CHECKS: dict[str, Callable[[Turn, Any], None]] = {
    "reply": lambda t, v: _is(t.outcome.reply.kind if t.outcome.reply else None, v, "reply kind"),
    "reply_contains": lambda t, v: [_is(s in t.reply(), True, f"reply has {s!r}") for s in v],
    "reply_excludes": lambda t, v: [_is(s in t.reply(), False, f"reply has {s!r}") for s in v],
    "plan": lambda t, v: _is(list(t.state["plan"].steps), v, "plan"),
    "proposals": lambda t, v: _is(t.kinds(), v, "proposals"),
    "shown_at_least": lambda t, v: _is(len(t.state.get("shown", [])) >= v, True, "shown"),
    "out_of_stock": lambda t, v: _is(len(t.state.get("out_of_stock", [])), v, "out of stock"),
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
}
