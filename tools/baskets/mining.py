"""Frequent itemsets and association rules, exact (depth-first over basket bitsets).

The result is the same as apriori's (R arules): a rule X → {y} is kept when the itemset X + {y}
has support ≥ min_support, the rule has confidence ≥ min_confidence, and its length |X| + 1 lies
in [min_len, max_len]. Each item's baskets are held as one Python integer used as a bitset, so a
support count is an AND and a popcount.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from tools.baskets.rules import AssociationRule, RuleSet, rule_sort_key
from tools.exceptions import InputError

_EPS = 1e-12

Itemset = tuple[int, ...]


def _item_bitsets(baskets: Sequence[frozenset[str]]) -> tuple[list[str], list[int]]:
    """Items in sorted order and, per item, the bitset of the baskets that hold it."""
    names = sorted({item for basket in baskets for item in basket})
    position = {name: i for i, name in enumerate(names)}
    bits = [0] * len(names)
    for b, basket in enumerate(baskets):
        flag = 1 << b
        for item in basket:
            bits[position[item]] |= flag
    return names, bits


def _extend(
    prefix: Itemset,
    candidates: list[tuple[int, int, int]],
    *,
    min_count: int,
    max_len: int,
    out: dict[Itemset, int],
) -> None:
    """Record every frequent extension of `prefix` by the (item, bitset, count) candidates."""
    for i, (item, bits, count) in enumerate(candidates):
        itemset = (*prefix, item)
        out[itemset] = count
        if len(itemset) >= max_len:
            continue
        deeper: list[tuple[int, int, int]] = []
        for other, other_bits, _ in candidates[i + 1 :]:
            joint = bits & other_bits
            joint_count = joint.bit_count()
            if joint_count >= min_count:
                deeper.append((other, joint, joint_count))
        if deeper:
            _extend(itemset, deeper, min_count=min_count, max_len=max_len, out=out)


def frequent_itemsets(
    *, baskets: Sequence[frozenset[str]], min_support: float, max_len: int = 10
) -> tuple[list[str], dict[Itemset, int]]:
    """Item names and every itemset (as sorted item positions) with support ≥ min_support."""
    _check_fraction(min_support, field="support", allow_zero=False)
    if not baskets:
        raise InputError("no baskets given", field="baskets")
    names, bits = _item_bitsets(baskets)
    min_count = max(1, math.ceil(min_support * len(baskets) - 1e-9))
    singles = [(i, b, b.bit_count()) for i, b in enumerate(bits)]
    candidates = [c for c in singles if c[2] >= min_count]
    counts: dict[Itemset, int] = {}
    _extend((), candidates, min_count=min_count, max_len=max_len, out=counts)
    return names, counts


def association_rules(
    *,
    baskets: Sequence[frozenset[str]],
    min_support: float,
    min_confidence: float,
    min_len: int = 2,
    max_len: int = 10,
) -> RuleSet:
    """Rules with one-item consequents, as R arules' apriori mines them, strongest lift first."""
    _check_fraction(min_confidence, field="confidence", allow_zero=True)
    if min_len < 2 or max_len < min_len:
        raise InputError("need 2 ≤ min_len ≤ max_len", field="min_len")
    names, counts = frequent_itemsets(baskets=baskets, min_support=min_support, max_len=max_len)
    n = len(baskets)
    rules: list[AssociationRule] = []
    for itemset, count in counts.items():
        if len(itemset) < min_len:
            continue
        for drop in range(len(itemset)):
            antecedent = itemset[:drop] + itemset[drop + 1 :]
            consequent = itemset[drop]
            confidence = count / counts[antecedent]
            if confidence < min_confidence - _EPS:
                continue
            rules.append(
                AssociationRule(
                    antecedent=tuple(names[i] for i in antecedent),
                    consequent=names[consequent],
                    support=count / n,
                    confidence=confidence,
                    lift=confidence / (counts[(consequent,)] / n),
                    count=count,
                )
            )
    rules.sort(key=rule_sort_key)
    return RuleSet(
        n_baskets=n,
        min_support=min_support,
        min_confidence=min_confidence,
        min_len=min_len,
        max_len=max_len,
        rules=tuple(rules),
    )


def _check_fraction(value: float, *, field: str, allow_zero: bool) -> None:
    low_ok = value >= 0 if allow_zero else value > 0
    if not (low_ok and value <= 1) or math.isnan(value):
        bound = "[0, 1]" if allow_zero else "(0, 1]"
        raise InputError(f"must lie in {bound}, got {value}", field=field)
