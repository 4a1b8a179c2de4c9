from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from tests.tools.demo_store.conftest import SMALL, BuiltStore, table_rows
from tools.demo_store import read_truth
from tools.demo_store.items import ItemView
from tools.demo_store.tastes import Taste, affinity
from tools.demo_store.taxonomy import load_taxonomy

K = 10


@dataclass(frozen=True)
class Split:
    """Each shopper's last purchase held out; what happened before its session is training."""

    held_out: dict[str, str]
    training: dict[str, list[tuple[str, str]]]


def _split(engine: Engine) -> Split:
    by_shopper: dict[str, list[tuple[str, str, str | None]]] = {}
    for e in table_rows(engine, "events", "shopper_id", "occurred_at", "id"):
        by_shopper.setdefault(e["shopper_id"], []).append((e["session_id"], e["kind"], e["sku"]))
    held_out: dict[str, str] = {}
    training: dict[str, list[tuple[str, str]]] = {}
    for shopper, events in by_shopper.items():
        bought = [i for i, (_, kind, _) in enumerate(events) if kind == "purchase"]
        cut = len(events)
        if len(bought) >= 2:
            last_session, _, sku = events[bought[-1]]
            assert sku is not None
            held_out[shopper] = sku
            cut = next(i for i, e in enumerate(events) if e[0] == last_session)
        training[shopper] = [(kind, sku) for _, kind, sku in events[:cut] if sku]
    return Split(held_out, training)


def _hit_rate(split: Split, rank: Callable[[str], list[str]]) -> float:
    hits = sum(split.held_out[s] in rank(s)[:K] for s in split.held_out)
    return hits / len(split.held_out)


def _items(engine: Engine) -> list[ItemView]:
    return [ItemView.of_product(r) for r in table_rows(engine, "products", "sku")]


def test_truth_file_has_a_header_and_one_line_per_shopper(small_store: BuiltStore) -> None:
    lines = small_store.truth_path.read_text().splitlines()
    header = json.loads(lines[0])
    assert header["kind"] == "header"
    assert header["seed"] == SMALL.seed and header["shoppers"] == SMALL.shoppers
    assert len(lines) == 1 + SMALL.shoppers
    shopper = json.loads(lines[1])
    assert shopper["kind"] == "shopper"
    assert 0.0 <= shopper["price_sensitivity"] <= 1.0
    assert abs(sum(shopper["categories"].values()) - 1.0) < 0.01
    assert lines[1] == json.dumps(shopper, sort_keys=True, separators=(",", ":"))


def test_tastes_round_trip_through_the_truth_file(small_store: BuiltStore) -> None:
    truth = read_truth(small_store.truth_path)
    for taste in truth.tastes.values():
        assert Taste.from_json(json.loads(json.dumps(taste.to_json()))) == taste
    channels = Counter(t.preferred_channel for t in truth.tastes.values())
    assert len(channels) == 3
    assert any(t.dislikes for t in truth.tastes.values())


def test_taste_aware_scores_beat_popularity_on_held_out_purchases(
    small_engine: Engine, small_store: BuiltStore
) -> None:
    split = _split(small_engine)
    assert len(split.held_out) >= SMALL.shoppers // 2
    items = _items(small_engine)
    counts = Counter(sku for events in split.training.values() for _, sku in events)
    popular = sorted(counts, key=lambda sku: (-counts[sku], sku))
    truth = read_truth(small_store.truth_path)
    taxonomy = load_taxonomy()

    def by_truth(shopper: str) -> list[str]:
        taste = truth.tastes[shopper]
        scored = sorted(items, key=lambda i: (-affinity(taste, i, taxonomy=taxonomy), i.sku))
        return [i.sku for i in scored]

    def by_history(shopper: str) -> list[str]:
        seen = split.training[shopper]
        views = {i.sku: i for i in items}
        cats = Counter(views[sku].category for _, sku in seen)
        brands = Counter(views[sku].brand for _, sku in seen)
        own = Counter(sku for _, sku in seen)

        def score(i: ItemView) -> float:
            return cats[i.category] + 0.5 * brands[i.brand] + 3 * own[i.sku] + 0.05 * counts[i.sku]

        return [i.sku for i in sorted(items, key=lambda i: (-score(i), i.sku))]

    popularity = _hit_rate(split, lambda _: popular)
    taste_aware = _hit_rate(split, by_truth)
    from_history = _hit_rate(split, by_history)
    assert taste_aware >= 2 * popularity and taste_aware >= 0.3
    assert from_history >= 1.5 * popularity
