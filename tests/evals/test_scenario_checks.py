"""The scenario dataset files load, and the outcome checks judge hand-made products right."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.scenarios import CHECKS, INVARIANTS, load_dataset
from evals.scenarios.outcomes import has_value, under
from evals.suites.concierge import DATASETS, datasets


def test_every_dataset_loads_with_known_checks() -> None:
    groups = datasets()
    assert set(groups) == {"demo", "taubench"}
    names = [s["name"] for scenarios in groups.values() for s in scenarios]
    assert len(names) == len(set(names)) >= 12
    assert set(INVARIANTS) == {"grounded", "in_stock", "offers_within_policy"}
    for path in sorted(DATASETS.glob("*.yaml")):
        for scenario in load_dataset(path):
            assert scenario["turns"]


def test_an_unknown_check_is_refused_when_the_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("turns:\n  - say: shorts\n    expect: {shown_colour: red}\n")
    with pytest.raises(ValueError, match="shown_colour"):
        load_dataset(path)
    assert "shown_category" in CHECKS


def test_outcome_helpers() -> None:
    assert under("apparel/bottoms/shorts", "apparel/bottoms")
    assert under("apparel", "apparel")
    assert not under("apparel-kids/shorts", "apparel")
    assert has_value(True, True) and not has_value(False, True)
    assert has_value(["retinol", "aloe"], "Aloe")
    assert has_value("Black", "black") and not has_value(None, "black")
