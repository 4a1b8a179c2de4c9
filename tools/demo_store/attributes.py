"""Drawing a product's attribute values and its variant axes from the category spec."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping

from tools.demo_store.taxonomy import AttributeSpec, AttrValue, CategorySpec, Scalar

MAX_VARIANTS = 12

VariantAxis = tuple[AttributeSpec, list[Scalar]]


def draw_value(rng: random.Random, *, attr: AttributeSpec) -> AttrValue:
    """One value of an attribute, as stored in the product's JSON attributes."""
    if attr.kind == "flag":
        return rng.random() < attr.p
    if attr.kind == "number":
        return _draw_number(rng, attr.number)
    if attr.kind == "compose":
        return " ".join(rng.choice(part) for part in attr.parts)
    if attr.kind == "some":
        lo, hi = attr.count
        k = min(rng.randint(lo, hi), len(attr.values))
        picked = sorted(rng.sample(range(len(attr.values)), k))
        return [str(attr.values[i]) for i in picked]
    return rng.choice(attr.values)


def _draw_number(rng: random.Random, bounds: tuple[float, float, float]) -> int | float:
    lo, hi, step = bounds
    steps = round((hi - lo) / step)
    value = lo + step * rng.randint(0, steps)
    if float(step).is_integer() and float(lo).is_integer():
        return int(value)
    return round(value, 2)


def draw_attributes(rng: random.Random, *, spec: CategorySpec, leaf: str) -> dict[str, AttrValue]:
    """The values shared by every variant of a product (variant axes excluded)."""
    return {
        attr.key: draw_value(rng, attr=attr)
        for attr in spec.attributes_for(leaf)
        if attr.variant is None
    }


def draw_axes(rng: random.Random, *, spec: CategorySpec, leaf: str) -> list[VariantAxis]:
    """The variant axes of a product: for each, a contiguous run of the spec's values."""
    axes: list[VariantAxis] = []
    for attr in spec.attributes_for(leaf):
        if attr.variant is None:
            continue
        lo, hi = attr.variant
        k = max(1, min(rng.randint(lo, hi), len(attr.values)))
        start = rng.randint(0, len(attr.values) - k)
        axes.append((attr, list(attr.values[start : start + k])))
    return axes


def variant_combinations(axes: list[VariantAxis]) -> list[dict[str, Scalar]]:
    """Every combination of the axes' values, trimmed to at most MAX_VARIANTS."""
    trimmed = [(attr, list(values)) for attr, values in axes]
    while _combination_count(trimmed) > MAX_VARIANTS:
        widest = max(trimmed, key=lambda axis: len(axis[1]))
        widest[1].pop()
    keys = [attr.key for attr, _ in trimmed]
    return [
        dict(zip(keys, combo, strict=True))
        for combo in itertools.product(*(values for _, values in trimmed))
    ]


def _combination_count(axes: list[VariantAxis]) -> int:
    count = 1
    for _, values in axes:
        count *= len(values)
    return count


def price_factor(axes: list[VariantAxis], combo: dict[str, Scalar]) -> float:
    """How much a variant's price exceeds the product's base price (bigger sizes cost more)."""
    factor = 1.0
    for attr, _ in axes:
        if attr.price_step:
            factor *= 1.0 + attr.price_step * attr.values.index(combo[attr.key])
    return factor


def matches(attributes: Mapping[str, AttrValue], key: str, value: Scalar) -> bool:
    """Whether an attribute equals a value, or (for list attributes) contains it."""
    current = attributes.get(key)
    if isinstance(current, list):
        return value in current
    return current == value and type(current) is type(value)
