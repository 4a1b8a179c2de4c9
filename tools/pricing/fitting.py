"""Category elasticities fitted on the store's own events, where the data can carry them.

For every product view with a price, whether the same session bought that sku. A view at a
price below the sku's regular price (the highest it had in the price history) is a discounted
view. Per category family, the elasticity is the change in log conversion between discounted
and regular views over the mean log price ratio of the discounted ones. A fit is used only
when it is negative and precise (delta-method standard error at most `MAX_STD_ERROR`, with at
least `MIN_DISCOUNTED` discounted views and `MIN_PURCHASES` purchases on each side); otherwise
the family keeps its documented default.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from tools.pricing.demand import ElasticityEstimate
from tools.store import Event, PriceHistory, Product
from tools.store.vocab import EventKind

MIN_DISCOUNTED = 300
MIN_PURCHASES = 30
MAX_STD_ERROR = 0.25
DISCOUNT_AT = -0.01
MIN_ELASTICITY, MAX_ELASTICITY = -6.0, -0.2


@dataclass
class _Counts:
    regular_views: int = 0
    regular_buys: int = 0
    discounted_views: int = 0
    discounted_buys: int = 0
    log_ratio_sum: float = 0.0

    def add(self, *, log_ratio: float, bought: bool) -> None:
        if log_ratio < DISCOUNT_AT:
            self.discounted_views += 1
            self.discounted_buys += bought
            self.log_ratio_sum += log_ratio
        else:
            self.regular_views += 1
            self.regular_buys += bought

    def estimate(self) -> tuple[float, float] | None:
        """(elasticity, standard error), or None when the counts cannot carry a fit."""
        if self.discounted_views < MIN_DISCOUNTED:
            return None
        if min(self.regular_buys, self.discounted_buys) < MIN_PURCHASES:
            return None
        c0 = self.regular_buys / self.regular_views
        c1 = self.discounted_buys / self.discounted_views
        mean_ratio = self.log_ratio_sum / self.discounted_views
        variance = (1 - c0) / self.regular_buys + (1 - c1) / self.discounted_buys
        return (math.log(c1) - math.log(c0)) / mean_ratio, math.sqrt(variance) / -mean_ratio


def _regular_prices(session: Session) -> dict[str, int]:
    query = select(PriceHistory.sku, func.max(PriceHistory.price_cents)).group_by(PriceHistory.sku)
    return {str(sku): int(price) for sku, price in session.exec(query).all()}


def _counts(session: Session) -> dict[str, _Counts]:
    regular = _regular_prices(session)
    bought = {
        (str(s), str(k))
        for s, k in session.exec(
            select(Event.session_id, Event.sku).where(Event.kind == EventKind.PURCHASE.value)
        ).all()
    }
    views = (
        select(Event.session_id, Event.sku, Event.price_cents, Product.category)
        .join(Product, col(Product.sku) == col(Event.sku))
        .where(Event.kind == EventKind.VIEW.value, col(Event.price_cents).is_not(None))
    )
    counts: dict[str, _Counts] = defaultdict(_Counts)
    for session_id, sku, price, category in session.exec(views).all():
        reference = regular.get(str(sku))
        if not reference or not price:
            continue
        family = str(category).split("/", 1)[0]
        bought_it = (str(session_id), str(sku)) in bought
        counts[family].add(log_ratio=math.log(price / reference), bought=bought_it)
    return counts


def fit_elasticities(session: Session) -> dict[str, ElasticityEstimate]:
    """Fitted elasticities by category family, only for the families whose fit is reliable."""
    fitted: dict[str, ElasticityEstimate] = {}
    for family, counts in sorted(_counts(session).items()):
        result = counts.estimate()
        if result is None:
            continue
        value, error = result
        if error <= MAX_STD_ERROR and MIN_ELASTICITY <= value <= MAX_ELASTICITY:
            fitted[family] = ElasticityEstimate(
                value=round(value, 4),
                source="store_events",
                detail=f"{family}: {counts.discounted_views} discounted views, s.e. {error:.2f}",
            )
    return fitted
