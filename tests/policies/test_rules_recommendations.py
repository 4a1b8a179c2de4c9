"""Recommendation rules: stock, age-restricted and regulated items, sponsored labels, brands."""

from __future__ import annotations

from typing import Any

import pytest

from policies.actions import RecommendedItem, ShowRecommendations
from policies.context import PolicyContext, ProductFacts
from tests.policies.builders import codes, context, decide, product, shopper


def recs(*skus: str, sponsored: tuple[str, ...] = (), **changes: Any) -> ShowRecommendations:
    items = tuple(RecommendedItem(sku=s, sponsored=s in sponsored) for s in skus)
    return ShowRecommendations(shopper_id="s1", items=items, **changes)


def shown(action: ShowRecommendations, *products: ProductFacts, **ctx: Any) -> list[str]:
    decision = decide(action, context(*products, **ctx))
    assert isinstance(decision.action, ShowRecommendations)
    return [i.sku for i in decision.action.items]


def test_baseline() -> None:
    decision = decide(recs("p1", "p2"), context(product("p1"), product("p2")))
    assert decision.effect.value == "approve"
    assert codes(decision) == {"RECOMMENDATIONS_ALLOWED"}


def test_out_of_stock_is_suppressed() -> None:
    action = recs("p1", "p2")
    assert shown(action, product("p1", available_units=0), product("p2")) == ["p2"]
    decision = decide(action, context(product("p1", available_units=0), product("p2")))
    assert codes(decision) == {"OUT_OF_STOCK_SUPPRESSED", "RECOMMENDATIONS_ALLOWED"}


@pytest.mark.parametrize(
    ("ctx_shopper", "shopper_id", "expected"),
    [
        (shopper(age_verified=False), "s1", ["p2"]),
        (shopper(age_verified=True), "s1", ["p1", "p2"]),
        (None, None, ["p2"]),
    ],
)
def test_age_restricted_only_for_verified_shoppers(
    ctx_shopper: object, shopper_id: str | None, expected: list[str]
) -> None:
    action = ShowRecommendations(
        shopper_id=shopper_id, items=(RecommendedItem(sku="p1"), RecommendedItem(sku="p2"))
    )
    products = (product("p1", age_restricted=True), product("p2"))
    assert shown(action, *products, shopper=ctx_shopper) == expected


@pytest.mark.parametrize(("surface", "expected"), [("home", ["p2"]), ("search", ["p1", "p2"])])
def test_regulated_only_on_allowed_surfaces(surface: str, expected: list[str]) -> None:
    products = (product("p1", regulated=True), product("p2"))
    assert shown(recs("p1", "p2", surface=surface), *products) == expected


def test_sponsored_items_are_labelled() -> None:
    decision = decide(recs("p1", "p2", sponsored=("p2",)), context(product("p1"), product("p2")))
    assert decision.effect.value == "modify"
    assert codes(decision) == {"SPONSORED_LABEL_ADDED", "RECOMMENDATIONS_ALLOWED"}
    assert isinstance(decision.action, ShowRecommendations)
    assert [i.label for i in decision.action.items] == ["", "Sponsored"]


def test_labelled_sponsored_items_pass() -> None:
    items = (RecommendedItem(sku="p1", sponsored=True, label="Sponsored"),)
    decision = decide(ShowRecommendations(shopper_id="s1", items=items), context())
    assert decision.effect.value == "approve"


def test_brand_cap_keeps_the_highest_ranked() -> None:
    products = [product(f"p{i}", brand="acme" if i < 5 else "other") for i in range(6)]
    action = recs(*(p.sku for p in products))
    assert shown(action, *products) == ["p0", "p1", "p2", "p5"]


def test_unknown_product_is_denied() -> None:
    decision = decide(recs("p1", "ghost"), context())
    assert decision.effect.value == "deny"
    assert codes(decision) == {"UNKNOWN_PRODUCT"}


def test_repairs_compose() -> None:
    products = [
        product("a", available_units=0),
        product("b", age_restricted=True),
        product("c", regulated=True),
        product("d"),
    ]
    action = recs("a", "b", "c", "d", sponsored=("d",), surface="home")
    ctx: PolicyContext = context(*products, shopper=shopper(age_verified=False))
    decision = decide(action, ctx)
    assert decision.effect.value == "modify"
    assert isinstance(decision.action, ShowRecommendations)
    assert [(i.sku, i.label) for i in decision.action.items] == [("d", "Sponsored")]
