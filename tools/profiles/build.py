"""Building a shopper's profile from history, the current session and zero-party preferences."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tools.profiles.affinity import (
    AttributeRules,
    attribute_affinities,
    brand_affinities,
    department_affinities,
)
from tools.profiles.events import EventWeights, ShopperEvent
from tools.profiles.explain import explain_profile
from tools.profiles.habits import shopping_habits
from tools.profiles.interest import Interest, interests
from tools.profiles.items import ItemLookup, Vector, VectorLookup
from tools.profiles.lookalikes import LookalikeIndex
from tools.profiles.model import (
    Affinity,
    AttributeAffinity,
    SessionSignals,
    ShopperProfile,
    Source,
    TasteSummary,
)
from tools.profiles.preferences import StatedPreferences, parse_preferences
from tools.profiles.price import CategoryPrices, price_sensitivity
from tools.profiles.taste import taste_vector
from tools.store.vocab import EventKind

STATED_SCORE = 0.3


@dataclass(frozen=True)
class ProfileConfig:
    """How profiles are built (defaults documented per field)."""

    weights: EventWeights = field(default_factory=EventWeights)
    half_life_days: float = 90.0  # interest halves every 90 days back from the latest event
    attribute_rules: AttributeRules = field(default_factory=AttributeRules)
    cold_start_events: int = 5  # fewer history events than this (and no purchase): cold start
    lookalikes: int = 20  # similar shoppers consulted on cold start
    borrowed_share: float = 0.5  # borrowed affinities count half as much as the shopper's own


@dataclass(frozen=True)
class ProfileContext:
    """What every profile is built against: the catalog, its prices, embeddings, lookalikes."""

    items: ItemLookup
    prices: CategoryPrices
    vectors: VectorLookup | None = None
    lookalikes: LookalikeIndex | None = None
    config: ProfileConfig = field(default_factory=ProfileConfig)


@dataclass(frozen=True)
class ShopperFacts:
    """The shopper's record: id, timezone, loyalty tier and stored zero-party preferences."""

    shopper_id: str
    timezone: str = "UTC"
    tier: str | None = None
    preferences: Mapping[str, Any] = field(default_factory=dict)


def _with_stated(found: list[Affinity], stated: Sequence[str]) -> list[Affinity]:
    have = {a.value for a in found}
    extra = [
        Affinity(value=v, score=STATED_SCORE, items=0, purchases=0, source="stated")
        for v in stated
        if v not in have
    ]
    return sorted(found + extra, key=lambda a: (-a.score, a.value))


def _attributes(
    interest: Mapping[str, Interest],
    context: ProfileContext,
    stated: StatedPreferences,
    src: Source,
) -> list[AttributeAffinity]:
    found = attribute_affinities(
        interest, context.items, rules=context.config.attribute_rules, source=src
    )
    have = {(a.key, str(a.value)) for a in found}
    sizes = [
        AttributeAffinity(key="size", value=size, score=1.0, lift=0.0, items=0, source="stated")
        for size in stated.sizes
        if ("size", size) not in have
    ]
    return sizes + found


def _session_signals(session: Sequence[ShopperEvent], context: ProfileContext) -> SessionSignals:
    skus = list(dict.fromkeys(e.sku for e in reversed(session) if e.sku))
    departments = [item.department for sku in skus if (item := context.items.item(sku)) is not None]
    carted: dict[str, bool] = {}
    for e in session:
        if e.sku and e.kind in (EventKind.CART_ADD.value, EventKind.CART_REMOVE.value):
            carted[e.sku] = e.kind == EventKind.CART_ADD.value
    return SessionSignals(
        session_id=session[-1].session_id if session else None,
        skus=skus,
        departments=list(dict.fromkeys(departments)),
        queries=list(dict.fromkeys(e.query for e in session if e.query)),
        in_cart=[sku for sku, held in carted.items() if held],
    )


def _borrow(
    profile: ShopperProfile, taste: Vector | None, context: ProfileContext
) -> ShopperProfile:
    """Cold start: add the departments and brands of lookalike shoppers."""
    if context.lookalikes is None or taste is None:
        return profile
    exclude = profile.shopper_id
    neighbours = context.lookalikes.nearest(taste, k=context.config.lookalikes, exclude=exclude)
    if not neighbours:
        return profile
    departments, brands = context.lookalikes.borrowed(neighbours)
    share = context.config.borrowed_share

    def merged(own: list[Affinity], borrowed: list[Affinity]) -> list[Affinity]:
        have = {a.value for a in own}
        scaled = [a.model_copy(update={"score": round(a.score * share, 4)}) for a in borrowed]
        extra = [a for a in scaled if a.value not in have]
        return sorted(own + extra, key=lambda a: (-a.score, a.value))[:10]

    return profile.model_copy(
        update={
            "departments": merged(profile.departments, departments),
            "brands": merged(profile.brands, brands),
            "lookalikes": [n.shopper_id for n in neighbours],
        }
    )


def _preferences(
    interest: Mapping[str, Interest],
    context: ProfileContext,
    stated: StatedPreferences,
    source: Source,
) -> dict[str, Any]:
    """Affinities, avoided values and price sensitivity: what the ranker reads."""
    items = context.items
    return {
        "departments": _with_stated(
            department_affinities(interest, items, source=source), stated.categories
        ),
        "brands": _with_stated(brand_affinities(interest, items, source=source), stated.brands),
        "attributes": _attributes(interest, context, stated, source),
        "avoid": [
            AttributeAffinity(
                key=a.key, value=a.value, score=0.0, lift=0.0, items=0, source="stated"
            )
            for a in stated.avoid
        ],
        "price": price_sensitivity(interest, items=items, prices=context.prices, stated=stated),
    }


def _summary(vector: Vector, used: int, config: ProfileConfig, source: Source) -> TasteSummary:
    return TasteSummary(
        items=used,
        dimension=int(vector.shape[0]),
        half_life_days=config.half_life_days,
        source=source,
    )


def _bought(interest: Mapping[str, Interest]) -> list[str]:
    """Items bought and kept, latest first."""
    kept = [i for i in interest.values() if i.bought and i.last_at is not None]
    return [i.sku for i in sorted(kept, key=lambda i: (i.last_at, i.sku), reverse=True)]


def build_profile(
    context: ProfileContext,
    *,
    shopper: ShopperFacts | None,
    history: Sequence[ShopperEvent],
    session: Sequence[ShopperEvent] = (),
    explain: bool = True,
) -> ShopperProfile:
    """The profile of a known shopper (or of an anonymous session when `shopper` is None).

    `explain=False` leaves the explanation out (when only the ranker reads the profile).
    """
    config = context.config
    stated = parse_preferences(shopper.preferences if shopper else None)
    interest = interests(
        [*history, *session], weights=config.weights, half_life_days=config.half_life_days
    )
    vector, used = (None, 0)
    if context.vectors is not None:
        vector, used = taste_vector(interest, context.vectors)
    purchases = sum(1 for e in history if e.kind == EventKind.PURCHASE.value)
    source: Source = "history" if history else "session"
    profile = ShopperProfile(
        shopper_id=shopper.shopper_id if shopper else None,
        known=shopper is not None,
        cold_start=purchases == 0 and len(history) < config.cold_start_events,
        tier=shopper.tier if shopper else None,
        events=len(history),
        purchases=purchases,
        **_preferences(interest, context, stated, source),
        habits=shopping_habits(
            [*history, *session], timezone=shopper.timezone if shopper else "UTC", stated=stated
        ),
        taste=None if vector is None else _summary(vector, used, config, source),
        stated=stated,
        session=_session_signals(session, context),
        bought=_bought(interest),
    )
    if profile.cold_start:
        profile = _borrow(profile, vector, context)
    if explain:
        profile = profile.model_copy(update={"explanation": explain_profile(profile, interest)})
    return profile.with_taste(vector)
