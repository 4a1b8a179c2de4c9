"""Association rules on baskets whose answer is worked out by hand or by brute force."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from tools.baskets import association_rules, frequent_itemsets
from tools.exceptions import InputError

TINY = [
    frozenset("abc"),
    frozenset("ab"),
    frozenset("ac"),
    frozenset("bc"),
    frozenset("a"),
]


def test_tiny_baskets_give_the_hand_computed_rules() -> None:
    rules = association_rules(baskets=TINY, min_support=0.4, min_confidence=0.6)
    got = [(r.antecedent, r.consequent, r.count) for r in rules.rules]
    # supp(a)=.8, supp(b)=supp(c)=.6, supp(ab)=supp(ac)=supp(bc)=.4, supp(abc)=.2 (< 0.4).
    assert got == [(("b",), "c", 2), (("c",), "b", 2), (("b",), "a", 2), (("c",), "a", 2)]
    b_to_c, _, b_to_a, _ = rules.rules
    assert b_to_c.support == pytest.approx(0.4)
    assert b_to_c.confidence == pytest.approx(2 / 3)
    assert b_to_c.lift == pytest.approx((2 / 3) / 0.6)
    assert b_to_a.lift == pytest.approx((2 / 3) / 0.8)


def test_thresholds_are_inclusive() -> None:
    rules = association_rules(baskets=TINY, min_support=0.4, min_confidence=0.5)
    pairs = {(r.antecedent, r.consequent) for r in rules.rules}
    assert (("a",), "b") in pairs  # confidence exactly 0.5
    assert len(rules.rules) == 6


def test_longer_rules_and_min_len() -> None:
    rules = association_rules(baskets=TINY, min_support=0.2, min_confidence=0.5, min_len=3)
    assert {(r.antecedent, r.consequent) for r in rules.rules} == {
        (("a", "b"), "c"),
        (("a", "c"), "b"),
        (("b", "c"), "a"),
    }
    assert all(r.count == 1 for r in rules.rules)


def _brute_force(baskets: list[frozenset[str]], min_count: int) -> dict[tuple[str, ...], int]:
    items = sorted(set().union(*baskets))
    out: dict[tuple[str, ...], int] = {}
    for size in range(1, len(items) + 1):
        for combo in combinations(items, size):
            count = sum(1 for b in baskets if b.issuperset(combo))
            if count >= min_count:
                out[combo] = count
    return out


def test_frequent_itemsets_match_brute_force() -> None:
    rng = np.random.default_rng(3)
    items = list("abcdefgh")
    baskets = [
        frozenset(i for i in items if rng.random() < 0.35) or frozenset("a") for _ in range(200)
    ]
    names, counts = frequent_itemsets(baskets=baskets, min_support=0.05)
    named = {tuple(names[i] for i in itemset): n for itemset, n in counts.items()}
    assert named == _brute_force(baskets, min_count=10)


def test_results_are_deterministic_and_round_trip() -> None:
    first = association_rules(baskets=TINY, min_support=0.2, min_confidence=0.3)
    second = association_rules(baskets=list(reversed(TINY)), min_support=0.2, min_confidence=0.3)
    assert first.model_dump_json() == second.model_dump_json()
    assert type(first).model_validate_json(first.model_dump_json()) == first


@pytest.mark.parametrize(
    ("support", "confidence", "field"),
    [(0.0, 0.5, "support"), (1.5, 0.5, "support"), (0.1, -0.1, "confidence")],
)
def test_bad_thresholds_name_the_field(support: float, confidence: float, field: str) -> None:
    with pytest.raises(InputError) as caught:
        association_rules(baskets=TINY, min_support=support, min_confidence=confidence)
    assert caught.value.field == field
