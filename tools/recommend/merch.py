"""Merchandising rules as the ranker applies them: which active rules touch which items.

A rule is active when `active` is set and `starts_at <= now < ends_at` (open ends allowed).
Its scope names any of: `skus` (list), `category` (a category path prefix), `brand`,
`attributes` ({key: value}, all must match) and `query` (the rule applies only to requests
with that exact query; recommendations without a query skip such rules). An empty scope
matches nothing. Boost and bury add or subtract `weight` (0-1) times the configured
merchandising weight; pin puts items on top (highest weight first); exclude removes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, or_, select
from sqlmodel import Session, col

from tools.inventory.clock import as_utc
from tools.profiles import ItemInfo
from tools.store import MerchRule
from tools.store.vocab import MerchRuleKind


@dataclass(frozen=True)
class ActiveRule:
    """A merchandising rule in force."""

    id: str
    kind: MerchRuleKind
    scope: Mapping[str, Any]
    weight: float

    def matches(self, item: ItemInfo, *, query: str | None = None) -> bool:
        """Whether the rule's scope covers the item (for this request's query)."""
        scope = self.scope
        if (
            "query" in scope
            and (query or "").strip().lower() != str(scope["query"]).strip().lower()
        ):
            return False
        checks = [
            _covers(item, key, scope[key])
            for key in ("skus", "category", "brand", "attributes")
            if scope.get(key)
        ]
        return bool(checks) and all(checks)


def _covers(item: ItemInfo, key: str, wanted: Any) -> bool:
    if key == "skus":
        return item.sku in wanted
    if key == "category":
        return item.category == wanted or item.category.startswith(f"{wanted}/")
    if key == "brand":
        return bool(item.brand == wanted)
    return isinstance(wanted, dict) and all(_has(item, k, v) for k, v in wanted.items())


def _has(item: ItemInfo, key: str, value: Any) -> bool:
    held = item.attributes.get(key)
    return value in held if isinstance(held, list) else held == value


@dataclass(frozen=True)
class MerchEffect:
    """What the active rules do to one item."""

    adjust: float = 0.0
    pin: float | None = None
    excluded: bool = False
    rules: tuple[str, ...] = ()
    boosted: bool = False


@dataclass(frozen=True)
class MerchRules:
    """The rules in force for one request, in id order."""

    rules: tuple[ActiveRule, ...] = ()
    pinned_skus: tuple[str, ...] = field(default=())

    def effect(self, item: ItemInfo, *, query: str | None = None) -> MerchEffect:
        """The combined effect of every matching rule."""
        adjust, pin, excluded, ids, boosted = 0.0, None, False, [], False
        for rule in self.rules:
            if not rule.matches(item, query=query):
                continue
            ids.append(rule.id)
            if rule.kind is MerchRuleKind.EXCLUDE:
                excluded = True
            elif rule.kind is MerchRuleKind.PIN:
                pin = max(pin if pin is not None else -1.0, rule.weight)
            elif rule.kind is MerchRuleKind.BOOST:
                adjust += abs(rule.weight)
                boosted = True
            else:
                adjust -= abs(rule.weight)
        return MerchEffect(
            adjust=adjust, pin=pin, excluded=excluded, rules=tuple(ids), boosted=boosted
        )


def merch_rules_of(rows: Sequence[MerchRule], *, now: datetime) -> MerchRules:
    """The rules among `rows` that are in force at `now`."""
    now = as_utc(now)
    live = [
        ActiveRule(id=r.id, kind=MerchRuleKind(r.kind), scope=dict(r.scope or {}), weight=r.weight)
        for r in sorted(rows, key=lambda r: r.id)
        if r.active
        and (r.starts_at is None or r.starts_at <= now)
        and (r.ends_at is None or now < r.ends_at)
    ]
    pinned = [
        str(sku)
        for r in live
        if r.kind is MerchRuleKind.PIN and not r.scope.get("query")
        for sku in r.scope.get("skus") or ()
    ]
    return MerchRules(rules=tuple(live), pinned_skus=tuple(dict.fromkeys(pinned)))


_ACTIVE = (
    select(
        col(MerchRule.id),
        col(MerchRule.kind),
        col(MerchRule.scope),
        col(MerchRule.weight),
        col(MerchRule.starts_at),
        col(MerchRule.ends_at),
        col(MerchRule.active),
    )
    .where(col(MerchRule.active).is_(True))
    .where(or_(col(MerchRule.starts_at).is_(None), col(MerchRule.starts_at) <= bindparam("now")))
    .where(or_(col(MerchRule.ends_at).is_(None), col(MerchRule.ends_at) > bindparam("now")))
)


def load_merch_rules(session: Session, *, now: datetime) -> MerchRules:
    """The store's merchandising rules in force at `now`."""
    now = as_utc(now)
    rows = session.connection().execute(_ACTIVE, {"now": now})
    found = [
        MerchRule(
            id=id_,
            kind=kind,
            scope=scope or {},
            weight=weight,
            starts_at=starts,
            ends_at=ends,
            created_by="",
            active=active,
        )
        for id_, kind, scope, weight, starts, ends, active in rows
    ]
    return merch_rules_of(found, now=now)
