"""The offers eval on a small demo store: the engine beats both baselines, reproducibly."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from evals.offers import ALWAYS_10, ENGINE, NEVER, OffersEvalResult, run_offers_eval
from orchestrator.cli.app import app
from tests.tools.simulator.demo import build_small_demo
from tools.demo_store.truth import TRUTH_FILE_NAME
from tools.store import make_engine

SESSIONS = 2_500


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small_demo(tmp_path_factory.mktemp("offers"))


@pytest.fixture
def engine(demo: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{demo / 'concierge.db'}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def result(demo: Path) -> OffersEvalResult:
    engine = make_engine(f"sqlite:///{demo / 'concierge.db'}")
    try:
        return run_offers_eval(
            engine=engine, truth_path=demo / TRUTH_FILE_NAME, sessions=SESSIONS, seed=0
        )
    finally:
        engine.dispose()


def test_engine_beats_never_discount_and_always_ten_off(result: OffersEvalResult) -> None:
    assert result.engine_beats_both
    assert [p.name for p in result.policies] == [ENGINE, NEVER, ALWAYS_10]
    engine, never, always = result.policies
    for baseline in (never, always):
        assert engine.expected_margin_per_shopper.mean > baseline.expected_margin_per_shopper.mean
    for comparison in result.comparisons:
        gain = comparison.expected_margin_gain
        assert comparison.beats and 0 < gain.ci_low <= gain.mean <= gain.ci_high
    assert never.discount_per_shopper.mean == 0 and never.options == {"none": SESSIONS}
    assert always.options == {"percent_off_10": SESSIONS}
    assert always.expected_conversion > never.expected_conversion
    assert 0 < engine.discount_per_shopper.mean < always.discount_per_shopper.mean
    assert len(engine.options) > 3  # it uses more than one kind of intervention
    assert result.sessions == SESSIONS and 0 < result.shoppers <= 500
    assert result.sensitivity_correlation is not None and result.sensitivity_correlation > 0.3
    assert result.decision_ms["p50"] > 0


def test_eval_is_reproducible(engine: Engine, demo: Path, result: OffersEvalResult) -> None:
    again = run_offers_eval(engine=engine, truth_path=demo / TRUTH_FILE_NAME, sessions=SESSIONS)
    timing = {"decision_ms"}
    assert again.model_dump(exclude=timing) == result.model_dump(exclude=timing)
    other = run_offers_eval(engine=engine, truth_path=demo / TRUTH_FILE_NAME, sessions=300, seed=5)
    assert other.policies[1].margin_per_shopper != result.policies[1].margin_per_shopper


def test_command_json_and_out(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "offers.json"
    args = ["--data-dir", str(demo), "eval", "offers", "--sessions", "300", "--json"]
    run = CliRunner().invoke(app, [*args, "--out", str(out)])
    report = json.loads(run.stdout)
    assert run.exit_code in (0, 1), run.output
    assert (run.exit_code == 0) == report["engine_beats_both"]
    assert report["sessions"] == 300 and len(report["policies"]) == 3
    assert json.loads(out.read_text()) == report


def test_command_table(demo: Path) -> None:
    run = CliRunner().invoke(app, ["--data-dir", str(demo), "eval", "offers", "--sessions", "200"])
    assert run.exit_code in (0, 1), run.output
    assert "never discount" in run.output and "always 10% off" in run.output
    assert "decision latency" in run.output


def test_command_without_a_store_says_to_init(tmp_path: Path) -> None:
    run = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "eval", "offers", "--json"])
    assert run.exit_code == 2
    assert "run `concierge init` first" in " ".join(run.output.split())
    assert run.stdout == ""
    assert not (tmp_path / "concierge.db").exists()
