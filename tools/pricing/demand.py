"""Price response: per-category elasticities and the conversion curve they imply.

An elasticity here is the own-price elasticity of a session's purchase at the moment of the
decision: the % change in P(buy) per 1% change in what the shopper pays, for a shopper of
average price sensitivity. Where it comes from, most specific first:

1. a brand-choice logit fitted on purchase panels (`ChoiceResponse`, see `tools.pricing.choice`)
   for the category paths it is mapped to;
2. a fit on the store's own events: conversion of views at different prices
   (`tools.pricing.fitting`);
3. the default of the category's family (its first path segment) below: priors around the
   meta-analytic mean of retail price elasticities (about -2.6, Bijmolt, van Heerde and Pieters
   2005), lower for staples and replenishment (grocery, pet, health), higher for considered
   and easily compared goods (electronics).
"""

from __future__ import annotations

import hashlib
import math
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field

from tools.pricing.choice import ChoiceResponse

DEFAULT_FAMILY_ELASTICITY: dict[str, float] = {
    "apparel": -2.0,
    "footwear": -2.0,
    "beauty": -1.6,
    "fragrance": -1.7,
    "grocery": -1.4,
    "electronics": -2.4,
    "home": -1.8,
    "kitchen": -1.8,
    "outdoor": -1.9,
    "toys": -2.0,
    "pet": -1.3,
    "sports": -1.9,
    "books": -1.5,
    "health": -1.3,
}
FALLBACK_ELASTICITY = -1.8
AVERAGE_SENSITIVITY = 0.5
MIN_SENSITIVITY_FACTOR = 0.1
MAX_SENSITIVITY_FACTOR = 2.0
MIN_BASE, MAX_BASE = 0.005, 0.97
SATURATION = 0.5


class ElasticityEstimate(BaseModel):
    """An elasticity and where it came from."""

    model_config = ConfigDict(frozen=True)

    value: float = Field(lt=0, description="% change in P(buy) per 1% change in price")
    source: str = Field(description="choice_model, store_events or family_default")
    detail: str = Field(default="", description="Which model, fit or family")


class DemandModel(BaseModel):
    """Elasticities by category: choice models, then store fits, then family defaults."""

    model_config = ConfigDict(frozen=True)

    choice: tuple[ChoiceResponse, ...] = ()
    fitted: dict[str, ElasticityEstimate] = Field(
        default_factory=dict, description="By category path prefix"
    )
    family_defaults: dict[str, float] = Field(
        default_factory=lambda: dict(DEFAULT_FAMILY_ELASTICITY)
    )

    @cached_property
    def fingerprint(self) -> str:
        """A digest of the model's contents (part of every decision id)."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:16]

    def elasticity(self, *, category: str, brand: str = "") -> ElasticityEstimate:
        """The elasticity for a product of this category and brand."""
        for response in self.choice:
            if response.covers(category):
                return ElasticityEstimate(
                    value=response.elasticity(brand),
                    source="choice_model",
                    detail=response.name,
                )
        prefix = _longest_prefix(category, self.fitted)
        if prefix is not None:
            return self.fitted[prefix]
        family = category.split("/", 1)[0]
        value = self.family_defaults.get(family, FALLBACK_ELASTICITY)
        detail = family if family in self.family_defaults else "*"
        return ElasticityEstimate(value=value, source="family_default", detail=detail)


def _longest_prefix(category: str, table: dict[str, ElasticityEstimate]) -> str | None:
    best: str | None = None
    for prefix in table:
        if (category == prefix or category.startswith(prefix + "/")) and (
            best is None or len(prefix) > len(best)
        ):
            best = prefix
    return best


def sensitivity_factor(price_sensitivity: float | None) -> float:
    """How much more (or less) price-responsive this shopper is than the average shopper."""
    if price_sensitivity is None:
        return 1.0
    factor = price_sensitivity / AVERAGE_SENSITIVITY
    return min(MAX_SENSITIVITY_FACTOR, max(MIN_SENSITIVITY_FACTOR, factor))


def conversion(*, base: float, elasticity: float, saving: float) -> float:
    """P(buy) when the shopper perceives a `saving` share (0..1) off what they would pay.

    A binary logit in log price whose elasticity at the base conversion is `elasticity` up to
    a base of `SATURATION`; above it the room left to convert shrinks the response in
    proportion to 1 - base, so shoppers who were buying anyway barely respond. Big savings
    flatten out as conversion nears 1.
    """
    p0 = min(MAX_BASE, max(MIN_BASE, base))
    if saving <= 0:
        return p0
    beta = elasticity / max(1.0 - p0, 1.0 - SATURATION)
    logit = math.log(p0 / (1.0 - p0)) + beta * math.log(max(1e-6, 1.0 - min(saving, 0.99)))
    return 1.0 / (1.0 + math.exp(-logit))
