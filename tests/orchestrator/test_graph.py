"""The graph end to end: its shape, what a turn streams, grounded replies, thread memory."""

from __future__ import annotations

import re

import anyio
import pytest

from agents import intent as intent_agent
from agents.tool_client import AgentSpec
from config import Settings
from orchestrator.graph import build_graph
from orchestrator.runtime import Concierge, TurnOutcome
from orchestrator.state import TurnState
from policies.actions import QuoteOffer
from tests.orchestrator.demo import NOW, SHOPPER, converse, rows, with_concierge

MONEY = re.compile(r"\$(\d[\d,]*\.\d{2})")


def test_the_graph_has_the_designed_steps_and_no_step_writes_but_execute() -> None:
    graph = build_graph().compile()
    nodes = set(graph.get_graph().nodes) - {"__start__", "__end__"}
    assert nodes == {
        "supervisor",
        "intent",
        "preference",
        "inventory",
        "pricing",
        "messaging",
        "merch_plan",
        "policy_check",
        "escalate",
        "execute",
        "respond",
    }
    edges = {(e.source, e.target) for e in graph.get_graph().edges}
    assert ("policy_check", "execute") in edges and ("escalate", "execute") in edges
    assert ("execute", "respond") in edges
    assert not any(
        target == "execute" and source not in {"policy_check", "escalate"}
        for source, target in edges
    )


def _approved(state: TurnState) -> tuple[set[str], set[int]]:
    skus: set[str] = set()
    prices: set[int] = set()
    for j in state.get("judgements", []):
        action = j.decision.action
        if not j.decision.executable or action is None:
            continue
        payload = action.payload()
        skus.update(item["sku"] for item in payload.get("items", []))
        if "sku" in payload:
            skus.add(payload["sku"])
        if "price_cents" in payload:
            prices.add(payload["price_cents"])
    return skus, prices


def _assert_grounded(settings: Settings, outcome: TurnOutcome, state: TurnState) -> None:
    assert outcome.reply is not None
    text = outcome.reply.text
    skus, prices = _approved(state)
    listed = dict(rows(settings, "SELECT sku, list_price_cents FROM products"))
    titles = dict(rows(settings, "SELECT sku, title FROM products"))
    prices |= {listed[s] for s in skus}
    for amount in MONEY.findall(text):
        assert round(float(amount.replace(",", "")) * 100) in prices, amount
    mentioned = {sku for sku, title in titles.items() if title in text}
    assert mentioned <= skus, mentioned - skus
    # The cards a page draws carry only approved products, prices and offers too.
    for card in outcome.reply.products:
        assert card.sku in skus and card.price_cents in prices and card.title == titles[card.sku]
    for offer in outcome.reply.offers:
        assert offer.sku in skus and offer.price_cents in prices


def test_a_search_turn_streams_its_steps_and_replies_only_with_approved_products(
    demo_settings: Settings,
) -> None:
    async def work(concierge: Concierge) -> tuple[TurnOutcome, TurnState]:
        outcome = await concierge.turn(
            "running shoes", thread_id="search", shopper_id=SHOPPER, now=NOW
        )
        return outcome, await concierge.thread("search")

    outcome, state = with_concierge(demo_settings, work)
    kinds = [e.type for e in outcome.events]
    assert kinds[0] == "node_started" and kinds[-1] == "turn_finished"
    started = [e.node for e in outcome.events if e.type == "node_started"]
    finished = [e.node for e in outcome.events if e.type == "node_finished"]
    assert (
        started
        == finished
        == ["supervisor", "intent", "preference", "inventory", "policy_check", "execute", "respond"]
    )
    order = [k for k in kinds if k in {"proposal", "decision", "execution", "reply_chunk"}]
    assert order.index("proposal") < order.index("decision") < order.index("execution")
    assert order.index("execution") < order.index("reply_chunk")
    chunks = "".join(e.text for e in outcome.events if e.type == "reply_chunk")
    assert outcome.reply is not None and chunks == outcome.reply.text
    assert outcome.reply.kind == "results" and outcome.reply.skus
    cards = outcome.reply.products
    assert tuple(c.sku for c in cards) == outcome.reply.skus
    assert all(c.available is not None and c.available > 0 for c in cards)
    _assert_grounded(demo_settings, outcome, state)


def test_an_offer_turn_quotes_the_product_pointed_at_and_says_only_the_approved_price(
    demo_settings: Settings,
) -> None:
    async def work(concierge: Concierge) -> tuple[TurnOutcome, TurnState]:
        await concierge.turn("sneakers", thread_id="deal", shopper_id=SHOPPER, now=NOW)
        outcome = await concierge.turn(
            "any deal on the second one?", thread_id="deal", shopper_id=SHOPPER, now=NOW
        )
        return outcome, await concierge.thread("deal")

    outcome, state = with_concierge(demo_settings, work)
    assert state["plan"].steps == ("pricing",)
    (judgement,) = state["judgements"]
    assert judgement.proposal.action.sku == state["shown"][1].sku
    assert outcome.reply is not None and outcome.reply.kind == "offer"
    offers = rows(
        demo_settings, "SELECT sku, decision_id FROM offers WHERE shopper_id = :s", s=SHOPPER
    )
    assert (judgement.proposal.action.sku, judgement.decision.decision_id) in offers
    (card,) = outcome.reply.offers
    final = judgement.decision.action
    assert isinstance(final, QuoteOffer)
    assert (card.sku, card.price_cents) == (final.sku, final.price_cents)
    assert card.expires_at is not None and card.expires_at > NOW
    _assert_grounded(demo_settings, outcome, state)


def test_thread_memory_survives_a_restart(demo_settings: Settings) -> None:
    (first,) = converse(demo_settings, ["running shoes"], thread_id="memory")
    assert first.reply is not None and first.reply.skus
    shown = [
        p
        for s, p in rows(demo_settings, "SELECT sku, list_price_cents FROM products")
        if s in first.reply.skus
    ]

    async def work(concierge: Concierge) -> TurnState:
        await concierge.turn("cheaper", thread_id="memory", shopper_id=SHOPPER, now=NOW)
        return await concierge.thread("memory")

    state = with_concierge(demo_settings, work)
    assert state["turn"] == 2
    intent = state["intent"]
    assert intent is not None and intent.category == "footwear/athletic/running-shoe"
    assert intent.budget is not None and intent.budget.max_cents is not None
    assert intent.budget.max_cents < max(shown)


def test_a_vague_request_gets_one_question_and_nothing_is_proposed(demo_settings: Settings) -> None:
    (outcome,) = converse(demo_settings, ["a gift for my sister"], thread_id="vague")
    assert outcome.reply is not None and outcome.reply.kind == "question"
    assert "sister" in outcome.reply.text
    assert not [e for e in outcome.events if e.type == "proposal"]


def test_concurrent_threads_do_not_mix(demo_settings: Settings) -> None:
    async def work(concierge: Concierge) -> list[TurnState]:
        async def one(thread: str, text: str) -> None:
            await concierge.turn(text, thread_id=thread, shopper_id=SHOPPER, now=NOW)

        async with anyio.create_task_group() as group:
            group.start_soon(one, "a", "running shoes")
            group.start_soon(one, "b", "sneakers")
        return [await concierge.thread("a"), await concierge.thread("b")]

    a, b = with_concierge(demo_settings, work)
    assert a["intent"] is not None and a["intent"].category == "footwear/athletic/running-shoe"
    assert b["intent"] is not None and b["intent"].category == "footwear/casual/sneaker"


def test_a_running_concierge_prunes_old_checkpoints(demo_settings: Settings) -> None:
    retention = demo_settings.checkpoints.model_copy(
        update={"keep_per_thread": 1, "prune_every_turns": 1}
    )
    settings = demo_settings.model_copy(update={"checkpoints": retention})

    async def work(concierge: Concierge) -> tuple[int, TurnState]:
        for line in ("sneakers", "any deal on the first one?"):
            await concierge.turn(line, thread_id="pruned", shopper_id=SHOPPER, now=NOW)
        kept = [c async for c in concierge.saver.alist({"configurable": {"thread_id": "pruned"}})]
        return len(kept), await concierge.thread("pruned")

    kept, state = with_concierge(settings, work)
    assert kept == 1 and state["turn"] == 2 and state["shown"]


def test_a_refused_tool_call_fails_only_that_agent_and_is_kept_in_the_store(
    demo_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An intent agent whose allow-list lost the search tool: the call is refused, never made.
    crippled = AgentSpec(name="intent", tools=frozenset({"catalog.other"}), budget=1)
    monkeypatch.setattr(intent_agent, "SPEC", crippled)
    (outcome,) = converse(demo_settings, ["running shoes"], thread_id="refused")
    assert outcome.reply is not None and not outcome.reply.skus
    assert not [e for e in outcome.events if e.type == "proposal"]
    kept = rows(
        demo_settings, "SELECT agent, tool, code FROM tool_refusals WHERE thread_id = 'refused'"
    )
    assert kept == [("intent", "catalog.search_products", "NOT_ALLOWED")]
