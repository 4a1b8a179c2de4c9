"""Reasons in words for a recommended item, from the terms that put it where it is.

Every reason is true of the shopper's data: "because you bought X" names an item they
bought, "new from a brand you like" an item launched within the new-item window from one of
their top brands, "pinned by merchandising" an item a pin rule in force covers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tools.profiles import Scalar, ShopperProfile
from tools.recommend.catalog import Catalog
from tools.recommend.results import Reason, ReasonCode

MAX_REASONS = 3


@dataclass(frozen=True)
class Evidence:
    """What the reasons of one item may cite."""

    sku: str
    terms: Mapping[str, float]
    because: Mapping[str, str]
    matched: Sequence[tuple[str, Scalar]]
    pinned: bool
    liked_brand: bool


def _title(catalog: Catalog, sku: str) -> str:
    item = catalog.item(sku)
    return item.title if item else sku


def _from_source(
    source: str, evidence: Evidence, profile: ShopperProfile, catalog: Catalog
) -> Reason | None:
    cause = evidence.because.get(source)
    if source == "cooccurrence" and cause is not None:
        if cause in profile.bought:
            text = f"because you bought {_title(catalog, cause)}"
            return Reason(code=ReasonCode.BECAUSE_YOU_BOUGHT, text=text, sku=cause)
        text = f"because you viewed {_title(catalog, cause)}"
        return Reason(code=ReasonCode.BECAUSE_YOU_VIEWED, text=text, sku=cause)
    if source == "content" and cause is not None:
        text = f"similar to {_title(catalog, cause)}"
        return Reason(code=ReasonCode.SIMILAR_TO, text=text, sku=cause)
    if source == "together" and cause is not None:
        text = f"often bought together with {_title(catalog, cause)}"
        return Reason(code=ReasonCode.BOUGHT_TOGETHER, text=text, sku=cause)
    if source == "popularity":
        if profile.departments:
            return Reason(
                code=ReasonCode.POPULAR_WITH_SIMILAR, text="popular with shoppers like you"
            )
        return Reason(code=ReasonCode.POPULAR, text="popular right now")
    fixed = {
        "history": (ReasonCode.VIEWED_BEFORE, "you looked at this recently"),
        "repurchase": (ReasonCode.BUY_AGAIN, "buy it again"),
        "embedding": (ReasonCode.LEARNED, "matches your taste"),
        "given": (ReasonCode.MATCHES_REQUEST, "matches what you asked for"),
    }.get(source)
    return None if fixed is None else Reason(code=fixed[0], text=fixed[1])


def _from_term(term: str, evidence: Evidence, catalog: Catalog) -> Reason | None:
    item = catalog.item(evidence.sku)
    brand = item.brand if item else ""
    if term == "new_from_brand" and evidence.liked_brand:
        return Reason(code=ReasonCode.NEW_FROM_BRAND, text=f"new from {brand}, a brand you like")
    if term == "brand" and evidence.liked_brand:
        return Reason(code=ReasonCode.BRAND_YOU_LIKE, text=f"from {brand}, a brand you like")
    if term == "attributes" and evidence.matched:
        key, value = evidence.matched[0]
        shown = key.replace("_", " ") if value is True else f"{key.replace('_', ' ')} {value}"
        return Reason(code=ReasonCode.MATCHES_PREFERENCE, text=f"matches your preference: {shown}")
    if term == "merchandising":
        return Reason(code=ReasonCode.PROMOTED, text="promoted by merchandising")
    return None


def reasons_for(evidence: Evidence, *, profile: ShopperProfile, catalog: Catalog) -> list[Reason]:
    """The item's strongest reasons, first the pin if pinned, then by contribution."""
    found: list[tuple[float, str, Reason]] = []
    for term, value in evidence.terms.items():
        if value <= 0:
            continue
        if term.startswith("source:"):
            reason = _from_source(term.removeprefix("source:"), evidence, profile, catalog)
        else:
            reason = _from_term(term, evidence, catalog)
        if reason is not None:
            found.append((-value, reason.code.value, reason))
    found.sort(key=lambda entry: entry[:2])
    reasons: list[Reason] = []
    for _, _, reason in found:
        if len(reasons) < MAX_REASONS and all(r.code != reason.code for r in reasons):
            reasons.append(reason)
    if evidence.pinned:
        reasons.insert(0, Reason(code=ReasonCode.PINNED, text="pinned by merchandising"))
    return reasons
