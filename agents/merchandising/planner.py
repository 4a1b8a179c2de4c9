"""The merchandising planner: a merchandiser's task in words to a typed plan of actions.

Purpose: turn "boost vegan skincare 20% until Sunday", "15% off overstocked outdoor jackets for
gold members, keep margin above 30%", "pin SKU-123 for 'running shoes'" … into
`MerchRuleChange`, `CreatePromotion` and `ChangeListPrice` actions, with a dry-run preview
(affected products, rankings that move, expected margin impact, products a constraint left
out). It proposes only: every action goes to the policy checker, and the executor applies
what is approved. Reads the store; writes nothing.
Allowed tools (read-only): the catalog vocabulary and query parser (`tools.query`), the
inventory engine's stock signal and availability (`tools.inventory`), the pricing engine's
demand model and economics (`tools.pricing`), the policy pack's price floors and discount
depths (`policies`), the store's products, shoppers, orders, events and merchandising rules.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from agents.merchandising.catalog import existing_skus
from agents.merchandising.classify import classify
from agents.merchandising.compile import compile_plan
from agents.merchandising.examples import PLAN_EXAMPLES
from agents.merchandising.exceptions import TaskNotUnderstoodError
from agents.merchandising.plan import MerchPlan
from agents.merchandising.spec import MerchTaskSpec
from agents.merchandising.task_parse import parse_task
from agents.merchandising.timing import store_timezone
from policies.context import ActorFacts
from policies.pack import Pack
from tools.pricing import DemandModel
from tools.query import CatalogVocabulary

ALLOWED_TOOLS: tuple[str, ...] = (
    "tools.query.parse",
    "tools.inventory.stock_signals",
    "tools.inventory.available_by_sku",
    "tools.pricing.DemandModel",
    "policies.derive.price_floor_cents",
    "policies.derive.max_discount_pct",
)


def read_task(
    text: str,
    *,
    engine: Engine,
    vocabulary: CatalogVocabulary,
    now: datetime,
    timezone: str | None = None,
) -> MerchTaskSpec:
    """The spec of a task, read deterministically (dates in the store's timezone)."""
    if classify(text) == "report":
        raise TaskNotUnderstoodError(
            "this is a question, not a change: ask it as a report", examples=PLAN_EXAMPLES
        )
    tz = store_timezone(engine, now=now, explicit=timezone)

    def known(candidates: Collection[str]) -> set[str]:
        with Session(engine) as session:
            return existing_skus(session, candidates)

    return parse_task(text, vocabulary=vocabulary, now=now, timezone=tz, known_skus=known)


def plan_task(
    text: str,
    *,
    engine: Engine,
    vocabulary: CatalogVocabulary,
    now: datetime,
    actor: ActorFacts | str,
    timezone: str | None = None,
    pack: Pack | None = None,
    demand: DemandModel | None = None,
) -> MerchPlan:
    """The plan for a merchandiser's task; a `MerchTaskError` says what to rephrase."""
    spec = read_task(text, engine=engine, vocabulary=vocabulary, now=now, timezone=timezone)
    return compile_plan(
        spec,
        engine=engine,
        vocabulary=vocabulary,
        now=now,
        actor=actor,
        timezone=timezone,
        pack=pack,
        demand=demand,
    )
