"""Search cases from a hand-made catalog and tastes, and the slot and ranking evaluators."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from evals.harness.evaluators import Case, EvaluatorContext
from evals.search_cases import Item, SearchCase, generate_cases, plural_of
from evals.suites.search import Answer, Ranking, SlotScores, extracted_slots
from tools.query import Budget, ShopperIntent

ITEMS = [
    Item("A1", "beauty/skincare/serum", "Glow", 2_000, {"vegan": True, "skin_type": "dry"}),
    Item("A2", "beauty/skincare/serum", "Glow", 4_000, {"vegan": False, "skin_type": "oily"}),
    Item("A3", "beauty/skincare/serum", "Pure", 3_000, {"vegan": True, "skin_type": "dry"}),
    Item("B1", "footwear/casual/sneaker", "Run", 9_000, {"color": "black"}),
    Item("B2", "footwear/casual/sneaker", "Run", 7_000, {"color": "white"}),
    Item("B3", "footwear/casual/sneaker", "Step", 8_000, {"color": "black"}),
]


@dataclass
class Pref:
    key: str
    value: Any


@dataclass
class Taste:
    categories: dict[str, float]
    brands: dict[str, float] = field(default_factory=dict)
    likes: tuple[Pref, ...] = ()


def test_a_case_knows_its_slots_and_relevant_products() -> None:
    case = SearchCase(
        id="q",
        text="",
        category="beauty/skincare/serum",
        attribute=("vegan", True),
        max_cents=2_500,
    )
    assert case.slots() == {
        ("category", "beauty/skincare/serum"),
        ("attribute:vegan", "true"),
        ("budget_max", "2500"),
    }
    assert [i.sku for i in ITEMS if case.matches(i)] == ["A1"]
    not_glow = SearchCase(id="q", text="", category="beauty/skincare/serum", excluded_brand="Glow")
    assert [i.sku for i in ITEMS if not_glow.matches(i)] == ["A3"]


def test_generated_cases_are_answerable_and_reproducible() -> None:
    tastes = {
        "s1": Taste({"beauty": 1.0}, likes=(Pref("vegan", True),)),
        "s2": Taste({"footwear": 1.0}, brands={"Run": 3.0}),
    }
    cases = generate_cases(items=ITEMS, tastes=tastes, count=8, seed=3)
    again = generate_cases(items=ITEMS, tastes=tastes, count=8, seed=3)
    assert [c.text for c in cases] == [c.text for c in again]
    assert len({c.text for c in cases}) == len(cases) >= 3
    for case in cases:
        assert case.relevant == frozenset(i.sku for i in ITEMS if case.matches(i))
        assert case.relevant
        noun = case.category.rsplit("/", 1)[-1]
        assert noun in case.text


def test_plurals() -> None:
    assert plural_of("running shoe") == "running shoes"
    assert plural_of("shorts") == "shorts"
    assert plural_of("watch") == "watches"
    assert plural_of("body") == "bodies"


def _intent(**fields: Any) -> ShopperIntent:
    return ShopperIntent(text="t", normalized_text="t", **fields)


def test_slot_scores_on_a_hand_made_reading() -> None:
    case = SearchCase(
        id="q",
        text="vegan serum under $25",
        category="beauty/skincare/serum",
        attribute=("vegan", True),
        max_cents=2_500,
        relevant=frozenset({"A1"}),
    )
    read = _intent(
        category="beauty/skincare/serum",
        attributes={"vegan": [True]},
        brands=["Glow"],
        budget=Budget(max_cents=2_500),
    )
    slots = extracted_slots(read)
    assert ("brand", "glow") in slots and ("attribute:vegan", "true") in slots
    ctx = EvaluatorContext(Case("q", case.text, case), Answer(slots, ["A1"], ["A2", "A1"]), 1.0)
    scores = SlotScores().evaluate(ctx)
    assert scores["tp"] == 3 and scores["extracted"] == 4 and scores["expected"] == 3
    assert scores["exact"] is False
    assert scores["recall_budget_max"] == 1.0 and scores["recall_attribute"] == 1.0
    ranking = Ranking().evaluate(ctx)
    assert ranking["ndcg"] == 1.0
    assert ranking["ndcg_raw"] == pytest.approx(0.6309, abs=1e-4)
    assert ranking["precision"] == pytest.approx(0.1) and ranking["zero_results"] == 0.0
