from __future__ import annotations

import pytest

from agents.merchandising import (
    MerchReport,
    PromotionRow,
    ReportSpec,
    RuleRow,
    StockRow,
    TaskNotUnderstoodError,
    answer_report,
    run_report,
)
from tests.agents.merchandising.conftest import Store
from tests.agents.merchandising.seed import NOW


def _ask(shop: Store, text: str, limit: int = 50) -> MerchReport:
    return answer_report(text, engine=shop.engine, now=NOW, vocabulary=shop.vocabulary, limit=limit)


def _skus(report: MerchReport) -> list[str]:
    return [row.sku for row in report.rows if isinstance(row, StockRow)]


def test_recommended_products_about_to_run_out(shop: Store) -> None:
    report = _ask(shop, "which recommended products are about to run out?")
    # MO-9 is low too, but last in its category's ranking: not recommended.
    assert _skus(report) == ["HL-1", "MO-2"]
    first = report.rows[0]
    assert isinstance(first, StockRow)
    assert (first.available, first.days_of_cover, first.category_rank) == (2, 8.0, 1)
    assert report.summary.startswith("2 recommended products are about to run out: HL-1")
    assert "recommended" in report.definition


def test_every_product_about_to_run_out(shop: Store) -> None:
    report = _ask(shop, "which products are running low?")
    assert _skus(report) == ["HL-1", "MO-2", "MO-9"]  # most urgent first, no sales last


def test_overstock_in_a_category(shop: Store) -> None:
    report = _ask(shop, "what's overstocked in outdoor?")
    assert report.question.scope.categories == ("outdoor",)
    assert _skus(report) == ["RJ-1", "RJ-2", "RJ-3", "RJ-4"]
    assert all(isinstance(r, StockRow) and r.level == "overstock" for r in report.rows)
    assert report.summary.startswith("4 products in outdoor are overstocked")
    assert report.summary.endswith("and 1 more.")


def test_out_of_stock(shop: Store) -> None:
    report = _ask(shop, "what is out of stock?")
    assert _skus(report) == ["HL-2"]
    assert report.summary == "1 product is out of stock: HL-2 Ridge Bright Headlamp."


def test_active_promotions(shop: Store) -> None:
    report = _ask(shop, "which promotions are active?")
    (row,) = report.rows
    assert isinstance(row, PromotionRow)
    assert (row.id, row.scope, row.loyalty_tiers) == (
        "P-ACTIVE",
        "category beauty/skincare",
        ["gold"],
    )
    assert "Skincare week" in report.summary and "PDT" in report.summary
    none = _ask(shop, "which promotions are active in outdoor?")
    assert none.rows == [] and none.summary == "No promotions in outdoor are active."


def test_active_rules(shop: Store) -> None:
    report = _ask(shop, "which merchandising rules are active?")
    (row,) = report.rows
    assert isinstance(row, RuleRow)
    assert (row.id, row.kind, row.weight, row.ends_at) == ("R-ACTIVE", "boost", 0.4, None)


def test_rows_are_cut_to_the_limit(shop: Store) -> None:
    report = _ask(shop, "what's overstocked?", limit=2)
    # RJ-1..4 (no sales), the ten basic moisturizers and the wine (months of cover)
    assert (report.total, len(report.rows), report.truncated) == (15, 2, True)


def test_a_spec_runs_without_text(shop: Store) -> None:
    report = run_report(ReportSpec(kind="out_of_stock"), engine=shop.engine, now=NOW)
    assert _skus(report) == ["HL-2"]


def test_a_change_is_not_a_report(shop: Store) -> None:
    with pytest.raises(TaskNotUnderstoodError):
        _ask(shop, "boost moisturizers")


def test_the_vocabulary_is_read_from_the_store_when_not_given(shop: Store) -> None:
    report = answer_report("what's overstocked in outdoor?", engine=shop.engine, now=NOW)
    assert _skus(report) == ["RJ-1", "RJ-2", "RJ-3", "RJ-4"]
