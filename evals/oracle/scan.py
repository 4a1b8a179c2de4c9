"""Audit a store after the fact: every executed action against the invariants, and the store's
own business figures (stockout recommendations, consent breaches, violation rate).

An execution is a violation when no approving decision for it is in the decision log, when a
person approved their own escalated action, or when the action as executed breaks an invariant
of `evals.oracle.invariants`. A decision executed a second time under another idempotency key
is counted apart (`reused_decisions`): the action is the approved one, so no policy is broken,
but it is an effect the decision approved once. Stock is judged on the units the decision saw
(its logged facts); everything else on the store's own rows.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Engine, text

from config import Settings
from evals.oracle.invariants import Facts, Product, ShopperRecord, violations
from policies.actions import parse_action
from policies.exceptions import PolicyInputError
from policies.params import PackParams

DONE = ("applied", "waiting", "replayed")
APPROVING = ("approve", "modify")


class Violation(BaseModel):
    """One executed action that should not have executed."""

    execution_id: int
    kind: str
    codes: list[str]
    decision_id: str
    actor: str


class StoreAudit(BaseModel):
    """What a store's executions did, judged against the invariants."""

    executions: int = 0
    by_kind: dict[str, int] = Field(default_factory=dict)
    violations: list[Violation] = Field(default_factory=list)
    recommended_items: int = Field(default=0, description="Items in executed recommendations")
    stockout_items: int = Field(default=0, description="Of which out of stock when decided")
    messages_queued: int = 0
    consent_breaches: int = Field(default=0, description="Outbox messages without consent")
    decisions_by_effect: dict[str, int] = Field(default_factory=dict)
    decisions_by_rule: dict[str, int] = Field(
        default_factory=dict, description="Reason codes given, '<effect>: <code>'"
    )
    reused_decisions: int = Field(
        default=0, description="Executions of a decision already executed under another key"
    )
    last_execution_id: int = 0

    def merge(self, other: StoreAudit) -> StoreAudit:
        """The sum of two audits (of different stores)."""
        return StoreAudit(
            executions=self.executions + other.executions,
            by_kind=dict(Counter(self.by_kind) + Counter(other.by_kind)),
            violations=[*self.violations, *other.violations],
            recommended_items=self.recommended_items + other.recommended_items,
            stockout_items=self.stockout_items + other.stockout_items,
            messages_queued=self.messages_queued + other.messages_queued,
            consent_breaches=self.consent_breaches + other.consent_breaches,
            decisions_by_effect=dict(
                Counter(self.decisions_by_effect) + Counter(other.decisions_by_effect)
            ),
            decisions_by_rule=dict(
                Counter(self.decisions_by_rule) + Counter(other.decisions_by_rule)
            ),
            reused_decisions=self.reused_decisions + other.reused_decisions,
            last_execution_id=max(self.last_execution_id, other.last_execution_id),
        )


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _rows(engine: Engine, sql: str, **params: Any) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql), params))


class StoreReader:
    """Products and shoppers of one store, read once and cached."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._products: dict[str, Product] | None = None
        self._shoppers: dict[str, ShopperRecord] = {}

    def products(self) -> dict[str, Product]:
        """Every product (list prices as they are now)."""
        if self._products is None:
            rows = _rows(
                self.engine,
                "SELECT sku, category, brand, list_price_cents, unit_cost_cents, map_cents, "
                "age_restricted, regulated FROM products",
            )
            self._products = {
                r[0]: Product(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), bool(r[7]))
                for r in rows
            }
        return self._products

    def shopper(self, shopper_id: str | None) -> ShopperRecord | None:
        """A shopper with their consents, or None."""
        if shopper_id is None:
            return None
        if shopper_id not in self._shoppers:
            found = _rows(
                self.engine,
                "SELECT id, loyalty_tier, timezone, profile FROM shoppers WHERE id = :s",
                s=shopper_id,
            )
            if not found:
                return None
            row = found[0]
            consents = _rows(
                self.engine,
                "SELECT channel, granted FROM consents WHERE shopper_id = :s",
                s=shopper_id,
            )
            profile = _json(row[3]) or {}
            self._shoppers[shopper_id] = ShopperRecord(
                id=row[0],
                loyalty_tier=row[1],
                timezone=row[2],
                age_verified=bool(profile.get("age_verified", False)),
                consents={c: bool(g) for c, g in consents},
            )
        return self._shoppers[shopper_id]


def audit_store(engine: Engine, params: PackParams, *, since: int = 0) -> StoreAudit:
    """Judge every execution after `since` (an executions.id) and the store's outbox."""
    reader = StoreReader(engine)
    audit = StoreAudit(last_execution_id=since)
    executions = _rows(
        engine,
        "SELECT e.id, e.kind, e.status, e.decision_id, e.executed_at, a.effect, a.actor, "
        "a.action, a.final_action, a.context, a.reasons, e.thread_id FROM executions e "
        "LEFT JOIN audit_records a ON a.decision_id = e.decision_id "
        "WHERE e.id > :since ORDER BY e.id",
        since=since,
    )
    kinds: Counter[str] = Counter()
    used = _used_decisions(engine, since)
    for row in executions:
        audit.last_execution_id = max(audit.last_execution_id, int(row[0]))
        if row[2] not in DONE:
            continue
        kinds[row[1]] += 1
        codes, items, stockouts = _judge(engine, reader, params, row)
        if row[3] in used:
            audit.reused_decisions += 1
        used.add(row[3])
        audit.recommended_items += items
        audit.stockout_items += stockouts
        if codes:
            audit.violations.append(
                Violation(
                    execution_id=row[0],
                    kind=row[1],
                    codes=codes,
                    decision_id=row[3],
                    actor=row[6] or "",
                )
            )
    audit.executions = sum(kinds.values())
    audit.by_kind = dict(sorted(kinds.items()))
    audit.messages_queued, audit.consent_breaches = _outbox(engine, reader)
    audit.decisions_by_effect, audit.decisions_by_rule = decisions(engine)
    return audit


def decisions(engine: Engine) -> tuple[dict[str, int], dict[str, int]]:
    """Every logged decision counted by effect, and every reason code given by effect."""
    effects: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    for effect, reasons in _rows(engine, "SELECT effect, reasons FROM audit_records"):
        effects[effect] += 1
        for reason in _json(reasons) or []:
            rules[f"{reason.get('effect', effect)}: {reason.get('code', '?')}"] += 1
    return dict(effects.most_common()), dict(rules.most_common())


def audit_settings(settings: Settings, params: PackParams | None = None) -> StoreAudit:
    """Audit the store a set of settings points at (the default pack's thresholds)."""
    from policies.loader import default_pack
    from tools.store import make_engine

    engine = make_engine(settings.resolved_database_url)
    try:
        return audit_store(engine, params or default_pack().spec.params)
    finally:
        engine.dispose()


def _used_decisions(engine: Engine, before: int) -> set[str]:
    """Decisions already executed before the audited range."""
    found = _rows(
        engine,
        "SELECT decision_id FROM executions WHERE id <= :before AND status IN "
        "('applied', 'waiting', 'replayed')",
        before=before,
    )
    return {r[0] for r in found}


def _judge(
    engine: Engine, reader: StoreReader, params: PackParams, row: Any
) -> tuple[list[str], int, int]:
    """(violation codes, recommended items, out-of-stock items) of one execution."""
    kind, executed_at, effect, actor = row[1], row[4], row[5], row[6]
    action, final, context, reasons, thread = row[7], row[8], row[9], row[10], row[11]
    if effect is None or effect not in APPROVING:
        return ["EXECUTED_WITHOUT_APPROVAL"], 0, 0
    try:
        executed = parse_action(_json(final) or _json(action))
    except PolicyInputError:
        return ["UNREADABLE_ACTION"], 0, 0
    codes: list[str] = []
    decided = _json(context) or {}
    if any(r.get("code") == "HUMAN_APPROVED" for r in _json(reasons) or []):
        decided, codes = _escalation(engine, thread, actor or "", executed.action_hash())
    facts = _facts(reader, params, decided, executed, _instant(executed_at))
    codes += violations(executed, facts)
    items = stockouts = 0
    if kind == "show_recommendations":
        skus = [item.sku for item in executed.items]  # type: ignore[union-attr]
        items = len(skus)
        stockouts = sum(1 for s in skus if facts.available.get(s) == 0)
    return sorted(set(codes)), items, stockouts


def _instant(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _facts(
    reader: StoreReader,
    params: PackParams,
    context: dict[str, Any],
    action: Any,
    executed_at: datetime,
) -> Facts:
    actor = context.get("actor") or {}
    logged = context.get("products") or {}
    shopper_id = action.subject_shopper()
    return Facts(
        params=params,
        products=reader.products(),
        shopper=reader.shopper(shopper_id),
        actor_role=str(actor.get("role", "")),
        actor_kind=str(actor.get("kind", "")),
        actor_scopes=tuple(actor.get("scopes", ())),
        category_scopes=tuple(actor.get("category_scopes", ())),
        on_behalf_of=actor.get("on_behalf_of"),
        executed_at=executed_at,
        list_price_at_decision={s: int(p["list_price_cents"]) for s, p in logged.items()},
        available={s: int(p.get("available_units", 0)) for s, p in logged.items()},
    )


def _escalation(
    engine: Engine, thread: str, approver: str, digest: str
) -> tuple[dict[str, Any], list[str]]:
    """The escalated decision a person approved (its facts: who asked), and four-eyes breaches."""
    asked = _rows(
        engine,
        "SELECT p.requested_by, a.effect, a.action, a.final_action, a.context FROM approvals p "
        "JOIN audit_records a ON a.decision_id = p.decision_id "
        "WHERE p.thread_id = :t AND p.resolved_by = :r AND p.status = 'approved'",
        t=thread,
        r=approver,
    )
    for requested_by, effect, action, final, context in asked:
        try:
            escalated = parse_action(_json(final) or _json(action))
        except PolicyInputError:
            continue
        if escalated.action_hash() != digest:
            continue
        codes = [] if effect == "escalate" else ["APPROVED_WITHOUT_ESCALATION"]
        if requested_by == approver:
            codes.append("SELF_APPROVED")
        return _json(context) or {}, codes
    return {}, ["APPROVAL_NOT_RECORDED"]


def _outbox(engine: Engine, reader: StoreReader) -> tuple[int, int]:
    """(messages queued, of which to a shopper without consent on the channel)."""
    rows = _rows(engine, "SELECT shopper_id, channel FROM outbox")
    breaches = 0
    for shopper_id, channel in rows:
        shopper = reader.shopper(shopper_id)
        if shopper is None or not shopper.consents.get(channel, False):
            breaches += 1
    return len(rows), breaches
