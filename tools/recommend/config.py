"""The ranker's weights, in one typed config with documented defaults.

An item's score is its relevance (the weighted, normalised scores of the candidate sources
that proposed it) plus each term's weight times the term's value, plus the merchandising
weight times the matching rules' boosts less their buries. Term values are small, signed
and centred where they can be: 0 means "no information" (an unknown unit cost, a shopper
without affinities), so a missing signal never moves an item.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SourceWeights(BaseModel):
    """How much each candidate source's (normalised, 0-1) score counts toward relevance."""

    model_config = ConfigDict(frozen=True)

    cooccurrence: float = Field(default=0.65, ge=0, description="Co-viewed / co-bought items")
    content: float = Field(default=0.45, ge=0, description="Items described like their taste")
    popularity: float = Field(default=1.4, ge=0, description="Popular in their departments")
    embedding: float = Field(default=1.5, ge=0, description="Learned embeddings, when trained")
    history: float = Field(default=1.45, ge=0, description="Viewed or carted, not bought")
    repurchase: float = Field(default=1.5, ge=0, description="Bought before, re-bought often")
    together: float = Field(default=0.5, ge=0, description="Bought together with their basket")
    given: float = Field(default=1.0, ge=0, description="The caller's own order (rank_candidates)")


class RankerConfig(BaseModel):
    """Weights and limits of the ranker.

    The defaults were fitted on a held-out demo store (seed 11; a logistic regression of
    "was bought next" on the terms, rounded) and checked on the seed-7 store; the department
    affinity adds nothing beyond the department-weighted popularity source, so it is off.
    """

    model_config = ConfigDict(frozen=True)

    sources: SourceWeights = SourceWeights()
    candidates_per_source: int = Field(default=100, ge=10, le=5000)
    department: float = Field(default=0.0, description="x department affinity (0-1, top = 1)")
    brand: float = Field(default=0.75, description="x brand affinity (0-1, top = 1)")
    attributes: float = Field(default=1.0, description="x liked attribute values matched (0-1)")
    price_fit: float = Field(default=0.4, description="x fit of price to sensitivity (-1..1)")
    propensity: float = Field(default=0.2, description="x view-to-purchase rate vs average")
    margin: float = Field(default=0.05, description="x margin rate vs median; unknown cost: 0")
    overstock: float = Field(default=0.05, description="Added for overstocked items")
    low_stock: float = Field(default=0.0, description="Subtracted for low stock (always flagged)")
    new_from_brand: float = Field(default=0.25, description="New item from a brand they like")
    new_days: int = Field(default=30, ge=1, description="How long an item counts as new")
    merchandising: float = Field(default=2.0, ge=0, description="x boost weight (bury: minus)")
    max_pinned: int = Field(default=3, ge=0, description="Pinned items shown on top at most")
    diversity: float = Field(default=0.15, ge=0, description="MMR: x likeness to items above")
    max_per_brand: int = Field(default=4, ge=1, description="Items of one brand per list")
    max_per_product: int = Field(
        default=2, ge=1, description="Variants (sizes, colours) of one product per list"
    )
    repurchase_min_rate: float = Field(
        default=0.15,
        ge=0,
        le=1,
        description="Bought items come back only in departments "
        "whose purchases re-buy at least this often",
    )
    hard_avoid: bool = Field(default=True, description="Stated avoids remove items outright")
