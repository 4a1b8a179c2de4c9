"""Frequently bought together: pair rules {a} -> {b} mined from the orders in the training data.

The rules are exactly those `tools.baskets.association_rules` finds with `max_len=2` (same
support, confidence and lift), counted with one sparse product instead of bitsets, so a
catalog of 100k items and hundreds of thousands of orders mine in seconds.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import scipy.sparse as sp

from tools.baskets import AssociationRule, RuleSet
from tools.baskets.rules import rule_sort_key
from tools.recommend.data import TrainingData
from tools.store.vocab import EventKind


def order_baskets(data: TrainingData) -> list[frozenset[str]]:
    """The distinct items bought in each session (an order), in session order."""
    baskets: dict[str, set[str]] = defaultdict(set)
    for event in data.events:
        if event.kind == EventKind.PURCHASE.value and event.sku is not None:
            baskets[event.session_id].add(event.sku)
    return [frozenset(baskets[s]) for s in sorted(baskets)]


def pair_rules(
    baskets: list[frozenset[str]], *, min_support: float, min_confidence: float
) -> RuleSet:
    """Every rule {a} -> {b} with support >= min_support and confidence >= min_confidence."""
    n = len(baskets)
    names = sorted({item for basket in baskets for item in basket})
    where = {name: i for i, name in enumerate(names)}
    rows = [b for b, basket in enumerate(baskets) for _ in basket]
    cols = [where[item] for basket in baskets for item in sorted(basket)]
    matrix = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(names)))
    singles = np.asarray(matrix.sum(axis=0)).ravel()
    min_count = max(1, math.ceil(min_support * n - 1e-9))
    pairs = sp.triu(sp.csr_matrix(matrix.T @ matrix), k=1).tocoo()
    rules: list[AssociationRule] = []
    for a, b, count in zip(pairs.row, pairs.col, pairs.data, strict=True):
        if count < min_count:
            continue
        for first, then in ((a, b), (b, a)):
            confidence = count / singles[first]
            if confidence >= min_confidence - 1e-12:
                rules.append(
                    AssociationRule(
                        antecedent=(names[first],),
                        consequent=names[then],
                        support=float(count / n),
                        confidence=float(confidence),
                        lift=float(confidence / (singles[then] / n)),
                        count=int(count),
                    )
                )
    rules.sort(key=rule_sort_key)
    return RuleSet(
        n_baskets=n,
        min_support=min_support,
        min_confidence=min_confidence,
        min_len=2,
        max_len=2,
        rules=tuple(rules),
    )


def basket_rules(
    data: TrainingData, *, min_count: int = 2, min_confidence: float = 0.05
) -> RuleSet | None:
    """Pair rules over the training orders (None when there are no orders)."""
    baskets = order_baskets(data)
    if not baskets:
        return None
    return pair_rules(baskets, min_support=min_count / len(baskets), min_confidence=min_confidence)
