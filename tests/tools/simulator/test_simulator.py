from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine

from tests.tools.simulator.demo import build_small_demo
from tools.demo_store.tastes import item_weight
from tools.demo_store.taxonomy import load_taxonomy
from tools.demo_store.truth import TRUTH_FILE_NAME
from tools.simulator import Presented, ShopperSimulator, SimulatorError
from tools.store import make_engine


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small_demo(tmp_path_factory.mktemp("demo"), skus=600, shoppers=120)


@pytest.fixture
def engine(demo: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{demo / 'concierge.db'}")
    yield engine
    engine.dispose()


def _sim(engine: Engine, demo: Path, seed: int = 0) -> ShopperSimulator:
    return ShopperSimulator.open(engine=engine, truth_path=demo / TRUTH_FILE_NAME, seed=seed)


def test_sessions_are_reproducible_by_seed(engine: Engine, demo: Path) -> None:
    first = _sim(engine, demo).sessions(300)
    again = _sim(engine, demo).sessions(300)
    assert first == again
    other = _sim(engine, demo, seed=1).sessions(300)
    assert [s.key for s in other] != [s.key for s in first]
    assert len({s.shopper_id for s in first}) > 50
    assert {s.stage for s in first} == {"about_to_buy", "hesitating", "browsing"}


def test_a_session_does_not_depend_on_what_was_drawn_before(engine: Engine, demo: Path) -> None:
    sim = _sim(engine, demo)
    drawn = sim.sessions(200)
    fresh = _sim(engine, demo)
    for session in drawn[::37]:
        number = int(session.key.rsplit(":", 1)[1])
        assert fresh.session(session.shopper_id, number) == session


def test_answers_are_reproducible_and_follow_the_price(engine: Engine, demo: Path) -> None:
    sim = _sim(engine, demo)
    sessions = sim.sessions(400)
    at_list = [sim.would_buy(s, price_cents=s.item.list_price_cents) for s in sessions]
    assert at_list == [sim.would_buy(s, price_cents=s.item.list_price_cents) for s in sessions]
    cut = [sim.would_buy(s, price_cents=s.item.list_price_cents * 8 // 10) for s in sessions]
    assert all(c for a, c in zip(at_list, cut, strict=True) if a)  # a cut never loses a sale
    assert sum(cut) > sum(at_list)
    chances = [
        sim.buy_chance(s, Presented(item_price_cents=s.item.list_price_cents)) for s in sessions
    ]
    assert abs(np.mean(chances) - np.mean(at_list)) < 0.08


def test_expected_margin_accounts_for_discount_and_cost(engine: Engine, demo: Path) -> None:
    sim = _sim(engine, demo)
    session = next(s for s in sim.sessions(200) if s.companion is None and s.fulfilment == "pickup")
    item = session.item
    cart_margin = sum(i.margin_cents for i in session.cart)
    full = sim.expected(session, Presented(item_price_cents=item.list_price_cents))
    assert full.discount_cents == 0
    assert full.margin_cents == pytest.approx(full.conversion * (cart_margin + item.margin_cents))
    cut_price = item.list_price_cents - 100
    cut = sim.expected(session, Presented(item_price_cents=cut_price))
    assert cut.discount_cents == pytest.approx(cut.conversion * 100)
    assert cut.conversion >= full.conversion


def test_opening_a_message_follows_the_open_rate(engine: Engine, demo: Path) -> None:
    sim = _sim(engine, demo)
    sessions = sim.sessions(1500)
    opened = np.mean([sim.would_open(s, channel="sms") for s in sessions])
    rates = np.mean([sim.truth.tastes[s.shopper_id].open_rates["sms"] for s in sessions])
    assert abs(opened - rates) < 0.05
    assert not any(sim.would_open(s, channel="fax") for s in sessions)


def test_item_draws_use_the_generators_taste_weights(engine: Engine, demo: Path) -> None:
    sim = _sim(engine, demo)
    taxonomy = load_taxonomy()
    for shopper_id in sorted(sim.truth.tastes)[:10]:
        taste = sim.truth.tastes[shopper_id]
        for category in sim.catalog.categories()[:6]:
            spec = taxonomy.spec(category)
            expected = [item_weight(taste, i.view, spec=spec) for i in sim.catalog.of(category)]
            got = sim.taste_weights(shopper_id, category)
            assert got == pytest.approx(expected, rel=1e-9)


def test_truth_must_belong_to_the_store(engine: Engine, demo: Path, tmp_path: Path) -> None:
    with pytest.raises(SimulatorError, match="run `concierge init` first"):
        ShopperSimulator.open(engine=engine, truth_path=tmp_path / "none.jsonl", seed=0)
    altered = tmp_path / TRUTH_FILE_NAME
    shutil.copy(demo / TRUTH_FILE_NAME, altered)
    with altered.open("ab") as handle:
        handle.write(b"\n")
    with pytest.raises(SimulatorError, match="truth of another store"):
        ShopperSimulator.open(engine=engine, truth_path=altered, seed=0)
    empty = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(SimulatorError, match="no store"):
        ShopperSimulator.open(engine=empty, truth_path=demo / TRUTH_FILE_NAME, seed=0)
    empty.dispose()


def test_unknown_shopper_is_refused(engine: Engine, demo: Path) -> None:
    sim = _sim(engine, demo)
    with pytest.raises(SimulatorError, match="not in the demo truth"):
        sim.session("nobody", 0)
