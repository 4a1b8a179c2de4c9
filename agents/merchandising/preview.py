"""The dry-run preview of a plan: affected products, rankings that move, margin impact, and the
products a constraint left out. Computed from the store without changing it.

Rankings shown: for a rule with a query, that query's ranking (the products the query names in
the catalog, plus the pinned ones); otherwise the ranking of each category the task named, or
of the categories holding most of the affected products (at most `MAX_VIEWS`).
Margin impact: over the promotion's window; over `LIST_PRICE_HORIZON_DAYS` for list prices.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from agents.merchandising import impact, ranking
from agents.merchandising.catalog import ProductRow, popularity, resolve_scope, stock_levels
from agents.merchandising.plan import AffectedSku, MarginImpact, PlanPreview, RankingView
from agents.merchandising.scope_text import scope_from_text
from agents.merchandising.spec import MerchTaskSpec, ScopeSpec
from agents.merchandising.steps import Built, Window
from policies.actions import MerchRuleChange
from tools.inventory import StockLevel
from tools.pricing import DemandModel
from tools.query import CatalogVocabulary

SAMPLE = 10
EXCLUDED_SHOWN = 50
MAX_VIEWS = 3
LIST_PRICE_HORIZON_DAYS = 28


@dataclass(frozen=True)
class PreviewContext:
    """What a preview reads besides the plan itself."""

    session: Session
    now: datetime
    window: Window
    vocabulary: CatalogVocabulary
    demand: DemandModel
    eligible_share: float


def build_preview(spec: MerchTaskSpec, built: Built, ctx: PreviewContext) -> PlanPreview:
    """The preview of a plan's steps."""
    reasons = Counter(e.reason for e in built.excluded)
    rankings = _rankings(spec, built, ctx)
    return PlanPreview(
        affected_count=len(built.affected),
        affected_sample=_sample(built),
        excluded_count=len(built.excluded),
        excluded_by_reason=dict(sorted(reasons.items())),
        excluded=built.excluded[:EXCLUDED_SHOWN],
        rankings=rankings,
        ranking_method=ranking.METHOD if rankings else "",
        margin=_margin(spec, built, ctx),
    )


def _sample(built: Built) -> list[AffectedSku]:
    prices = {item.product.sku: item for item in built.priced}
    sample = []
    for product in built.affected[:SAMPLE]:
        item = prices.get(product.sku)
        sample.append(
            AffectedSku(
                sku=product.sku,
                title=product.title,
                category=product.category,
                brand=product.brand,
                list_price_cents=product.list_price_cents,
                new_price_cents=item.new_price_cents if item else None,
                margin_after_pct=item.margin_after_pct if item else None,
            )
        )
    return sample


def _margin(spec: MerchTaskSpec, built: Built, ctx: PreviewContext) -> MarginImpact | None:
    if not built.priced:
        return None
    days = float(LIST_PRICE_HORIZON_DAYS)
    if spec.kind == "promotion" and ctx.window.ends_at is not None:
        days = (ctx.window.ends_at - ctx.window.starts_at).total_seconds() / 86_400
    return impact.margin_impact(
        ctx.session,
        built.priced,
        now=ctx.now,
        days=days,
        eligible_share=ctx.eligible_share,
        demand=ctx.demand,
    )


def _rankings(spec: MerchTaskSpec, built: Built, ctx: PreviewContext) -> list[RankingView]:
    actions = [s.action for s in built.steps if isinstance(s.action, MerchRuleChange)]
    if not actions:
        return []
    before = ranking.rules_in_force(ctx.session, now=ctx.now)
    after = ranking.with_plan(before, actions)
    liked = popularity(ctx.session, now=ctx.now)
    views = []
    for view in _views(spec, built.affected, ctx):
        skus = [p.sku for p in view.products]
        levels = stock_levels(ctx.session, skus, now=ctx.now) if skus else {}
        views.append(
            ranking.compare(
                view.products,
                kind=view.kind,
                key=view.key,
                before=before,
                after=after,
                popularity=liked,
                hidden={sku for sku, s in levels.items() if s.level is StockLevel.OUT},
                added=view.added,
            )
        )
    return views


@dataclass(frozen=True)
class _View:
    kind: str
    key: str
    products: list[ProductRow]
    added: frozenset[str] = frozenset()


def _views(spec: MerchTaskSpec, affected: Sequence[ProductRow], ctx: PreviewContext) -> list[_View]:
    if spec.query:
        scope, _ = scope_from_text(spec.query, vocabulary=ctx.vocabulary, now=ctx.now)
        found = resolve_scope(ctx.session, scope, now=ctx.now) if not scope.is_empty() else []
        extra = [p for p in affected if spec.kind == "pin"]
        merged = {row.sku: row for row in [*found, *extra]}
        added = frozenset(merged) - {row.sku for row in found}
        return [_View("query", spec.query, [merged[s] for s in sorted(merged)], added)]
    paths = list(spec.scope.categories[:MAX_VIEWS]) or _main_categories(affected)
    return [
        _View(
            "category", path, resolve_scope(ctx.session, ScopeSpec(categories=(path,)), now=ctx.now)
        )
        for path in paths
    ]


def _main_categories(affected: Sequence[ProductRow]) -> list[str]:
    counts = Counter(p.category for p in affected if p.category)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [path for path, _ in ordered[:MAX_VIEWS]]
