"""A small hand-made store for search tests, and a fake deterministic encoder."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Engine

from tools.embeddings import Vectors
from tools.search import CatalogIndex, load_or_build
from tools.search.tokens import tokenize
from tools.store import InventoryLevel, Location, Order, OrderLine, Product, Shopper, transaction


class HashingEncoder:
    """Hashed bag-of-words vectors: deterministic, instant, and counts its calls."""

    model_id = "hashing-bow"
    dimension = 64

    def __init__(self) -> None:
        self.encode_calls = 0
        self.encoded_texts = 0

    def _vector(self, text: str) -> Vectors:
        vector = np.zeros(self.dimension, dtype=np.float32)
        for token in tokenize(text):
            digest = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest())
            vector[digest % self.dimension] += 1.0 if digest & (1 << 40) else -1.0
        norm = float(np.linalg.norm(vector))
        if norm == 0.0:
            vector[0] = 1.0
            return vector
        return vector / norm

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.encode_calls += 1
        self.encoded_texts += len(texts)
        return np.array([self._vector(t) for t in texts], dtype=np.float32).reshape(
            len(texts), self.dimension
        )

    def encode_query(self, text: str) -> Vectors:
        return self._vector(text)


def _p(
    sku: str, title: str, brand: str, category: str, price: int, **attributes: Any
) -> dict[str, Any]:
    tags = attributes.pop("tags", [])
    return {
        "sku": sku,
        "variant_group": sku,
        "title": title,
        "brand": brand,
        "category": category,
        "list_price_cents": price,
        "attributes": attributes,
        "tags": tags,
        "description": attributes.pop("description", ""),
    }


SKIN = "beauty/skin care"
BOOTS = "apparel/shoes/boots"
JACKETS = "apparel/outerwear/jackets"

PRODUCTS = [
    _p("SKU-001", "Calm Skin Fragrance-Free Moisturizer", "Dermaco", f"{SKIN}/moisturizers", 2400,
       fragrance_free=True, skin_type=["sensitive", "dry"], vegan=True, size_ml=50,
       tags=["hypoallergenic"], description="A gentle daily cream for sensitive skin."),
    _p("SKU-002", "Rose Glow Scented Moisturizer", "Bloom", f"{SKIN}/moisturizers", 1800,
       fragrance_free=False, skin_type=["normal"], vegan=False),
    _p("SKU-003", "Daily Hydrating Face Cream", "Dermaco", f"{SKIN}/moisturizers", 3500,
       skin_type=["dry"]),
    _p("SKU-004", "Gentle Foaming Cleanser", "Bloom", f"{SKIN}/cleansers", 1200,
       fragrance_free=True),
    _p("SKU-005", "Mineral Sunscreen SPF 30", "SunWise", f"{SKIN}/sunscreen", 1500,
       spf=30, fragrance_free=True),
    _p("SKU-006", "Classic Leather Chelsea Boots", "Northway", BOOTS, 12900,
       material="leather", color="brown"),
    _p("SKU-007", "Waterproof Hiking Boots", "TrailCo", BOOTS, 9900,
       material="synthetic", waterproof=True, color="black"),
    _p("SKU-008", "Vegan Suede Ankle Boots", "Northway", BOOTS, 8900,
       material="microfiber", vegan=True),
    _p("SKU-009", "Weekend Duffel Bag", "Northway", "apparel/bags", 15900, material="Leather"),
    _p("SKU-010", "Canvas Tote Bag", "TrailCo", "apparel/bags", 2900, material="canvas"),
    _p("SKU-011", "Insulated Down Jacket", "TrailCo", JACKETS, 19900,
       material="nylon", color=["black", "navy"]),
    _p("SKU-012", "Rain Shell Jacket", "TrailCo", JACKETS, 12900, waterproof=True,
       material="nylon"),
    _p("SKU-013", "Faux Leather Moto Jacket", "Northway", JACKETS, 8900,
       material="polyurethane", tags=["biker"]),
    _p("SKU-014", "Organic Oat Milk", "FarmFresh", "grocery/dairy alternatives", 499,
       organic=True, vegan=True),
    _p("SKU-015", "Dark Roast Coffee Beans", "Bean There", "grocery/coffee", 1399,
       organic=False, roast="dark"),
    _p("SKU-016", "Light Roast Coffee Beans", "Bean There", "grocery/coffee", 1299, roast="light"),
    _p("SKU-017", "Stainless Steel Water Bottle", "TrailCo", "outdoor/hydration", 2500,
       capacity_ml=750),
    _p("SKU-018", "Camping Tent for Two", "TrailCo", "outdoor/camping/tents", 24900,
       capacity=2, waterproof=True),
    _p("SKU-019", "Skin Care Gift Set", "Bloom", "beauty/skin care sets", 4500,
       fragrance_free=False),
    _p("SKU-020", "Lavender Body Lotion", "Bloom", "beauty/body care", 1600,
       fragrance_free=False, scent="lavender", tags=["leather-free packaging"]),
]  # fmt: skip

LOCATIONS = [
    Location(id="store-sf", name="SF", kind="store", same_day_pickup=True, timezone="US/Pacific"),
    Location(id="store-ny", name="NY", kind="store", same_day_pickup=False, timezone="US/Eastern"),
    Location(id="wh-1", name="Warehouse", kind="warehouse", timezone="UTC"),
]

# (sku, location, on hand, reserved); everything not listed here sits in the warehouse
STOCK = [
    ("SKU-001", "store-sf", 5, 0),
    ("SKU-002", "store-sf", 3, 3),
    ("SKU-007", "store-sf", 2, 0),
    ("SKU-014", "store-sf", 10, 0),
    ("SKU-001", "store-ny", 4, 1),
    ("SKU-003", "store-ny", 6, 0),
    ("SKU-006", "store-ny", 2, 0),
    ("SKU-008", "store-ny", 1, 0),
]
WAREHOUSE_SKUS = [p["sku"] for p in PRODUCTS if p["sku"] not in {"SKU-018", "SKU-019"}]

SALES = {"SKU-014": 5, "SKU-001": 3, "SKU-007": 1}


def seed_store(engine: Engine) -> None:
    """Insert the test catalog, locations, stock and a few orders."""
    with transaction(engine) as session:
        session.add_all(Product.model_validate(p) for p in PRODUCTS)
        session.add_all(Location.model_validate(loc.model_dump()) for loc in LOCATIONS)
        session.flush()
        for sku, location, on_hand, reserved in STOCK:
            session.add(
                InventoryLevel(sku=sku, location_id=location, on_hand=on_hand, reserved=reserved)
            )
        for sku in WAREHOUSE_SKUS:
            session.add(InventoryLevel(sku=sku, location_id="wh-1", on_hand=50))
        session.add(Shopper(id="S1", name="Ana"))
        session.flush()
        session.add(Order(id="O1", shopper_id="S1", status="delivered"))
        session.flush()
        for line_no, (sku, units) in enumerate(sorted(SALES.items())):
            session.add(OrderLine(order_id="O1", line_no=line_no, sku=sku, quantity=units))


@pytest.fixture
def encoder() -> HashingEncoder:
    return HashingEncoder()


@pytest.fixture
def store(sqlite_engine: Engine) -> Engine:
    seed_store(sqlite_engine)
    return sqlite_engine


@pytest.fixture
def index(store: Engine, tmp_path: Path, encoder: HashingEncoder) -> CatalogIndex:
    return load_or_build(engine=store, data_dir=tmp_path / "data", encoder=encoder)
