"""The executor is the only writer, executes only approved and recorded decisions, and applies
each action exactly once (replays and resumed turns find the first execution)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text

from config import Settings
from orchestrator.executor import Executor, Order, idempotency_key
from policies.actions import (
    ActionBase,
    ChangeListPrice,
    HoldInventory,
    MerchRuleChange,
    QuoteOffer,
    Scope,
    SendMessage,
)
from policies.audit import DecisionLog
from policies.checker import PolicyChecker
from policies.context import ActorFacts
from policies.decision import Effect, PolicyDecision
from policies.engine import check
from policies.loader import default_pack
from tests.orchestrator.demo import NOW, SHOPPER, count, rows
from tools.policy_facts import PolicyFacts
from tools.store import make_engine

AGENT = ActorFacts(id="concierge", kind="agent", on_behalf_of=SHOPPER)
STAFF = ActorFacts(id="mia", kind="staff", role="admin", category_scopes=("*",))


@pytest.fixture(scope="module")
def engine(demo_settings: Settings) -> Iterator[Engine]:
    engine = make_engine(demo_settings.resolved_database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def log(engine: Engine) -> DecisionLog:
    return DecisionLog(engine)


def _decide(
    engine: Engine, log: DecisionLog, action: ActionBase, actor: ActorFacts = AGENT
) -> PolicyDecision:
    context = PolicyFacts(engine).context([action], actor=actor, now=NOW)
    return PolicyChecker(default_pack(), log).check(action, context)


def _order(action: ActionBase, decision: PolicyDecision, key: str, **kw: object) -> Order:
    return Order(action=action, decision=decision, key=key, actor="concierge", **kw)  # type: ignore[arg-type]


def _stocked(settings: Settings, *, available: bool) -> str:
    having = "> 0" if available else "<= 0"
    query = (
        "SELECT sku FROM inventory GROUP BY sku "
        f"HAVING sum(on_hand - reserved) {having} ORDER BY sku LIMIT 1"
    )
    return str(rows(settings, query)[0][0])


def _quote(settings: Settings, sku: str, cents: int | None = None) -> QuoteOffer:
    price = (
        cents
        if cents is not None
        else rows(settings, "SELECT list_price_cents FROM products WHERE sku = :s", s=sku)[0][0]
    )
    return QuoteOffer(
        shopper_id=SHOPPER, sku=sku, price_cents=price, expires_at=NOW + timedelta(minutes=30)
    )


def test_an_approved_quote_is_recorded_once_however_often_it_is_replayed(
    demo_settings: Settings, engine: Engine, log: DecisionLog
) -> None:
    action = _quote(demo_settings, _stocked(demo_settings, available=True))
    decision = _decide(engine, log, action)
    assert decision.effect == Effect.APPROVE
    executor = Executor(engine, log)
    key = idempotency_key(thread_id="x", turn=1, index=0, proposed=action)
    before = count(demo_settings, "offers")
    first = executor.execute(_order(action, decision, key), now=NOW)
    again = executor.execute(_order(action, decision, key), now=NOW + timedelta(seconds=5))
    assert (first.status, again.status) == ("applied", "replayed")
    assert first.result == again.result
    assert count(demo_settings, "offers") == before + 1
    assert rows(
        demo_settings, "SELECT count(*) FROM executions WHERE idempotency_key = :k", k=key
    ) == [(1,)]
    # The same approval presented again under another key applies nothing a second time.
    other = idempotency_key(thread_id="y", turn=9, index=0, proposed=action)
    reused = executor.execute(_order(action, decision, other), now=NOW + timedelta(seconds=9))
    assert (reused.status, reused.code) == ("refused", "DECISION_ALREADY_USED")
    assert count(demo_settings, "offers") == before + 1


def test_unapproved_tampered_edited_or_unrecorded_decisions_execute_nothing(
    demo_settings: Settings, engine: Engine, log: DecisionLog
) -> None:
    sku = _stocked(demo_settings, available=True)
    listed = _quote(demo_settings, sku)
    approved = _decide(engine, log, listed)
    above_list = _quote(demo_settings, sku, listed.price_cents + 500)
    denied = _decide(engine, log, above_list)
    assert denied.effect == Effect.DENY
    cheaper = listed.model_copy(update={"price_cents": 1})
    forged = denied.model_copy(update={"effect": Effect.APPROVE})
    unlogged = check(
        listed, PolicyFacts(engine).context([listed], actor=AGENT, now=NOW), default_pack()
    )
    cases = {
        "NOT_APPROVED": (above_list, denied),
        "ACTION_MISMATCH": (cheaper, approved),
        "DECISION_TAMPERED": (above_list, forged),
        "NOT_RECORDED": (listed, unlogged),
    }
    executor = Executor(engine, log)
    before = (count(demo_settings, "offers"), count(demo_settings, "executions"))
    for code, (action, decision) in cases.items():
        record = executor.execute(_order(action, decision, f"refuse-{code}"), now=NOW)
        assert (record.status, record.code) == ("refused", code)
    assert (count(demo_settings, "offers"), count(demo_settings, "executions")) == before


def test_a_back_in_stock_message_waits_for_stock_then_leaves_the_outbox_once(
    demo_settings: Settings, engine: Engine, log: DecisionLog
) -> None:
    sku = _stocked(demo_settings, available=False)
    message = SendMessage(
        shopper_id=SHOPPER, channel="sms", purpose="back_in_stock", body=f"{sku} is back"
    )
    decision = _decide(engine, log, message)
    assert decision.executable
    executor = Executor(engine, log)
    order = _order(decision.action, decision, "notify-1", skus=(sku,))  # type: ignore[arg-type]
    before = count(demo_settings, "outbox")
    assert executor.execute(order, now=NOW).status == "waiting"
    assert executor.release_restocked(now=NOW) == []
    assert count(demo_settings, "outbox") == before
    with engine.begin() as conn:
        conn.execute(text("UPDATE inventory SET on_hand = reserved + 3 WHERE sku = :s"), {"s": sku})
    released = executor.release_restocked(now=NOW)
    assert [r.status for r in released] == ["applied"]
    assert executor.release_restocked(now=NOW) == []
    assert executor.execute(order, now=NOW).status == "replayed"
    assert count(demo_settings, "outbox") == before + 1


def test_holds_and_merchandising_changes_apply_once(
    demo_settings: Settings, engine: Engine, log: DecisionLog
) -> None:
    sku = _stocked(demo_settings, available=True)
    location = rows(
        demo_settings,
        "SELECT i.location_id FROM inventory i JOIN locations l ON l.id = i.location_id "
        "WHERE i.sku = :s AND l.kind = 'store' AND i.on_hand - i.reserved > 1 LIMIT 1",
        s=sku,
    )[0][0]
    price = rows(demo_settings, "SELECT list_price_cents FROM products WHERE sku = :s", s=sku)[0][0]
    actions: list[tuple[ActionBase, ActorFacts, str]] = [
        (
            HoldInventory(
                shopper_id=SHOPPER, sku=sku, location_id=location, quantity=1, hold_minutes=60
            ),
            AGENT,
            "holds",
        ),
        (
            MerchRuleChange(
                op="boost", scope=Scope(skus=(sku,)), weight=0.2, ends_at=NOW + timedelta(days=3)
            ),
            STAFF,
            "merch_rules",
        ),
        (ChangeListPrice(sku=sku, new_price_cents=price + 100), STAFF, "price_history"),
    ]
    executor = Executor(engine, log)
    for action, actor, table in actions:
        decision = _decide(engine, log, action, actor)
        assert decision.executable, decision.reasons
        before = count(demo_settings, table)
        order = _order(decision.action, decision, f"apply-{table}")  # type: ignore[arg-type]
        assert executor.execute(order, now=NOW).status == "applied"
        assert executor.execute(order, now=NOW).status == "replayed"
        assert count(demo_settings, table) == before + 1
    assert rows(demo_settings, "SELECT list_price_cents FROM products WHERE sku = :s", s=sku) == [
        (price + 100,)
    ]
