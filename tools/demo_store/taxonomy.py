"""The demo store's catalog vocabulary (taxonomy.yaml) as typed, read-only specs."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

from tools.demo_store.exceptions import TaxonomyError
from tools.demo_store.stock import STOCK_STATES

Scalar = str | int | float | bool
AttrValue = Scalar | list[str]
AttrKind = Literal["one", "some", "flag", "number", "compose"]

TAXONOMY_FILE = Path(__file__).with_name("taxonomy.yaml")
TIER_FACTORS: dict[str, float] = {"value": 0.75, "mid": 1.0, "premium": 1.6}


@dataclass(frozen=True, eq=False)
class AttributeSpec:
    """How one attribute of a category is drawn and how it reads in text."""

    name: str
    key: str
    kind: AttrKind
    values: tuple[Scalar, ...] = ()
    count: tuple[int, int] = (1, 1)
    p: float = 0.0
    number: tuple[float, float, float] = (0.0, 0.0, 1.0)
    parts: tuple[tuple[str, ...], ...] = ()
    variant: tuple[int, int] | None = None
    only: frozenset[str] = frozenset()
    place: str = ""
    phrase: str = "{}"
    describe: str = ""
    tag: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    price_step: float = 0.0
    regulated_when_true: bool = False

    def applies_to(self, leaf: str) -> bool:
        """Whether products of this leaf carry the attribute."""
        return not self.only or leaf in self.only

    def label(self, value: Scalar) -> str:
        """How a single value reads in text."""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return self.labels.get(str(value), str(value))


@dataclass(frozen=True)
class Brand:
    """A brand, its price tier and whether it sets a minimum advertised price."""

    name: str
    tier: str
    factor: float
    map_policy: bool


@dataclass(frozen=True)
class Leaf:
    """The third level of a category path: one kind of product."""

    slug: str
    noun: str
    price_factor: float = 1.0
    age_restricted: bool = False
    regulated: bool = False


@dataclass(frozen=True)
class Showcase:
    """A product every build makes, so that example requests always have answers."""

    leaf: str
    attributes: dict[str, AttrValue]
    max_price: int | None
    stock: str | None


@dataclass(frozen=True)
class CategorySpec:
    """A two-level category with its brands, leaves, attributes and economics."""

    path: str
    weight: float
    price_range: tuple[int, int]
    margin_range: tuple[float, float]
    repurchase: float
    return_rate: float
    age_restricted: bool
    regulated: bool
    brands: tuple[Brand, ...]
    leaves: tuple[Leaf, ...]
    attributes: tuple[AttributeSpec, ...]
    title: str
    blurbs: tuple[str, ...]
    by_leaf: dict[str, tuple[AttributeSpec, ...]] = field(default_factory=dict)
    showcase: tuple[Showcase, ...] = ()

    def leaf(self, slug: str) -> Leaf:
        """The leaf with this slug."""
        for leaf in self.leaves:
            if leaf.slug == slug:
                return leaf
        raise KeyError(f"{self.path} has no leaf {slug!r}")

    def attributes_for(self, leaf: str) -> tuple[AttributeSpec, ...]:
        """The attributes products of this leaf carry, in taxonomy order."""
        found = self.by_leaf.get(leaf)
        if found is None:
            found = tuple(a for a in self.attributes if a.applies_to(leaf))
        return found

    def reference_price(self, leaf: str) -> float:
        """The typical list price (cents) of a mid-tier product of this leaf."""
        lo, hi = self.price_range
        factor = next((lf.price_factor for lf in self.leaves if lf.slug == leaf), None)
        if factor is None:
            raise KeyError(f"{self.path} has no leaf {leaf!r}")
        return math.sqrt(lo * hi) * factor

    def brand(self, name: str) -> Brand | None:
        """The brand with this name, if this category sells it."""
        return next((b for b in self.brands if b.name == name), None)


@dataclass(frozen=True)
class Taxonomy:
    """Every category of the demo store, and a version that changes with the vocabulary."""

    categories: tuple[CategorySpec, ...]
    version: str

    def spec(self, path: str) -> CategorySpec:
        """The category spec for a two-level path or any product category path under it."""
        head = "/".join(path.split("/")[:2])
        for spec in self.categories:
            if spec.path == head:
                return spec
        raise KeyError(f"no demo category {head!r}")


@lru_cache(maxsize=4)
def load_taxonomy(path: Path = TAXONOMY_FILE) -> Taxonomy:
    """Load and check a taxonomy file; its version is a hash of the file's bytes."""
    raw = path.read_bytes()
    data = yaml.safe_load(raw)
    try:
        specs = tuple(_category(item) for item in data["categories"])
    except (KeyError, TypeError, ValueError) as exc:
        raise TaxonomyError(f"{path.name}: {exc!r}") from exc
    return Taxonomy(categories=specs, version=hashlib.sha256(raw).hexdigest()[:12])


def _category(item: dict[str, Any]) -> CategorySpec:
    path = str(item["path"])
    if path.count("/") != 1:
        raise ValueError(f"category path {path!r} must have two levels")
    leaves = tuple(_leaf(slug, spec or {}) for slug, spec in item["leaves"].items())
    slugs = {leaf.slug for leaf in leaves}
    attributes = tuple(_attribute(name, spec) for name, spec in item["attributes"].items())
    for attr in attributes:
        if attr.only - slugs:
            raise ValueError(f"{path}.{attr.name}: unknown leaves {sorted(attr.only - slugs)}")
    lo, hi = (float(m) for m in item["margin"])
    if not 0.10 <= lo <= hi <= 0.70:
        raise ValueError(f"{path}: margins must lie within 0.10..0.70")
    return CategorySpec(
        path=path,
        weight=float(item["weight"]),
        price_range=(int(item["price"][0]), int(item["price"][1])),
        margin_range=(lo, hi),
        repurchase=float(item.get("repurchase", 0.05)),
        return_rate=float(item.get("returns", 0.05)),
        age_restricted=bool(item.get("age_restricted", False)),
        regulated=bool(item.get("regulated", False)),
        brands=_brands(item["brands"], set(item.get("map_brands", []))),
        leaves=leaves,
        attributes=attributes,
        title=str(item.get("title", "{brand} {before} {noun} {after}")),
        blurbs=tuple(str(b) for b in item.get("blurbs", [])),
        by_leaf={
            leaf.slug: tuple(a for a in attributes if a.applies_to(leaf.slug)) for leaf in leaves
        },
        showcase=tuple(_showcase(path, s, attributes, slugs) for s in item.get("showcase", ())),
    )


def _brands(tiers: dict[str, list[str]], map_brands: set[str]) -> tuple[Brand, ...]:
    brands = tuple(
        Brand(name=name, tier=tier, factor=TIER_FACTORS[tier], map_policy=name in map_brands)
        for tier, names in tiers.items()
        for name in names
    )
    unknown = map_brands - {b.name for b in brands}
    if unknown:
        raise ValueError(f"map_brands not among the brands: {sorted(unknown)}")
    return brands


def _leaf(slug: str, spec: dict[str, Any]) -> Leaf:
    return Leaf(
        slug=slug,
        noun=str(spec.get("noun", slug.replace("-", " "))),
        price_factor=float(spec.get("price", 1.0)),
        age_restricted=bool(spec.get("age_restricted", False)),
        regulated=bool(spec.get("regulated", False)),
    )


def _kind(spec: dict[str, Any]) -> AttrKind:
    if "compose" in spec:
        return "compose"
    if "range" in spec:
        return "number"
    if "p" in spec:
        return "flag"
    return "some" if "some" in spec else "one"


def _attribute(name: str, spec: dict[str, Any]) -> AttributeSpec:
    kind = _kind(spec)
    values = tuple(spec.get("values", ()))
    if kind in ("one", "some") and not values:
        raise ValueError(f"attribute {name!r} needs values")
    return AttributeSpec(
        name=name,
        key=str(spec.get("key", name)),
        kind=kind,
        values=values,
        count=_int_pair(spec.get("some", (1, 1))),
        p=float(spec.get("p", 0.0)),
        number=_number_range(spec.get("range", (0, 0, 1))),
        parts=tuple(tuple(str(w) for w in part) for part in spec.get("compose", ())),
        variant=_int_pair(spec["variant"]) if "variant" in spec else None,
        only=frozenset(spec.get("only", ())),
        place=str(spec.get("place", "")),
        phrase=str(spec.get("phrase", "{}")),
        describe=str(spec.get("describe", "")),
        tag=bool(spec.get("tag", False)),
        labels={str(k): str(v) for k, v in spec.get("labels", {}).items()},
        price_step=float(spec.get("price_step", 0.0)),
        regulated_when_true=bool(spec.get("regulated_when_true", False)),
    )


def _int_pair(value: Any) -> tuple[int, int]:
    lo, hi = value
    if not 0 <= int(lo) <= int(hi):
        raise ValueError(f"bad range {value!r}")
    return int(lo), int(hi)


def _number_range(value: Any) -> tuple[float, float, float]:
    lo, hi, step = value
    if float(step) <= 0 or float(hi) < float(lo):
        raise ValueError(f"bad number range {value!r}")
    return float(lo), float(hi), float(step)


def _showcase(
    path: str, spec: dict[str, Any], attributes: tuple[AttributeSpec, ...], slugs: set[str]
) -> Showcase:
    leaf = str(spec["leaf"])
    if leaf not in slugs:
        raise ValueError(f"{path} showcase: unknown leaf {leaf!r}")
    if spec.get("stock") not in (None, *(state for state, _ in STOCK_STATES)):
        raise ValueError(f"{path} showcase {leaf}: unknown stock state {spec['stock']!r}")
    fixed = dict(spec.get("attributes", {}))
    keys = {a.key for a in attributes if a.applies_to(leaf)}
    if fixed.keys() - keys:
        raise ValueError(
            f"{path} showcase {leaf}: unknown attributes {sorted(fixed.keys() - keys)}"
        )
    max_price = spec.get("max_price")
    return Showcase(
        leaf=leaf,
        attributes=fixed,
        max_price=int(max_price) if max_price is not None else None,
        stock=spec.get("stock"),
    )
