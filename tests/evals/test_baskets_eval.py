"""The baskets eval on the real groceries file and on a tiny file."""

from __future__ import annotations

from pathlib import Path

from evals.baskets import run_baskets_eval


def test_groceries_reference(shared_data: Path) -> None:
    result = run_baskets_eval(
        path=shared_data / "baskets" / "groceries.csv", min_support=0.006, min_confidence=0.25
    )
    assert (result.n_baskets, result.n_items, result.n_rules) == (9835, 169, 463)
    top = result.top_rules[0]
    assert (top.antecedent, top.consequent) == (("herbs",), "root vegetables")
    assert (round(top.support, 4), round(top.confidence, 3), round(top.lift, 3)) == (
        0.0070,
        0.431,
        3.956,
    )
    assert len(result.top_rules) == 10


def test_top_limits_the_rules_listed(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("a,b\na,b\na,c\nb,c\n")
    result = run_baskets_eval(path=path, min_support=0.25, min_confidence=0.1, top=2)
    assert result.n_rules == 6 and len(result.top_rules) == 2
