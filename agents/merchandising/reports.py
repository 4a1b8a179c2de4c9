"""Merchandising reports: read-only questions answered directly from the store.

Purpose: answer "which recommended products are about to run out?", "what's overstocked in
outdoor?", "which promotions are active?", "which merchandising rules are active?" with typed
rows and a short templated summary. Reads the store; writes nothing.
Allowed tools (read-only): the catalog vocabulary and query parser (`tools.query`), the
inventory stock signal (`tools.inventory.stock_signals`), the store's products, promotions,
merchandising rules, orders and events.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, or_, select

from agents.merchandising.catalog import ProductRow, resolve_scope
from agents.merchandising.report_model import MerchReport, PromotionRow, ReportRow, RuleRow
from agents.merchandising.report_parse import parse_report
from agents.merchandising.report_text import report_summary
from agents.merchandising.spec import ReportSpec, ScopeSpec
from agents.merchandising.stock_report import DEFINITIONS, RECOMMENDED_DEFINITION, stock_rows
from agents.merchandising.timing import store_timezone
from tools.inventory.clock import as_utc
from tools.query import CatalogVocabulary
from tools.store import MerchRule, Promotion

DEFAULT_LIMIT = 50
_OTHER_DEFINITIONS = {
    "active_promotions": "promotions whose window includes now",
    "active_rules": "active merchandising rules whose window includes now",
}


def answer_report(
    text: str,
    *,
    engine: Engine,
    now: datetime,
    vocabulary: CatalogVocabulary | None = None,
    limit: int = DEFAULT_LIMIT,
) -> MerchReport:
    """The answer to a read-only question (the vocabulary is read from the store if not given)."""
    words = vocabulary or CatalogVocabulary.from_store(engine)
    spec = parse_report(text, vocabulary=words, now=now)
    return run_report(spec, engine=engine, now=now, limit=limit)


def run_report(
    spec: ReportSpec, *, engine: Engine, now: datetime, limit: int = DEFAULT_LIMIT
) -> MerchReport:
    """The rows and summary of a report spec (an empty scope means the whole catalog)."""
    now = as_utc(now)
    tz = store_timezone(engine, now=now)
    scope = (
        spec.scope
        if not spec.scope.is_empty()
        else spec.scope.model_copy(update={"everything": True})
    )
    with Session(engine) as session:
        rows: list[ReportRow]
        if spec.kind == "active_promotions":
            rows = list(_promotions(session, now, None if spec.scope.is_empty() else scope))
        elif spec.kind == "active_rules":
            rows = list(_rules(session, now))
        else:
            found = stock_rows(
                session, spec.kind, scope, recommended_only=spec.recommended_only, now=now
            )
            rows = list(found)
    definition = DEFINITIONS.get(spec.kind) or _OTHER_DEFINITIONS[spec.kind]
    if spec.recommended_only and spec.kind in DEFINITIONS:
        definition += RECOMMENDED_DEFINITION
    return MerchReport(
        question=spec,
        generated_at=now,
        timezone=tz,
        total=len(rows),
        rows=rows[:limit],
        truncated=len(rows) > limit,
        summary=report_summary(spec, rows, tz),
        definition=definition,
    )


def _promotions(session: Session, now: datetime, scope: ScopeSpec | None) -> list[PromotionRow]:
    query = (
        select(Promotion)
        .where(col(Promotion.starts_at) <= now, col(Promotion.ends_at) > now)
        .order_by(col(Promotion.ends_at), col(Promotion.id))
    )
    promotions = list(session.exec(query))
    if scope is not None:
        products = resolve_scope(session, scope, now=now)
        promotions = [p for p in promotions if _covers_any(dict(p.scope or {}), products)]
    return [
        PromotionRow(
            id=p.id,
            name=p.name,
            discount_pct=p.discount_pct,
            scope=_scope_text(dict(p.scope or {})),
            loyalty_tiers=list(p.loyalty_tiers or []),
            stackable=p.stackable,
            starts_at=p.starts_at,
            ends_at=p.ends_at,
        )
        for p in promotions
    ]


def _covers_any(scope: dict[str, object], products: list[ProductRow]) -> bool:
    listed = scope.get("skus")
    skus = {str(s) for s in listed} if isinstance(listed, list) else set()
    category = str(scope.get("category") or "")
    return any(p.sku in skus or _under(p.category, category) for p in products)


def _under(path: str, prefix: str) -> bool:
    return bool(prefix) and (path == prefix or path.startswith(prefix + "/"))


def _rules(session: Session, now: datetime) -> list[RuleRow]:
    query = (
        select(MerchRule)
        .where(col(MerchRule.active).is_(True))
        .where(or_(col(MerchRule.starts_at).is_(None), col(MerchRule.starts_at) <= now))
        .where(or_(col(MerchRule.ends_at).is_(None), col(MerchRule.ends_at) > now))
        .order_by(col(MerchRule.id))
    )
    return [
        RuleRow(
            id=r.id,
            kind=r.kind,
            scope=_scope_text(dict(r.scope or {})),
            weight=r.weight,
            query=str(r.scope["query"]) if (r.scope or {}).get("query") else None,
            starts_at=r.starts_at,
            ends_at=r.ends_at,
            created_by=r.created_by,
        )
        for r in session.exec(query)
    ]


def _scope_text(scope: dict[str, object]) -> str:
    parts = []
    for key in ("category", "brand"):
        if scope.get(key):
            parts.append(f"{key} {scope[key]}")
    skus = scope.get("skus")
    if isinstance(skus, list) and skus:
        parts.append(f"{len(skus)} sku{'s' if len(skus) != 1 else ''}")
    attributes = scope.get("attributes")
    if isinstance(attributes, dict) and attributes:
        parts.append(", ".join(f"{k}={v}" for k, v in sorted(attributes.items())))
    return "; ".join(parts) or "everything"
