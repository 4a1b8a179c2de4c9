"""The ranker's terms, each on items alike in everything else, and its hard rules."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pytest

from tools.inventory import StockLevel
from tools.profiles import (
    Affinity,
    AttributeAffinity,
    AttributeValue,
    Habits,
    ItemInfo,
    PriceSensitivity,
    SessionSignals,
    ShopperProfile,
    StatedPreferences,
    category_prices,
)
from tools.recommend import (
    Catalog,
    MerchRules,
    RankedItem,
    RankerConfig,
    ReasonCode,
    Scored,
    StockLevels,
    catalog_of,
    merch_rules_of,
)
from tools.recommend.candidates import Candidates
from tools.recommend.engine import price_positions
from tools.recommend.ranker import Ranker, RankRequest
from tools.recommend.stats import ItemStats
from tools.store import MerchRule

TODAY = date(2026, 11, 1)
NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)
CREAM = "beauty/skincare/cream"


def _item(sku: str, brand: str, price: int, **extra: Any) -> ItemInfo:
    fields: dict[str, Any] = {
        "title": f"{brand} cream {sku}",
        "category": CREAM,
        "variant_group": f"G-{sku}",
        "unit_cost_cents": price // 2,
        "launch_date": date(2025, 1, 1),
        "attributes": {"size": "S"},
        **extra,
    }
    return ItemInfo(sku=sku, brand=brand, price_cents=price, **fields)


def _catalog() -> Catalog:
    items = [_item(f"F{i}", f"Filler{i}", 1500 + 300 * i) for i in range(10)]
    items += [
        _item("A", "Acme", 2500),
        _item("B", "Bolt", 2500),
        _item("CHEAP", "Cove", 1200),
        _item("DEAR", "Cove", 6000),
        _item("NOCOST", "Dune", 2500, unit_cost_cents=None),
        _item("RICH", "Dune", 2500, unit_cost_cents=500),
        _item("M1", "Mode", 2500, attributes={"size": "M"}, variant_group="GM"),
        _item("M2", "Mode", 2500, attributes={"size": "L"}, variant_group="GM"),
        _item("M3", "Mode", 2500, attributes={"size": "XL"}, variant_group="GM"),
        _item("NEW", "Acme", 2500, launch_date=date(2026, 10, 25)),
        _item("OLD", "Acme", 2500, launch_date=date(2024, 10, 25)),
        _item("HOME", "Nest", 2500, category="home/decor/vase"),
    ]
    return catalog_of(items)


CATALOG = _catalog()


def _ranker(
    config: RankerConfig = RankerConfig(), conversion: dict[str, float] | None = None
) -> Ranker:
    base = 0.1
    rates = np.full(len(CATALOG), base)
    for sku, rate in (conversion or {}).items():
        rates[CATALOG.positions[sku]] = rate
    stats = ItemStats(
        skus=CATALOG.skus,
        conversion=rates,
        base_conversion=base,
        repurchase={},
        base_repurchase=0.0,
    )
    prices = category_prices((i.category, i.price_cents) for i in CATALOG.items)
    return Ranker(
        catalog=CATALOG, stats=stats, price_position=price_positions(CATALOG, prices), config=config
    )


def _profile(**changes: Any) -> ShopperProfile:
    fields: dict[str, Any] = {
        "shopper_id": "ann",
        "known": True,
        "cold_start": False,
        "events": 20,
        "purchases": 2,
        "price": PriceSensitivity(
            estimate=0.5, typical_price_ratio=1.0, observations=0, source="default"
        ),
        "habits": Habits(),
        "stated": StatedPreferences(),
        "session": SessionSignals(),
        **changes,
    }
    return ShopperProfile(**fields)


def _candidates(*skus: str, because: dict[str, str] | None = None) -> Candidates:
    found = Candidates(catalog=CATALOG)
    found.add("cooccurrence", [Scored(sku, 1.0) for sku in skus])
    found.explainers["cooccurrence"] = lambda asked: {
        s: c for s, c in (because or {}).items() if s in asked
    }
    return found


def _rank(
    *skus: str,
    ranker: Ranker | None = None,
    profile: ShopperProfile | None = None,
    k: int = 10,
    **request: Any,
) -> list[RankedItem]:
    return (ranker or _ranker()).rank(
        RankRequest(
            profile=profile or _profile(),
            candidates=request.pop("candidates", None) or _candidates(*skus),
            today=TODAY,
            k=k,
            **request,
        )
    )


def _order(items: list[RankedItem]) -> list[str]:
    return [i.sku for i in items]


def _rule(
    rule_id: str, kind: str, scope: dict[str, Any], weight: float = 0.0, **kw: Any
) -> MerchRule:
    return MerchRule(id=rule_id, kind=kind, scope=scope, weight=weight, created_by="merch", **kw)


def _merch(*rules: MerchRule) -> MerchRules:
    return merch_rules_of(list(rules), now=NOW)


def test_equal_items_tie_by_sku_and_each_carries_its_terms() -> None:
    items = _rank("B", "A")
    assert _order(items) == ["A", "B"] and [i.rank for i in items] == [1, 2]
    assert items[0].terms["source:cooccurrence"] == pytest.approx(0.65)
    assert items[0].score == pytest.approx(sum(items[0].terms.values()), abs=1e-5)


def test_a_liked_brand_moves_its_item_up() -> None:
    liked = [Affinity(value="Bolt", score=0.6, items=3, purchases=1)]
    items = _rank("A", "B", profile=_profile(brands=liked))
    assert _order(items) == ["B", "A"] and items[0].terms["brand"] > 0
    assert ReasonCode.BRAND_YOU_LIKE in {r.code for r in items[0].reasons}


def test_a_liked_size_picks_the_variant() -> None:
    size = [AttributeAffinity(key="size", value="L", score=1.0, lift=5.0, items=3)]
    items = _rank("M1", "M2", "M3", profile=_profile(attributes=size), k=1)
    assert _order(items) == ["M2"] and items[0].terms["attributes"] > 0
    assert "size L" in " ".join(r.text for r in items[0].reasons)


def test_price_sensitive_shoppers_get_cheaper_items_first() -> None:
    def price(estimate: float) -> PriceSensitivity:
        return PriceSensitivity(
            estimate=estimate, typical_price_ratio=None, observations=8, source="history"
        )

    assert _order(_rank("CHEAP", "DEAR", profile=_profile(price=price(0.9)))) == ["CHEAP", "DEAR"]
    assert _order(_rank("CHEAP", "DEAR", profile=_profile(price=price(0.1)))) == ["DEAR", "CHEAP"]
    neutral = _rank("CHEAP", "DEAR")  # no estimate: price does not move anything
    assert all("price_fit" not in i.terms for i in neutral)


def test_purchase_propensity_moves_converting_items_up() -> None:
    items = _rank("A", "B", ranker=_ranker(conversion={"B": 0.4}))
    assert _order(items) == ["B", "A"] and items[0].terms["propensity"] > 0


def test_margin_counts_and_an_unknown_cost_is_neutral() -> None:
    items = _rank("NOCOST", "RICH")
    assert _order(items) == ["RICH", "NOCOST"]
    assert items[0].terms["margin"] > 0 and "margin" not in items[1].terms


def test_stock_out_never_low_flagged_overstock_nudged() -> None:
    stock = StockLevels(
        levels={"A": StockLevel.OUT, "B": StockLevel.LOW, "RICH": StockLevel.OVERSTOCK}
    )
    items = _rank("A", "B", "RICH", "NOCOST", stock=stock)
    assert "A" not in _order(items)
    by_sku = {i.sku: i for i in items}
    assert by_sku["B"].low_stock and not by_sku["RICH"].low_stock
    assert by_sku["RICH"].terms["stock"] > 0


def test_a_sold_out_item_is_dropped_by_the_live_check() -> None:
    items = _rank("A", "B", "RICH", k=2, live=lambda skus: [s for s in skus if s != "A"])
    assert _order(items) == ["RICH", "B"] and [i.rank for i in items] == [1, 2]


def test_boost_and_bury_move_items_and_say_so() -> None:
    boosted = _rank("A", "B", merch=_merch(_rule("r1", "boost", {"skus": ["B"]}, 0.2)))
    assert _order(boosted) == ["B", "A"]
    assert ReasonCode.PROMOTED in {r.code for r in boosted[0].reasons}
    buried = _rank("A", "B", merch=_merch(_rule("r2", "bury", {"brand": "Acme"}, 0.2)))
    assert _order(buried) == ["B", "A"]


def test_pins_come_first_even_when_not_proposed() -> None:
    rules = _merch(_rule("p1", "pin", {"skus": ["HOME"]}, 0.5), _rule("p2", "pin", {"skus": ["B"]}))
    items = _rank("A", "B", "RICH", merch=rules)
    assert _order(items)[:2] == ["HOME", "B"] and items[0].pinned and items[1].pinned
    assert items[0].reasons[0].code is ReasonCode.PINNED
    assert not items[2].pinned


def test_excluded_items_are_absent() -> None:
    rules = _merch(_rule("x1", "exclude", {"category": "beauty/skincare"}))
    assert _order(_rank("A", "B", "HOME", merch=rules)) == ["HOME"]


def test_rules_out_of_force_or_for_another_query_do_nothing() -> None:
    ended = _rule("x", "exclude", {"skus": ["A"]}, ends_at=datetime(2026, 10, 1, tzinfo=UTC))
    later = _rule("y", "exclude", {"skus": ["A"]}, starts_at=datetime(2026, 12, 1, tzinfo=UTC))
    off = _rule("z", "exclude", {"skus": ["A"]}, active=False)
    queried = _rule("q", "exclude", {"skus": ["A"], "query": "gift"})
    assert _order(_rank("A", "B", merch=_merch(ended, later, off, queried))) == ["A", "B"]
    assert _order(_rank("A", "B", merch=_merch(queried), query_text="Gift")) == ["B"]


def test_stated_avoid_removes_items() -> None:
    avoid = StatedPreferences(avoid=(AttributeValue(key="size", value="XL"),))
    profile = _profile(
        stated=avoid, avoid=[AttributeAffinity(key="size", value="XL", score=0, lift=0, items=0)]
    )
    assert "M3" not in _order(_rank("M1", "M2", "M3", profile=profile))


def test_diversity_caps_brands_and_variants() -> None:
    config = RankerConfig(max_per_brand=1, max_per_product=1)
    items = _rank("M1", "M2", "M3", "A", "NEW", ranker=_ranker(config))
    # one Mode variant only; Acme again only once nothing else is left
    assert _order(items) == ["A", "M1", "NEW"]
    two = _rank("M1", "M2", "M3", ranker=_ranker(RankerConfig(max_per_product=2)))
    assert _order(two) == ["M1", "M2"]


def test_new_from_a_liked_brand_only_for_new_items_of_liked_brands() -> None:
    liked = _profile(brands=[Affinity(value="Acme", score=0.5, items=2, purchases=1)])
    items = {i.sku: i for i in _rank("NEW", "OLD", "B", profile=liked)}
    assert ReasonCode.NEW_FROM_BRAND in {r.code for r in items["NEW"].reasons}
    assert ReasonCode.NEW_FROM_BRAND not in {r.code for r in items["OLD"].reasons}
    unliked = {i.sku: i for i in _rank("NEW", "OLD")}
    assert all(r.code is not ReasonCode.NEW_FROM_BRAND for r in unliked["NEW"].reasons)


def test_because_you_bought_names_a_purchase_and_viewed_otherwise() -> None:
    candidates = _candidates("A", "B", because={"A": "F1", "B": "F2"})
    items = {i.sku: i for i in _rank(candidates=candidates, profile=_profile(bought=["F1"]))}
    assert items["A"].reasons[0].code is ReasonCode.BECAUSE_YOU_BOUGHT
    assert items["A"].reasons[0].sku == "F1" and "Filler1" in items["A"].reasons[0].text
    assert items["B"].reasons[0].code is ReasonCode.BECAUSE_YOU_VIEWED


def test_same_inputs_give_byte_identical_output() -> None:
    def run() -> str:
        items = _rank("A", "B", "RICH", "NOCOST", "M1", "M2", "NEW", ranker=_ranker())
        return json.dumps([i.model_dump(mode="json") for i in items], sort_keys=True)

    assert run() == run()
