"""The recommendation eval on a small demo store, its protocol, and its command."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from evals.recommend import (
    RANKER,
    RecommendEvalResult,
    hit_at,
    hold_out,
    ndcg_at,
    run_recommend_eval,
)
from orchestrator.cli import eval_recommend_cmd
from orchestrator.cli.context import set_overrides, state
from tests.tools.recommend.demo import FAKE, build_demo, demo_url
from tools.profiles import ShopperEvent
from tools.store import make_engine

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_cli_state() -> Iterator[None]:
    yield
    state.reset()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("eval"), skus=2_000, shoppers=500)


@pytest.fixture(scope="module")
def result(demo: Path) -> RecommendEvalResult:
    engine = make_engine(demo_url(demo))
    try:
        return run_recommend_eval(engine=engine, encoder=FAKE)
    finally:
        engine.dispose()


def test_the_ranker_beats_popularity_by_half_and_every_single_source(
    result: RecommendEvalResult,
) -> None:
    by_name = {m.name: m for m in result.methods}
    names = [m.name for m in result.methods]
    assert names[0] == "popularity" and names[-1] == RANKER
    assert set(by_name) >= {"popularity by department", "cooccurrence", "content", "embedding"}
    ranker = by_name[RANKER].ndcg["10"]
    assert result.lift_ndcg_at_10 >= 0.5 and result.ranker_beats_popularity
    assert ranker == pytest.approx(
        by_name["popularity"].ndcg["10"] * (1 + result.lift_ndcg_at_10), rel=1e-3
    )
    assert all(ranker >= m.ndcg["10"] for m in result.methods)
    assert result.test_shoppers > 300 and result.targets >= result.test_shoppers
    for method in result.methods:
        assert method.hit_rate["5"] <= method.hit_rate["10"] <= method.hit_rate["20"] <= 1


def test_the_eval_is_reproducible(demo: Path, result: RecommendEvalResult) -> None:
    engine = make_engine(demo_url(demo))
    try:
        again = run_recommend_eval(engine=engine, encoder=FAKE, max_shoppers=80, seed=3)
        twice = run_recommend_eval(engine=engine, encoder=FAKE, max_shoppers=80, seed=3)
    finally:
        engine.dispose()
    assert again.model_dump(exclude={"seconds"}) == twice.model_dump(exclude={"seconds"})
    assert again.test_shoppers == 80 and again.train_events == result.train_events


def _event(shopper: str, session: str, kind: str, sku: str, minutes: int) -> ShopperEvent:
    return ShopperEvent(shopper, session, kind, sku, T0 + timedelta(minutes=minutes))


def test_hold_out_removes_the_whole_last_purchasing_session() -> None:
    events = [
        _event("a", "a1", "view", "X", 0),
        _event("a", "a1", "purchase", "X", 1),
        _event("a", "a2", "view", "Y", 10),
        _event("a", "a2", "purchase", "Y", 11),
        _event("a", "a2", "purchase", "Z", 11),
        _event("a", "a3", "view", "W", 20),  # after the held-out session: not trained on
        _event("b", "b1", "view", "Y", 5),  # never bought: all training
        _event("a", "a2-return", "return", "Y", 30),
    ]
    split = hold_out(events)
    assert split.targets == {"a": frozenset({"Y", "Z"})}
    assert split.cut == {"a": T0 + timedelta(minutes=10)}
    assert [(e.shopper_id, e.sku, e.kind) for e in split.train] == [
        ("a", "X", "view"),
        ("a", "X", "purchase"),
        ("b", "Y", "view"),
    ]


def test_metrics_on_hand_computed_cases() -> None:
    targets = frozenset({"b", "d"})
    assert ndcg_at(["a", "b", "c", "d"], targets, 4) == pytest.approx(
        (1 / 1.5849625 + 1 / 2.3219281) / (1 + 1 / 1.5849625)
    )
    assert ndcg_at(["b", "d"], targets, 2) == 1.0 and ndcg_at(["a"], targets, 1) == 0.0
    assert hit_at(["a", "b"], targets, 1) == 0.0 and hit_at(["a", "b"], targets, 2) == 1.0


def test_the_command_prints_both_and_writes_json(demo: Path, tmp_path: Path) -> None:
    app = typer.Typer()
    eval_app = typer.Typer()
    eval_recommend_cmd.register(eval_app)
    app.add_typer(eval_app, name="eval")
    out = tmp_path / "recommend.json"
    set_overrides(demo, None)
    args = ["eval", "recommend", "--no-text", "--max-shoppers", "150", "--json", "--out", str(out)]
    run = CliRunner().invoke(app, args)
    assert run.exit_code == 0, run.output
    report = json.loads(run.stdout)
    assert json.loads(out.read_text()) == report
    names = [m["name"] for m in report["methods"]]
    assert names[0] == "popularity" and names[-1] == "ranker" and report["test_shoppers"] == 150
    table = CliRunner().invoke(app, ["eval", "recommend", "--no-text", "--max-shoppers", "60"])
    assert (
        table.exit_code == 0
        and "NDCG@10" in table.output
        and "ranker vs popularity" in table.output
    )
    strict = CliRunner().invoke(
        app, ["eval", "recommend", "--no-text", "--max-shoppers", "60", "--min-lift", "1000"]
    )
    assert strict.exit_code == 1 and "check failed" in strict.output


def test_the_command_says_when_there_is_no_store(tmp_path: Path) -> None:
    app = typer.Typer()
    eval_app = typer.Typer()
    eval_recommend_cmd.register(eval_app)
    app.add_typer(eval_app, name="eval")
    set_overrides(tmp_path, None)
    run = CliRunner().invoke(app, ["eval", "recommend", "--no-text"])
    assert run.exit_code == 2 and "concierge init" in run.output
