"""One card per product: sizes and colours of one product do not crowd a result list."""

from __future__ import annotations

from agents.candidates import Candidate
from agents.intent import few_per_product
from agents.inventory import one_per_product


def _c(sku: str, group: str) -> Candidate:
    return Candidate(sku=sku, title=sku, brand="b", category="c", list_price_cents=100, group=group)


RANKED = [_c("A-9", "A"), _c("A-7", "A"), _c("A-8", "A"), _c("B-1", "B"), _c("X", ""), _c("Y", "")]


def test_the_best_variant_of_each_product_is_shown_in_rank_order() -> None:
    assert [c.sku for c in one_per_product(RANKED)] == ["A-9", "B-1", "X", "Y"]
    # The best in-stock variant stands in when the best one is out.
    assert [c.sku for c in one_per_product(RANKED[1:])] == ["A-7", "B-1", "X", "Y"]


def test_candidates_keep_a_spare_variant_of_each_product() -> None:
    assert [c.sku for c in few_per_product(RANKED)] == ["A-9", "A-7", "B-1", "X", "Y"]
