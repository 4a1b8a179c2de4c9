"""Which rankings move: positions in a ranking before and after a plan's merchandising rules.

Rules act exactly as the recommendation ranker applies them (`tools.recommend.MerchRules`):
a boost adds its weight times the ranker's merchandising factor, a bury subtracts it, a pin
puts the product on top (highest pin weight first, at most the ranker's `max_pinned`), an
exclude removes it; a rule with a query acts only on that query's ranking. As in the ranker,
out-of-stock products are not shown.

The score they adjust is a transparent stand-in for a non-personalised ranking: recent
popularity within the ranking — products ordered by units ordered in the last 90 days, then
views, then sku — the i-th of n scoring 1 - i/n. Ties keep the popularity order.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from sqlmodel import Session

from agents.merchandising.catalog import ProductRow
from agents.merchandising.plan import RankingView, RankMove
from policies.actions import MerchRuleChange
from tools.profiles import ItemInfo
from tools.recommend import MerchRules, RankerConfig, load_merch_rules
from tools.recommend.merch import ActiveRule
from tools.store.vocab import MerchRuleKind

TOP = 10
MAX_MOVES = 10
_RANKER = RankerConfig()
MERCH_FACTOR = _RANKER.merchandising
MAX_PINNED = _RANKER.max_pinned
METHOD = (
    "base = popularity rank in the ranking (units ordered in the last 90 days, then views) "
    f"scaled 0-1; merchandising rules as the ranker applies them (boost/bury x {MERCH_FACTOR:g}, "
    f"up to {MAX_PINNED} pins on top, excludes and out-of-stock products removed)"
)


def rules_in_force(session: Session, *, now: datetime) -> MerchRules:
    """The store's merchandising rules in force at `now`."""
    return load_merch_rules(session, now=now)


def with_plan(rules: MerchRules, actions: Sequence[MerchRuleChange]) -> MerchRules:
    """The rules in force plus the plan's (ids `~plan-0001`, … sort after stored ones)."""
    planned = [
        ActiveRule(
            id=f"~plan-{i:04d}",
            kind=MerchRuleKind(action.op),
            scope=_scope(action),
            weight=action.weight,
        )
        for i, action in enumerate(actions, start=1)
    ]
    return MerchRules(rules=(*rules.rules, *planned), pinned_skus=rules.pinned_skus)


def _scope(action: MerchRuleChange) -> dict[str, object]:
    scope: dict[str, object] = {}
    if action.scope.skus:
        scope["skus"] = list(action.scope.skus)
    if action.scope.category:
        scope["category"] = action.scope.category
    if action.query:
        scope["query"] = action.query
    return scope


def _item(product: ProductRow) -> ItemInfo:
    return ItemInfo(
        sku=product.sku,
        title=product.title,
        brand=product.brand,
        category=product.category,
        price_cents=product.list_price_cents,
        attributes=product.attributes,
        tags=product.tags,
        unit_cost_cents=product.unit_cost_cents,
    )


def rank(
    products: Sequence[ProductRow],
    *,
    rules: MerchRules,
    popularity: Mapping[str, tuple[int, int]],
    query: str | None,
    hidden: Collection[str] = (),
) -> list[str]:
    """The skus in ranked order (`hidden` ones, e.g. out of stock, left out)."""
    shown = [p for p in products if p.sku not in hidden]
    base = sorted(shown, key=lambda p: (*(-n for n in popularity.get(p.sku, (0, 0))), p.sku))
    pins: list[tuple[float, int, str]] = []
    rest: list[tuple[float, int, str]] = []
    for i, product in enumerate(base):
        effect = rules.effect(_item(product), query=query)
        if effect.excluded:
            continue
        score = 1 - i / len(base) + MERCH_FACTOR * effect.adjust
        if effect.pin is not None:
            pins.append((-effect.pin, i, product.sku))
        rest.append((-score, i, product.sku))
    pinned = [sku for *_, sku in sorted(pins)[:MAX_PINNED]]
    return pinned + [sku for *_, sku in sorted(rest) if sku not in pinned]


def compare(
    products: Sequence[ProductRow],
    *,
    kind: str,
    key: str,
    before: MerchRules,
    after: MerchRules,
    popularity: Mapping[str, tuple[int, int]],
    hidden: Collection[str] = (),
    added: frozenset[str] = frozenset(),
) -> RankingView:
    """One ranking before and after, with the products that move most; `added` products
    (pinned into a query's results) are absent before."""
    query = key if kind == "query" else None
    shown_before = [p for p in products if p.sku not in added]
    old = rank(shown_before, rules=before, popularity=popularity, query=query, hidden=hidden)
    new = rank(products, rules=after, popularity=popularity, query=query, hidden=hidden)
    old_at = {sku: i + 1 for i, sku in enumerate(old)}
    new_at = {sku: i + 1 for i, sku in enumerate(new)}
    titles = {p.sku: p.title for p in products}
    moved = [sku for sku in sorted(titles) if old_at.get(sku) != new_at.get(sku)]
    moved.sort(key=lambda s: (-_distance(old_at.get(s), new_at.get(s), len(products)), s))
    return RankingView(
        kind="query" if kind == "query" else "category",
        key=key,
        size=sum(1 for p in products if p.sku not in hidden),
        top_before=old[:TOP],
        top_after=new[:TOP],
        moves=[
            RankMove(sku=s, title=titles[s], before=old_at.get(s), after=new_at.get(s))
            for s in moved[:MAX_MOVES]
        ],
    )


def _distance(before: int | None, after: int | None, size: int) -> int:
    return abs((before or size + 1) - (after or size + 1))
