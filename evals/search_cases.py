"""Search eval cases generated from a demo store and its hidden truth, with known answers.

Each case is a request a shopper of the store would type: a category they like (from their
hidden tastes), often an attribute they like or a brand they favour, sometimes a budget. Because
the request is built from slots, the slots a parser should extract are known; because the store
is known, so is every product that satisfies the request (the relevant set).
"""

from __future__ import annotations

import math
import random
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

PHRASES: dict[str, str] = {
    "fragrance_free": "fragrance-free",
    "vegan": "vegan",
    "cruelty_free": "cruelty-free",
    "waterproof": "waterproof",
    "sulfate_free": "sulfate-free",
    "hypoallergenic": "hypoallergenic",
    "wireless": "wireless",
    "noise_cancelling": "noise cancelling",
    "organic": "organic",
    "packable": "packable",
    "dishwasher_safe": "dishwasher safe",
    "unscented": "unscented",
}
"""Boolean attributes and how a shopper asks for them."""
TEMPLATES: dict[str, str] = {
    "color": "{value} {noun}",
    "material": "{value} {noun}",
    "skin_type": "{noun} for {value} skin",
    "hair_type": "{noun} for {value} hair",
}
"""Text attributes and how a shopper asks for them."""
OPENERS = ("", "", "i need ", "looking for ", "show me ", "can you find ", "any ")
BUDGETS = (
    "under ${}",
    "less than ${}",
    "below ${}",
    "for no more than ${}",
    "up to ${}",
    "${} max",
)
EXCLUSIONS = ("but not {}", "no {}", "not from {}")


@dataclass(frozen=True)
class Item:
    """A product as the cases read it."""

    sku: str
    category: str
    brand: str
    price_cents: int
    attributes: dict[str, Any]


@dataclass
class SearchCase:
    """One request, the slots it states, and the products that satisfy it."""

    id: str
    text: str
    category: str
    attribute: tuple[str, Any] | None = None
    brand: str | None = None
    max_cents: int | None = None
    excluded_brand: str | None = None
    relevant: frozenset[str] = field(default_factory=frozenset)

    def slots(self) -> set[tuple[str, str]]:
        """The slots a parser should extract, as (slot, value) pairs."""
        found = {("category", self.category)}
        if self.attribute is not None:
            key, value = self.attribute
            found.add((f"attribute:{key}", norm(value)))
        if self.brand is not None:
            found.add(("brand", self.brand.lower()))
        if self.max_cents is not None:
            found.add(("budget_max", str(self.max_cents)))
        if self.excluded_brand is not None:
            found.add(("excluded_brand", self.excluded_brand.lower()))
        return found

    def matches(self, item: Item) -> bool:
        """Whether a product satisfies every stated slot."""
        if item.category != self.category:
            return False
        if self.brand is not None and item.brand != self.brand:
            return False
        if self.excluded_brand is not None and item.brand == self.excluded_brand:
            return False
        if self.max_cents is not None and item.price_cents > self.max_cents:
            return False
        if self.attribute is not None:
            key, value = self.attribute
            held = item.attributes.get(key)
            values = held if isinstance(held, list) else [held]
            return any(norm(v) == norm(value) for v in values)
        return True


def norm(value: Any) -> str:
    """A slot value compared case-insensitively."""
    return str(value).strip().lower()


def _noun(category: str, plural: bool) -> str:
    noun = category.rsplit("/", 1)[-1].replace("-", " ")
    return plural_of(noun) if plural else noun


def plural_of(noun: str) -> str:
    """The English plural of a product noun ("running shoe" -> "running shoes")."""
    if noun.endswith("s"):
        return noun
    if noun.endswith(("x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"


def _attribute_choices(taste: Any, items: list[Item]) -> list[tuple[str, Any]]:
    """Attributes worth asking for in a category: liked ones first, held by some products."""
    held = {
        (k, v if isinstance(v, bool) else norm(v))
        for item in items
        for k, v in item.attributes.items()
        if (k in PHRASES and v is True) or (k in TEMPLATES and isinstance(v, str))
    }
    liked = [(p.key, p.value) for p in taste.likes if (p.key, p.value) in held]
    return liked or sorted(held, key=str)


def _phrase(noun: str, attribute: tuple[str, Any] | None, brand: str | None) -> str:
    words = noun
    if attribute is not None:
        key, value = attribute
        if key in PHRASES:
            words = f"{PHRASES[key]} {noun}"
        else:
            words = TEMPLATES[key].format(value=value, noun=noun)
    return f"{brand} {words}" if brand else words


def _budget(rng: random.Random, prices: list[int]) -> int | None:
    if len(prices) < 2 or rng.random() < 0.5:
        return None
    return int(math.ceil(statistics.median(prices) / 500) * 500)


def generate_cases(
    *, items: list[Item], tastes: dict[str, Any], count: int, seed: int
) -> list[SearchCase]:
    """`count` requests from shoppers' tastes, each with at least one relevant product."""
    rng = random.Random(seed)
    by_category: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_category[item.category].append(item)
    leaves = {c: v for c, v in by_category.items() if len(v) >= 3}
    shoppers = sorted(tastes)
    cases: list[SearchCase] = []
    attempts = 0
    while len(cases) < count and attempts < count * 20 and shoppers:
        attempts += 1
        taste = tastes[shoppers[attempts % len(shoppers)]]
        case = _case(rng, taste, leaves, f"q{len(cases):04d}")
        if case is not None and case.text not in {c.text for c in cases}:
            cases.append(case)
    return cases


def _case(
    rng: random.Random, taste: Any, leaves: dict[str, list[Item]], case_id: str
) -> SearchCase | None:
    liked = [c for c in taste.categories if any(leaf.startswith(c) for leaf in leaves)]
    if not liked:
        return None
    prefix = rng.choices(liked, weights=[taste.categories[c] for c in liked])[0]
    category = rng.choice(sorted(leaf for leaf in leaves if leaf.startswith(prefix)))
    items = leaves[category]
    attribute = None
    if rng.random() < 0.7:
        choices = _attribute_choices(taste, items)
        attribute = rng.choice(choices) if choices else None
    brands = sorted({i.brand for i in items if taste.brands.get(i.brand, 0) > 1.5})
    brand = rng.choice(brands) if brands and attribute is None and rng.random() < 0.5 else None
    draft = SearchCase(id=case_id, text="", category=category, attribute=attribute, brand=brand)
    others = sorted({i.brand for i in items if i.brand and i.brand != brand})
    if brand is None and others and rng.random() < 0.25:
        draft.excluded_brand = rng.choice(others)
    prices = [i.price_cents for i in items if draft.matches(i)]
    draft.max_cents = _budget(rng, prices)
    relevant = frozenset(i.sku for i in items if draft.matches(i))
    if not relevant:
        return None
    text = rng.choice(OPENERS) + _phrase(_noun(category, rng.random() < 0.5), attribute, brand)
    if draft.excluded_brand is not None:
        text += " " + rng.choice(EXCLUSIONS).format(draft.excluded_brand)
    if draft.max_cents is not None:
        text += " " + rng.choice(BUDGETS).format(draft.max_cents // 100)
    draft.text = text
    draft.relevant = relevant
    return draft
