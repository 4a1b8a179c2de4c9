"""The published apriori reference on the real groceries baskets (Lantz, ch. 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.baskets import association_rules, bought_together, load_baskets


def test_groceries_reproduce_the_published_rules(shared_data: Path) -> None:
    baskets = load_baskets(path=shared_data / "baskets" / "groceries.csv")
    assert len(baskets) == 9835
    rules = association_rules(baskets=baskets, min_support=0.006, min_confidence=0.25)
    assert len(rules.rules) == 463
    top = rules.rules[0]
    assert (top.antecedent, top.consequent) == (("herbs",), "root vegetables")
    assert round(top.support, 4) == 0.0070
    assert round(top.confidence, 3) == 0.431
    assert round(top.lift, 3) == 3.956
    assert bought_together(rules=rules, items=["herbs"], limit=1)[0].item == "root vegetables"
    assert min(r.confidence for r in rules.rules) >= 0.25
    assert all(len(r.antecedent) + 1 >= rules.min_len for r in rules.rules)
    assert rules.rules[1].lift == pytest.approx(3.797, abs=5e-4)
