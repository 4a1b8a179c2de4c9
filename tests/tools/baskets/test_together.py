"""Bought-together suggestions from mined rules."""

from __future__ import annotations

import pytest

from tools.baskets import association_rules, bought_together
from tools.exceptions import InputError

BASKETS = [
    frozenset({"pasta", "sauce", "cheese"}),
    frozenset({"pasta", "sauce"}),
    frozenset({"pasta", "sauce", "wine"}),
    frozenset({"pasta", "cheese"}),
    frozenset({"bread", "butter"}),
    frozenset({"bread", "butter", "milk"}),
    frozenset({"milk"}),
    frozenset({"milk", "cheese"}),
]


def test_suggests_consequents_of_rules_the_basket_triggers() -> None:
    rules = association_rules(baskets=BASKETS, min_support=0.2, min_confidence=0.5)
    suggestions = bought_together(rules=rules, items=["pasta"])
    assert [s.item for s in suggestions] == ["sauce", "cheese"]
    assert suggestions[0].because == ("pasta",)
    assert suggestions[0].confidence == pytest.approx(0.75)
    assert suggestions[0].lift == pytest.approx(0.75 / (3 / 8))


def test_never_suggests_what_is_already_in_the_basket() -> None:
    rules = association_rules(baskets=BASKETS, min_support=0.2, min_confidence=0.5)
    items = {s.item for s in bought_together(rules=rules, items=["pasta", "sauce"])}
    assert "pasta" not in items and "sauce" not in items
    assert bought_together(rules=rules, items=["unknown item"]) == []


def test_limit_and_min_lift() -> None:
    rules = association_rules(baskets=BASKETS, min_support=0.2, min_confidence=0.5)
    assert len(bought_together(rules=rules, items=["pasta"], limit=1)) == 1
    assert bought_together(rules=rules, items=["pasta"], min_lift=100.0) == []
    with pytest.raises(InputError):
        bought_together(rules=rules, items=["pasta"], limit=0)
