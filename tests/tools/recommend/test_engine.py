"""The engine over a small demo store: truthful reasons, live stock, store rules, determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from tests.tools.recommend.demo import FAKE, REFERENCE, build_demo, demo_url
from tools.profiles import UnknownShopperError
from tools.recommend import (
    ReasonCode,
    RecommendService,
    UnknownItemError,
    fit_engine,
    load_engine,
    open_engine,
    open_service,
    save_engine,
    training_data,
)
from tools.store import Event, InventoryLevel, MerchRule, make_engine, transaction

NOW = datetime.fromisoformat(REFERENCE)
ROOT = Path(__file__).resolve().parents[3]
SHOPPERS = [f"shopper-{i:06d}" for i in range(0, 120, 4)]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("engine"))


@pytest.fixture
def db(demo: Path) -> Iterator[Engine]:
    engine = make_engine(demo_url(demo))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def service(demo: Path) -> Iterator[RecommendService]:
    engine = make_engine(demo_url(demo))
    yield open_service(engine, data_dir=demo, encoder=FAKE, now=NOW)
    engine.dispose()


def _history(db: Engine, shopper: str) -> dict[str, set[str]]:
    with Session(db) as session:
        rows = session.exec(
            select(Event.kind, Event.sku).where(
                Event.shopper_id == shopper, col(Event.sku).is_not(None)
            )
        ).all()
    kinds: dict[str, set[str]] = {}
    for kind, sku in rows:
        kinds.setdefault(kind, set()).add(str(sku))
    return kinds


def test_every_item_has_reasons_and_every_reason_is_true(
    service: RecommendService, db: Engine
) -> None:
    seen_codes: set[ReasonCode] = set()
    for shopper in SHOPPERS:
        found = service.recommend(shopper_id=shopper, k=10, now=NOW)
        history = _history(db, shopper)
        touched = set().union(*history.values()) if history else set()
        profile = service.profile(shopper_id=shopper)
        assert found.shopper_id == shopper and len(found.items) == 10
        assert len({i.sku for i in found.items}) == 10
        for item in found.items:
            assert item.reasons, item
            for reason in item.reasons:
                seen_codes.add(reason.code)
                if reason.code is ReasonCode.BECAUSE_YOU_BOUGHT:
                    assert reason.sku in history.get("purchase", set())
                if reason.code in (ReasonCode.BECAUSE_YOU_VIEWED, ReasonCode.SIMILAR_TO):
                    assert reason.sku in touched
                if reason.code in (ReasonCode.BUY_AGAIN,):
                    assert item.sku in history.get("purchase", set())
                if reason.code is ReasonCode.VIEWED_BEFORE:
                    assert item.sku in touched
                if reason.code in (ReasonCode.NEW_FROM_BRAND, ReasonCode.BRAND_YOU_LIKE):
                    assert item.brand in {a.value for a in profile.brands}
    assert {ReasonCode.BECAUSE_YOU_BOUGHT, ReasonCode.POPULAR_WITH_SIMILAR} <= seen_codes


def test_new_from_a_brand_you_like_is_a_new_item(service: RecommendService) -> None:
    for shopper in SHOPPERS:
        for item in service.recommend(shopper_id=shopper, k=20, now=NOW).items:
            if any(r.code is ReasonCode.NEW_FROM_BRAND for r in item.reasons):
                launched = service.engine.catalog.item(item.sku)
                assert launched is not None and launched.launch_date is not None
                assert 0 <= (NOW.date() - launched.launch_date).days < 30


def test_an_item_sold_out_after_the_snapshot_is_not_shown(demo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "concierge.db"
    copy.write_bytes((demo / "concierge.db").read_bytes())
    db = make_engine(f"sqlite:///{copy}")
    try:
        service = open_service(db, data_dir=demo, encoder=FAKE, now=NOW)
        first = service.recommend(shopper_id=SHOPPERS[0], k=5, now=NOW).items[0].sku
        with transaction(db) as session:
            session.execute(
                update(InventoryLevel)
                .where(col(InventoryLevel.sku) == first)
                .values(on_hand=0, reserved=0)
            )
        again = service.recommend(shopper_id=SHOPPERS[0], k=5, now=NOW)
        assert first not in [i.sku for i in again.items] and len(again.items) == 5
        assert service.refresh_stock(now=NOW).level(first).value == "out"
    finally:
        db.dispose()


def test_merchandising_rules_in_the_store_apply(demo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "concierge.db"
    copy.write_bytes((demo / "concierge.db").read_bytes())
    db = make_engine(f"sqlite:///{copy}")
    try:
        service = open_service(db, data_dir=demo, encoder=FAKE, now=NOW)
        before = service.recommend(shopper_id=SHOPPERS[1], k=10, now=NOW).items
        dropped = before[0].category
        pinned = next(i.sku for i in reversed(before) if i.category != dropped)
        with transaction(db) as session:
            session.add(
                MerchRule(id="pin", kind="pin", scope={"skus": [pinned]}, weight=1, created_by="m")
            )
            session.add(
                MerchRule(id="out", kind="exclude", scope={"category": dropped}, created_by="m")
            )
        after = service.recommend(shopper_id=SHOPPERS[1], k=10, now=NOW).items
        assert after[0].sku == pinned and after[0].pinned
        assert after[0].reasons[0].code is ReasonCode.PINNED
        assert all(i.category != dropped for i in after if i.sku != pinned)
    finally:
        db.dispose()


def _dump(service: RecommendService) -> str:
    lists = [service.recommend(shopper_id=s, k=10, now=NOW) for s in SHOPPERS[:12]]
    return json.dumps([x.model_dump(mode="json") for x in lists], sort_keys=True)


def test_same_inputs_give_byte_identical_answers(demo: Path, db: Engine, tmp_path: Path) -> None:
    with Session(db) as session:
        data = training_data(session)
    first, second = fit_engine(data, encoder=FAKE), fit_engine(data, encoder=FAKE)
    save_engine(first, tmp_path / "a")
    save_engine(second, tmp_path / "b")
    for path in sorted(p for p in (tmp_path / "a").rglob("*") if p.is_file()):
        twin = tmp_path / "b" / path.relative_to(tmp_path / "a")
        assert path.read_bytes() == twin.read_bytes(), path
    loaded = load_engine(tmp_path / "a", catalog=data.catalog)
    answers = {
        _dump(RecommendService(db=db, engine=engine, stock=engine_stock))
        for engine, engine_stock in (
            (first, RecommendService(db=db, engine=first).refresh_stock(now=NOW)),
            (second, RecommendService(db=db, engine=second).refresh_stock(now=NOW)),
            (loaded, RecommendService(db=db, engine=loaded).refresh_stock(now=NOW)),
        )
    }
    assert len(answers) == 1 and first.version == second.version == loaded.version


DIGEST = """
import hashlib, json, sys
from datetime import datetime
from pathlib import Path
from sqlmodel import Session
from tests.tools.recommend.demo import FAKE
from tools.recommend import RecommendService, fit_engine, training_data
from tools.store import make_engine
db = make_engine(sys.argv[1])
with Session(db) as session:
    engine = fit_engine(training_data(session), encoder=FAKE)
service = RecommendService(db=db, engine=engine)
now = datetime.fromisoformat(sys.argv[2])
service.refresh_stock(now=now)
found = [service.recommend(shopper_id=s, k=10, now=now) for s in sys.argv[3:]]
found = [f.model_dump(mode="json") for f in found]
print(hashlib.sha256(json.dumps(found, sort_keys=True).encode()).hexdigest())
"""


def test_another_process_gives_the_same_bytes(demo: Path, db: Engine) -> None:
    def digest(seed: str) -> str:
        args = [sys.executable, "-c", DIGEST, demo_url(demo), REFERENCE, *SHOPPERS[:8]]
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(args, capture_output=True, text=True, check=True, env=env, cwd=ROOT)
        return run.stdout.strip()

    assert digest("1") == digest("4242")


def test_the_fit_is_saved_and_reused(demo: Path, db: Engine) -> None:
    first = open_engine(db, data_dir=demo, encoder=FAKE)
    again = open_engine(db, data_dir=demo, encoder=FAKE)
    assert again.version == first.version
    assert len(list((demo / "models" / "recommend").iterdir())) >= 1


def test_an_anonymous_session_gets_cold_start_picks(service: RecommendService, db: Engine) -> None:
    with Session(db) as session:
        session_id = session.exec(select(Event.session_id).where(Event.kind == "view")).first()
    found = service.recommend(shopper_id=None, session_id=session_id, k=5, now=NOW)
    assert found.strategy == "cold_start" and len(found.items) == 5
    nothing = service.recommend(shopper_id=None, k=5, now=NOW)
    assert nothing.strategy == "popular" and len(nothing.items) == 5


def test_similar_items_bought_together_and_reranking(service: RecommendService) -> None:
    sku = service.recommend(shopper_id=SHOPPERS[2], k=1, now=NOW).items[0].sku
    similar = service.similar_items(sku=sku, k=5, now=NOW)
    item = service.engine.catalog.item(sku)
    assert similar and sku not in [s.sku for s in similar] and item is not None
    assert all(s.reasons for s in similar)
    assert all(s.category.split("/")[:2] == item.category.split("/")[:2] for s in similar)
    rules = service.engine.rules
    assert rules is not None and rules.rules
    first = rules.rules[0].antecedent[0]
    together = service.bought_together(skus=[first], k=3, now=NOW)
    assert all(first in t.because and t.lift > 0 for t in together)
    given = [i.sku for i in service.recommend(shopper_id=SHOPPERS[3], k=20, now=NOW).items][::-1]
    ranked = service.rank_candidates(skus=given, shopper_id=SHOPPERS[3], k=8, now=NOW)
    assert {i.sku for i in ranked.items} <= set(given) and len(ranked.items) == 8


def test_unknown_shoppers_and_skus_are_input_errors(service: RecommendService) -> None:
    with pytest.raises(UnknownShopperError, match="nobody"):
        service.recommend(shopper_id="nobody", now=NOW)
    with pytest.raises(UnknownItemError, match="NOPE"):
        service.similar_items(sku="NOPE")
    with pytest.raises(UnknownItemError, match="NOPE"):
        service.bought_together(skus=["NOPE"])
