"""Department blocks: the dense sources' shortlist-then-rescore search over chosen departments."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from tools.recommend import Query, Touch
from tools.recommend.blocks import DepartmentBlocks

ITEMS, DEPARTMENTS, WIDTH, PREFIX = 900, 6, 24, 8


def _blocks(seed: int) -> tuple[DepartmentBlocks, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    # leading components carry most of the variance, as principal components do
    matrix = (rng.standard_normal((ITEMS, WIDTH)) * np.geomspace(1.0, 0.02, WIDTH)).astype(
        np.float32
    )
    department = rng.integers(0, DEPARTMENTS, ITEMS)
    positions = tuple(np.flatnonzero(department == d) for d in range(DEPARTMENTS))
    blocks = DepartmentBlocks(
        positions=positions,
        leading=tuple(np.ascontiguousarray(matrix[p, :PREFIX]) for p in positions),
        full=matrix,
    )
    return blocks, matrix, department


def test_top_equals_an_exact_scan_of_the_chosen_departments() -> None:
    blocks, matrix, department = _blocks(seed=1)
    rng = np.random.default_rng(2)
    for trial in range(20):
        vector = matrix[rng.integers(ITEMS)] + 0.1 * rng.standard_normal(WIDTH).astype(np.float32)
        codes = sorted(rng.choice(DEPARTMENTS, size=2, replace=False).tolist())
        banned = np.sort(rng.choice(ITEMS, size=40, replace=False)).astype(np.int64)
        found, scores = blocks.top(vector, [*codes, codes[0]], k=10, banned=banned)

        allowed = np.flatnonzero(np.isin(department, codes) & ~np.isin(np.arange(ITEMS), banned))
        exact = matrix[allowed] @ vector
        order = np.lexsort((allowed, -exact))[:10]
        assert found.tolist() == allowed[order].tolist(), trial
        np.testing.assert_allclose(scores, exact[order], rtol=1e-5)


def test_top_returns_what_there_is_when_few_are_allowed() -> None:
    blocks, _, _ = _blocks(seed=3)
    smallest = min(range(DEPARTMENTS), key=lambda d: blocks.positions[d].size)
    members = blocks.positions[smallest]
    banned = members[: members.size - 3]
    found, _ = blocks.top(np.ones(WIDTH, dtype=np.float32), [smallest], k=10, banned=banned)
    assert sorted(found.tolist()) == sorted(members[-3:].tolist())
    assert blocks.top(np.ones(WIDTH, dtype=np.float32), [], k=5, banned=banned)[0].size == 0


def test_weighted_touches_are_computed_once_per_numbering() -> None:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    query = Query(touches=(Touch("b", 2.0, at), Touch("a", 1.0, at), Touch("b", 1.0, at)))
    numbering = {"a": 0, "b": 1}
    positions, weights = query.weighted(numbering)
    assert positions.tolist() == [0, 1] and weights.tolist() == [1.0, 3.0]
    assert query.weighted(numbering)[0] is positions
    assert not weights.flags.writeable
    other = query.weighted({"a": 5, "c": 0})
    assert other[0].tolist() == [5] and other[1].tolist() == [1.0]
