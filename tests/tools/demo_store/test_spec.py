from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tools.demo_store import DemoSpec, InvalidSpecError, catalog_version
from tools.demo_store.catalog import chunk_ranges


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"skus": 99}, "skus"),
        ({"shoppers": 9}, "shoppers"),
        ({"seed": -1}, "seed"),
        ({"reference_time": datetime(2026, 1, 1)}, "reference_time"),
    ],
)
def test_out_of_range_inputs_are_refused_with_the_field_named(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidSpecError) as caught:
        DemoSpec(**changes)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert field in str(caught.value)


def test_catalog_version_follows_what_shapes_the_catalog() -> None:
    base = catalog_version(DemoSpec(), taxonomy_version="t1")
    assert base == catalog_version(DemoSpec(shoppers=50), taxonomy_version="t1")
    assert base != catalog_version(DemoSpec(seed=8), taxonomy_version="t1")
    assert base != catalog_version(DemoSpec(skus=6000), taxonomy_version="t1")
    assert base != catalog_version(DemoSpec(), taxonomy_version="t2")
    later = DemoSpec(reference_time=datetime(2027, 1, 1, tzinfo=UTC))
    assert base != catalog_version(later, taxonomy_version="t1")


def test_chunks_cover_the_range_exactly() -> None:
    assert chunk_ranges(12, 5) == [(0, 5), (5, 10), (10, 12)]
    assert chunk_ranges(5, 5) == [(0, 5)]
