from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import Engine

from tests.tools.demo_store.conftest import SMALL, BuiltStore, table_rows
from tools.demo_store import read_truth


def test_consent_mix_has_grants_and_opt_outs_on_every_channel(small_engine: Engine) -> None:
    consents = table_rows(small_engine, "consents")
    by_channel = Counter((c["channel"], c["granted"]) for c in consents)
    for channel in ("email", "sms", "push"):
        assert by_channel[(channel, True)] > 0, channel
        assert by_channel[(channel, False)] > 0, channel
    per_shopper: dict[str, list[bool]] = defaultdict(list)
    for c in consents:
        per_shopper[c["shopper_id"]].append(c["granted"])
        assert c["updated_at"] <= SMALL.as_of
        assert c["source"]
    assert any(not any(granted) for granted in per_shopper.values())
    assert {c["source"] for c in consents} >= {"signup", "unsubscribe_link"}


def test_shoppers_match_their_hidden_truth(small_engine: Engine, small_store: BuiltStore) -> None:
    shoppers = table_rows(small_engine, "shoppers")
    truth = read_truth(small_store.truth_path)
    assert len(shoppers) == SMALL.shoppers == len(truth.tastes)
    for shopper in shoppers:
        taste = truth.tastes[shopper["id"]]
        assert shopper["timezone"] == taste.timezone
        assert shopper["profile"]["home_location"] == taste.home_location
    assert len({s["loyalty_tier"] for s in shoppers}) >= 3
    assert any(s["preferences"] for s in shoppers)
    assert any(not s["preferences"] for s in shoppers)


def test_histories_are_complete_and_consistent(small_engine: Engine) -> None:
    events = table_rows(small_engine, "events")
    assert {e["kind"] for e in events} == {
        "view", "search", "cart_add", "cart_remove", "purchase", "return",
    }  # fmt: skip
    assert all(e["occurred_at"] < SMALL.as_of for e in events)
    assert all(e["query"] for e in events if e["kind"] == "search")
    sessions: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for e in events:
        sessions[e["session_id"]].add((e["channel"], e["device"]))
    assert all(len(ways) == 1 for ways in sessions.values())
    purchases = Counter(e["sku"] for e in events if e["kind"] == "purchase")
    lines = table_rows(small_engine, "order_lines")
    assert sum(purchases.values()) == len(lines)
    totals: Counter[str] = Counter()
    for line in lines:
        totals[line["order_id"]] += line["quantity"] * line["unit_price_cents"]
    for order in table_rows(small_engine, "orders"):
        assert order["total_cents"] == totals[order["id"]]
        assert order["details"]["fulfilment"] in {"ship", "pickup", "in_store"}
