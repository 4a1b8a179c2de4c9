"""Similar items and items bought together, as the recommend tools return them.

Similar items are alternatives from the same department: content ("described alike") first,
then co-occurrence ("shoppers who looked at this also looked at") and learned similarity,
each normalised to 0-1 and weighted by `SIMILAR_WEIGHTS`. Other variants of the same
product and out-of-stock items are left out, and each product appears once; what goes
*with* an item is `bought_together`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field

from tools.baskets import BoughtTogether
from tools.inventory import StockLevel
from tools.profiles import ItemInfo
from tools.recommend.base import Scored
from tools.recommend.candidates import Candidates
from tools.recommend.catalog import Catalog
from tools.recommend.results import Reason, ReasonCode
from tools.recommend.stock import StockLevels

SIMILAR_WEIGHTS = {"content": 1.0, "cooccurrence": 0.6, "embedding": 0.4}
SIMILAR_REASONS = {
    "cooccurrence": (ReasonCode.ALSO_VIEWED, "shoppers who looked at this also looked at it"),
    "content": (ReasonCode.SIMILAR_TO, "described much like it"),
    "embedding": (ReasonCode.LEARNED, "chosen by shoppers with the same taste"),
}


class SimilarItem(BaseModel):
    """An item like the one asked about."""

    model_config = ConfigDict(frozen=True)

    sku: str
    title: str
    brand: str
    category: str
    price_cents: int
    score: float
    low_stock: bool = False
    reasons: list[Reason]


class BoughtTogetherItem(BaseModel):
    """An item often bought with the given ones, and the rule that says so."""

    model_config = ConfigDict(frozen=True)

    sku: str
    title: str
    price_cents: int
    lift: float = Field(description="How much likelier with the basket than without")
    confidence: float = Field(description="Share of baskets with the basket that also held it")
    because: list[str] = Field(description="The basket items the rule starts from")

    @classmethod
    def of(cls, found: BoughtTogether, catalog: Catalog) -> BoughtTogetherItem:
        """The tool's view of a basket suggestion."""
        item = catalog.item(found.item)
        return cls(
            sku=found.item,
            title=item.title if item else found.item,
            price_cents=item.price_cents if item else 0,
            lift=round(found.lift, 6),
            confidence=round(found.confidence, 6),
            because=list(found.because),
        )


def _blend(found: Mapping[str, Sequence[Scored]], catalog: Catalog) -> dict[str, dict[str, float]]:
    """Each proposed sku's normalised score from every source that proposed it."""
    candidates = Candidates(catalog=catalog)
    for source in sorted(found):
        candidates.add(source, found[source])
    parts_of: dict[str, dict[str, float]] = {}
    for source, (positions, values) in candidates.by_source.items():
        for at, value in zip(positions.tolist(), values.tolist(), strict=True):
            parts_of.setdefault(catalog.skus[at], {})[source] = value
    return parts_of


def _similar_item(
    item: ItemInfo, parts: Mapping[str, float], *, score: float, low_stock: bool
) -> SimilarItem:
    ordered = sorted(parts, key=lambda s: (-parts[s] * SIMILAR_WEIGHTS.get(s, 0.0), s))
    return SimilarItem(
        sku=item.sku,
        title=item.title,
        brand=item.brand,
        category=item.category,
        price_cents=item.price_cents,
        score=round(score, 6),
        low_stock=low_stock,
        reasons=[
            Reason(code=SIMILAR_REASONS[s][0], text=SIMILAR_REASONS[s][1])
            for s in ordered
            if s in SIMILAR_REASONS
        ],
    )


def similar_from(
    found: Mapping[str, Sequence[Scored]],
    *,
    catalog: Catalog,
    sku: str,
    k: int,
    stock: StockLevels,
) -> list[SimilarItem]:
    """The blended top k of the item's department, one variant per product, in stock."""
    own = catalog.item(sku)
    groups = {own.variant_group} if own and own.variant_group else set()
    parts_of = _blend(found, catalog)
    scored = sorted(
        (-sum(SIMILAR_WEIGHTS.get(s, 0.0) * v for s, v in parts.items()), other)
        for other, parts in parts_of.items()
    )
    out: list[SimilarItem] = []
    for negative, other in scored:
        item, level = catalog.item(other), stock.level(other)
        if item is None or level is StockLevel.OUT or (own and item.department != own.department):
            continue
        if item.variant_group and item.variant_group in groups:
            continue
        groups.add(item.variant_group)
        low = level is StockLevel.LOW
        out.append(_similar_item(item, parts_of[other], score=-negative, low_stock=low))
        if len(out) == k:
            break
    return out
