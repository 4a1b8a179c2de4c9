"""Department, brand and attribute affinities from a shopper's interest in items."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from tools.profiles.interest import Interest
from tools.profiles.items import ItemInfo, ItemLookup, Scalar
from tools.profiles.model import Affinity, AttributeAffinity, Source

MAX_AFFINITIES = 10


@dataclass(frozen=True)
class AttributeRules:
    """When a value counts as liked: enough items, enough share, and above the catalog's rate."""

    min_items: int = 2
    min_score: float = 0.5
    min_lift: float = 1.5
    limit: int = 15


@dataclass
class _Tally:
    weight: float = 0.0
    skus: set[str] = field(default_factory=set)
    purchases: int = 0

    def add(self, interest: Interest) -> None:
        self.weight += interest.weight
        self.skus.add(interest.sku)
        self.purchases += interest.purchases


def _known(interests: Mapping[str, Interest], items: ItemLookup) -> list[tuple[Interest, ItemInfo]]:
    pairs = [(i, items.item(sku)) for sku, i in interests.items()]
    return [(i, item) for i, item in pairs if item is not None]


def _grouped(
    pairs: list[tuple[Interest, ItemInfo]], key: Callable[[ItemInfo], str], source: Source
) -> list[Affinity]:
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for interest, item in pairs:
        tallies[key(item)].add(interest)
    total = sum(t.weight for t in tallies.values() if t.weight > 0)
    if total <= 0:
        return []
    found = [
        Affinity(
            value=name,
            score=round(t.weight / total, 4),
            items=len(t.skus),
            purchases=t.purchases,
            source=source,
        )
        for name, t in tallies.items()
        if t.weight > 0 and name
    ]
    found.sort(key=lambda a: (-a.score, a.value))
    return found[:MAX_AFFINITIES]


def department_affinities(
    interests: Mapping[str, Interest], items: ItemLookup, *, source: Source = "history"
) -> list[Affinity]:
    """Share of interest per department, strongest first."""
    return _grouped(_known(interests, items), lambda item: item.department, source)


def brand_affinities(
    interests: Mapping[str, Interest], items: ItemLookup, *, source: Source = "history"
) -> list[Affinity]:
    """Share of interest per brand (returned items weigh against their brand), strongest first."""
    return _grouped(_known(interests, items), lambda item: item.brand, source)


def attribute_affinities(
    interests: Mapping[str, Interest],
    items: ItemLookup,
    *,
    rules: AttributeRules = AttributeRules(),
    source: Source = "history",
) -> list[AttributeAffinity]:
    """Attribute values the shopper favours well beyond how common they are in the catalog."""
    by_value: dict[tuple[str, Scalar], _Tally] = defaultdict(_Tally)
    by_key: dict[str, float] = defaultdict(float)
    for interest, item in _known(interests, items):
        if interest.weight <= 0:
            continue
        for key in item.attributes:
            by_key[key] += interest.weight
        for key, value in dict.fromkeys(item.values()):
            if value is not False:  # lacking a feature is not a taste for lacking it
                by_value[key, value].add(interest)
    liked: list[AttributeAffinity] = []
    for (key, value), tally in by_value.items():
        score = tally.weight / by_key[key]
        share = items.value_share(key, value)
        lift = score / share if share > 0 else 0.0
        if (
            len(tally.skus) >= rules.min_items
            and score >= rules.min_score
            and lift >= rules.min_lift
        ):
            liked.append(
                AttributeAffinity(
                    key=key,
                    value=value,
                    score=round(score, 4),
                    lift=round(lift, 3),
                    items=len(tally.skus),
                    source=source,
                )
            )
    liked.sort(key=lambda a: (-a.score * a.lift, a.key, str(a.value)))
    return liked[: rules.limit]
