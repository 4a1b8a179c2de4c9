"""A synthetic catalog and shopper queries of any size, for benchmarks (deterministic per seed)."""

from __future__ import annotations

import random

from tools.search.records import CatalogRecord

DEPARTMENTS: dict[str, dict[str, list[str]]] = {
    "beauty": {
        "skin care": ["moisturizer", "cleanser", "serum", "sunscreen", "face mask", "toner"],
        "hair care": ["shampoo", "conditioner", "hair oil", "styling gel"],
        "body care": ["body lotion", "body wash", "hand cream", "deodorant"],
    },
    "apparel": {
        "shoes": ["boots", "sneakers", "sandals", "loafers", "running shoes"],
        "outerwear": ["jacket", "raincoat", "parka", "vest", "fleece"],
        "tops": ["t-shirt", "sweater", "hoodie", "blouse", "polo shirt"],
        "accessories": ["scarf", "belt", "wallet", "backpack", "beanie", "tote bag"],
    },
    "home": {
        "kitchen": ["skillet", "chef knife", "mixing bowl", "kettle", "coffee grinder"],
        "bedding": ["duvet", "pillow", "sheet set", "throw blanket"],
        "decor": ["candle", "vase", "picture frame", "table lamp"],
    },
    "outdoor": {
        "camping": ["tent", "sleeping bag", "camp stove", "headlamp", "camp chair"],
        "hydration": ["water bottle", "insulated tumbler", "hydration pack"],
    },
    "grocery": {
        "coffee": ["coffee beans", "ground coffee", "cold brew"],
        "snacks": ["granola", "trail mix", "dark chocolate", "protein bar"],
        "pantry": ["olive oil", "pasta", "honey", "oat milk"],
    },
}
COLORS = ["black", "white", "navy", "red", "green", "grey", "tan", "olive", "blue", "pink"]
MATERIALS = ["leather", "cotton", "wool", "nylon", "canvas", "linen", "polyester", "suede"]
ADJECTIVES = [
    "classic", "lightweight", "organic", "everyday", "premium", "compact", "waterproof",
    "gentle", "insulated", "recycled", "handmade", "travel", "soft", "durable", "vintage",
]  # fmt: skip
BRAND_PARTS = ["north", "trail", "bloom", "derma", "oak", "river", "stone", "sun", "urban", "wild"]
BRAND_ENDS = ["co", "works", "lab", "wear", "goods", "house", "craft", "line"]
SENTENCES = [
    "Made for {use} with a {adj} {material} finish.",
    "A {adj} choice loved by shoppers who want {use}.",
    "Our best {type} for {use}, now in {color}.",
    "Designed in small batches; care instructions included.",
    "Pairs well with other {dept} favourites.",
]
USES = ["daily wear", "sensitive skin", "long hikes", "busy mornings", "travel", "gifting"]


def _brands(rng: random.Random, count: int) -> list[str]:
    names = {f"{a.title()}{b}" for a in BRAND_PARTS for b in BRAND_ENDS}
    return sorted(rng.sample(sorted(names), min(count, len(names))))


def _attributes(rng: random.Random, dept: str, color: str, material: str) -> dict[str, object]:
    attributes: dict[str, object] = {"color": color}
    if dept == "beauty":
        attributes |= {"fragrance_free": rng.random() < 0.4, "vegan": rng.random() < 0.3}
        attributes["skin_type"] = rng.sample(["dry", "oily", "sensitive", "normal"], k=2)
    elif dept == "apparel":
        attributes |= {"material": material, "size": rng.choice(["XS", "S", "M", "L", "XL"])}
    elif dept == "outdoor":
        attributes |= {"waterproof": rng.random() < 0.5, "weight_g": rng.randrange(100, 3000)}
    elif dept == "grocery":
        attributes |= {"organic": rng.random() < 0.5, "vegan": rng.random() < 0.6}
    return attributes


def synthetic_catalog(size: int, *, seed: int = 7) -> list[CatalogRecord]:
    """`size` products with titles, brands, category paths, attributes and descriptions."""
    rng = random.Random(seed)
    brands = _brands(rng, 80)
    paths = [(d, g, t) for d, groups in DEPARTMENTS.items() for g, ts in groups.items() for t in ts]
    records = []
    for i in range(size):
        dept, group, kind = rng.choice(paths)
        color, material, adj = rng.choice(COLORS), rng.choice(MATERIALS), rng.choice(ADJECTIVES)
        words = {"use": rng.choice(USES), "adj": adj, "material": material}
        words |= {"type": kind, "color": color, "dept": dept}
        description = " ".join(s.format(**words) for s in rng.sample(SENTENCES, k=3))
        records.append(
            CatalogRecord(
                sku=f"SYN-{i:07d}",
                title=f"{adj.title()} {color} {kind} {rng.randrange(1, 400)}",
                list_price_cents=rng.randrange(299, 30_000),
                description=description,
                brand=rng.choice(brands),
                category=f"{dept}/{group}/{kind}",
                attributes=_attributes(rng, dept, color, material),
                tags=tuple(rng.sample(["new", "bestseller", "gift", "sale", "eco"], k=2)),
            )
        )
    return records


def synthetic_queries(count: int, *, seed: int = 11) -> list[str]:
    """`count` distinct shopper queries in the vocabulary of `synthetic_catalog`."""
    rng = random.Random(seed)
    kinds = sorted({t for groups in DEPARTMENTS.values() for ts in groups.values() for t in ts})
    shapes = [
        "{adj} {kind}",
        "{color} {material} {kind}",
        "{kind} for {use}",
        "{adj} {color} {kind} for {use}",
        "something {adj} to give as a gift",
        "{material} {kind} that lasts",
    ]
    queries: dict[str, None] = {}
    while len(queries) < count:
        shape = rng.choice(shapes)
        words = {"adj": rng.choice(ADJECTIVES), "kind": rng.choice(kinds)}
        words |= {"color": rng.choice(COLORS), "material": rng.choice(MATERIALS)}
        words["use"] = rng.choice(USES)
        queries[shape.format(**words)] = None
    return list(queries)
