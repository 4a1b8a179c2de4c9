"""A shopper's hidden tastes, how they are drawn, and how much they like an item.

Tastes drive every generated history and are written only to the truth file, so an
evaluation can score a recommender against what shoppers really wanted. `affinity` is the
relative weight the generator gives an item when a shopper browses its category, times the
share of the shopper's sessions spent in that category.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

from tools.demo_store.attributes import matches
from tools.demo_store.items import CategoryIndex, ItemView, index_key
from tools.demo_store.taxonomy import CategorySpec, Scalar, Taxonomy

CHANNELS = ("email", "sms", "push")
CHANNEL_SHARES = (0.5, 0.3, 0.2)
BASE_OPEN_RATES = {"email": 0.22, "sms": 0.35, "push": 0.12}
ACTIVE_WINDOWS = ((7, 10), (11, 14), (17, 20), (19, 23), (21, 24))
DEVICES = ("mobile", "desktop", "app", "tablet")
DEVICE_SHARES = (0.45, 0.3, 0.18, 0.07)
SIZE_LIKE_WEIGHT = 6.0


@dataclass(frozen=True)
class AttributePref:
    """A liked (weight > 1 boosts by 1 + weight) or disliked (weight < 1 multiplies) value."""

    key: str
    value: Scalar
    weight: float

    def to_json(self) -> dict[str, Any]:
        """The preference as a JSON object."""
        return {"key": self.key, "value": self.value, "weight": self.weight}


@dataclass(frozen=True)
class Taste:
    """What one shopper likes and how they behave; the generator's hidden truth."""

    shopper_id: str
    categories: dict[str, float]
    brands: dict[str, float]
    likes: tuple[AttributePref, ...]
    dislikes: tuple[AttributePref, ...]
    price_sensitivity: float
    exploration: float
    activity: float
    buy_propensity: float
    preferred_channel: str
    open_rates: dict[str, float]
    active_hours: tuple[int, int]
    timezone: str
    device: str
    home_location: str | None

    def to_json(self) -> dict[str, Any]:
        """The taste as the JSON object the truth file stores."""
        return {
            "shopper_id": self.shopper_id,
            "categories": self.categories,
            "brands": self.brands,
            "likes": [p.to_json() for p in self.likes],
            "dislikes": [p.to_json() for p in self.dislikes],
            "price_sensitivity": self.price_sensitivity,
            "exploration": self.exploration,
            "activity": self.activity,
            "buy_propensity": self.buy_propensity,
            "preferred_channel": self.preferred_channel,
            "open_rates": self.open_rates,
            "active_hours": list(self.active_hours),
            "timezone": self.timezone,
            "device": self.device,
            "home_location": self.home_location,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Taste:
        """A taste read back from the truth file."""
        start, end = data["active_hours"]
        return cls(
            shopper_id=data["shopper_id"],
            categories=dict(data["categories"]),
            brands=dict(data["brands"]),
            likes=tuple(AttributePref(**p) for p in data["likes"]),
            dislikes=tuple(AttributePref(**p) for p in data["dislikes"]),
            price_sensitivity=data["price_sensitivity"],
            exploration=data["exploration"],
            activity=data["activity"],
            buy_propensity=data["buy_propensity"],
            preferred_channel=data["preferred_channel"],
            open_rates=dict(data["open_rates"]),
            active_hours=(int(start), int(end)),
            timezone=data["timezone"],
            device=data["device"],
            home_location=data["home_location"],
        )


def affinity(taste: Taste, item: ItemView, *, taxonomy: Taxonomy) -> float:
    """How strongly the shopper is drawn to an item (higher is stronger; not a probability)."""
    spec = taxonomy.spec(item.category)
    return category_share(taste, spec.path, n_categories=len(taxonomy.categories)) * item_weight(
        taste, item, spec=spec
    )


def category_share(taste: Taste, path: str, *, n_categories: int) -> float:
    """The share of the shopper's sessions spent in a category."""
    favourite = taste.categories.get(path, 0.0) * (1.0 - taste.exploration)
    return favourite + taste.exploration / n_categories


def item_weight(taste: Taste, item: ItemView, *, spec: CategorySpec) -> float:
    """The relative chance of picking an item while browsing its category."""
    weight = taste.brands.get(item.brand, 1.0)
    for pref in taste.likes:
        if matches(item.attributes, pref.key, pref.value):
            weight *= 1.0 + pref.weight
    for pref in taste.dislikes:
        if matches(item.attributes, pref.key, pref.value):
            weight *= pref.weight
    ratio = item.price_cents / spec.reference_price(item.leaf)
    return float(weight * ratio ** (0.5 - 2.0 * taste.price_sensitivity))


def pool_weights(taste: Taste, index: CategoryIndex) -> list[float]:
    """`item_weight` times item popularity for every item of an index, computed in bulk."""
    exponent = 0.5 - 2.0 * taste.price_sensitivity
    weights = [
        pop * math.exp(exponent * lp)
        for pop, lp in zip(index.popularity, index.log_price, strict=True)
    ]
    for brand, factor in taste.brands.items():
        for i in index.by_brand.get(brand, ()):
            weights[i] *= factor
    for pref in taste.likes:
        for i in index.by_value.get(index_key(pref.key, pref.value), ()):
            weights[i] *= 1.0 + pref.weight
    for pref in taste.dislikes:
        for i in index.by_value.get(index_key(pref.key, pref.value), ()):
            weights[i] *= pref.weight
    return weights


def dislikes_item(taste: Taste, item: ItemView) -> bool:
    """Whether an item carries anything the shopper dislikes."""
    return any(matches(item.attributes, p.key, p.value) for p in taste.dislikes)


def draw_taste(
    rng: random.Random,
    *,
    shopper_id: str,
    taxonomy: Taxonomy,
    home: tuple[str | None, str],
) -> Taste:
    """A new shopper's tastes; `home` is (home store id or None, timezone)."""
    favourites = _draw_favourites(rng, taxonomy)
    likes = _draw_likes(rng, taxonomy, favourites)
    sensitivity = round(rng.betavariate(2.0, 2.0), 3)
    channel = rng.choices(CHANNELS, weights=CHANNEL_SHARES)[0]
    return Taste(
        shopper_id=shopper_id,
        categories=favourites,
        brands=_draw_brands(rng, taxonomy, favourites, sensitivity),
        likes=likes,
        dislikes=_draw_dislikes(rng, taxonomy, favourites, likes),
        price_sensitivity=sensitivity,
        exploration=round(rng.uniform(0.05, 0.2), 3),
        activity=round(min(60.0, max(2.0, rng.lognormvariate(2.2, 0.6))), 2),
        buy_propensity=round(rng.uniform(0.3, 0.6), 3),
        preferred_channel=channel,
        open_rates=_draw_open_rates(rng, channel),
        active_hours=rng.choice(ACTIVE_WINDOWS),
        timezone=home[1],
        device=rng.choices(DEVICES, weights=DEVICE_SHARES)[0],
        home_location=home[0],
    )


def _draw_favourites(rng: random.Random, taxonomy: Taxonomy) -> dict[str, float]:
    specs = list(taxonomy.categories)
    chosen: list[CategorySpec] = []
    for _ in range(rng.randint(2, 4)):
        pick = rng.choices(specs, weights=[s.weight for s in specs])[0]
        specs.remove(pick)
        chosen.append(pick)
    raw = [rng.gammavariate(1.0, 1.0) + 0.2 for _ in chosen]
    total = sum(raw)
    shares = sorted(
        ((round(r / total, 4), s.path) for r, s in zip(raw, chosen, strict=True)), reverse=True
    )
    return {path: share for share, path in shares}


def _draw_brands(
    rng: random.Random, taxonomy: Taxonomy, favourites: dict[str, float], sensitivity: float
) -> dict[str, float]:
    tier_pull = {"value": sensitivity + 0.2, "mid": 0.6, "premium": 1.2 - sensitivity}
    brands: dict[str, float] = {}
    for path in favourites:
        spec = taxonomy.spec(path)
        weights = [tier_pull[b.tier] for b in spec.brands]
        for brand in rng.choices(spec.brands, weights=weights, k=rng.randint(1, 2)):
            brands[brand.name] = round(rng.uniform(3.0, 8.0), 2)
        if rng.random() < 0.15:
            disliked = rng.choice(spec.brands)
            brands.setdefault(disliked.name, 0.1)
    return brands


def _draw_likes(
    rng: random.Random, taxonomy: Taxonomy, favourites: dict[str, float]
) -> tuple[AttributePref, ...]:
    likes: dict[tuple[str, Scalar], AttributePref] = {}
    sizes: dict[tuple[Scalar, ...], Scalar] = {}
    for path in favourites:
        spec = taxonomy.spec(path)
        for attr in spec.attributes:
            if attr.key == "size" and attr.variant is not None and not attr.only:
                size = sizes.setdefault(attr.values, _draw_size(rng, attr.values))
                likes[("size", size)] = AttributePref("size", size, SIZE_LIKE_WEIGHT)
        candidates = [
            a for a in spec.attributes if a.kind in ("one", "some", "flag") and a.key != "size"
        ]
        for attr in rng.sample(candidates, k=min(len(candidates), rng.randint(1, 2))):
            value: Scalar = True if attr.kind == "flag" else rng.choice(attr.values)
            weight = round(rng.uniform(1.5, 4.0), 2)
            likes.setdefault((attr.key, value), AttributePref(attr.key, value, weight))
    return tuple(likes.values())


def _draw_size(rng: random.Random, values: tuple[Scalar, ...]) -> Scalar:
    """A size near the middle of the range, as people's sizes are."""
    return values[min(len(values) - 1, int(rng.triangular(0, len(values))))]


def _draw_dislikes(
    rng: random.Random,
    taxonomy: Taxonomy,
    favourites: dict[str, float],
    likes: tuple[AttributePref, ...],
) -> tuple[AttributePref, ...]:
    dislikes: dict[tuple[str, Scalar], AttributePref] = {}
    liked = {(p.key, p.value) for p in likes}
    for path in list(favourites)[: rng.randint(1, 2)]:
        spec = taxonomy.spec(path)
        candidates = [a for a in spec.attributes if a.kind in ("one", "some") and a.variant is None]
        if candidates:
            attr = rng.choice(candidates)
            value = rng.choice(attr.values)
            if (attr.key, value) not in liked:
                weight = round(rng.uniform(0.05, 0.25), 3)
                dislikes[(attr.key, value)] = AttributePref(attr.key, value, weight)
    return tuple(dislikes.values())


def _draw_open_rates(rng: random.Random, preferred: str) -> dict[str, float]:
    rates: dict[str, float] = {}
    for channel in CHANNELS:
        rate = BASE_OPEN_RATES[channel] * rng.lognormvariate(0.0, 0.3)
        if channel == preferred:
            rate *= 1.6
        rates[channel] = round(min(0.95, rate), 3)
    return rates
