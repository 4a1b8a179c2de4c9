"""Answers for shoppers over the store: their history, session, stock and merchandising rules
are read live for every request; the fitted engine is opened once (see `opening`).

Read-only: nothing here writes to the store.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, bindparam, select
from sqlmodel import Session, col

from tools.inventory.clock import as_utc
from tools.profiles import (
    PreferenceChange,
    PreferenceProposal,
    ShopperEvent,
    ShopperFacts,
    ShopperProfile,
    UnknownShopperError,
    Vocabulary,
    build_profile,
    propose_preference_change,
    session_events,
    shopper_events,
)
from tools.recommend.data import Query, query_of
from tools.recommend.engine import RecommendationEngine, Situation
from tools.recommend.fit import Encoder
from tools.recommend.merch import load_merch_rules
from tools.recommend.opening import open_engine
from tools.recommend.results import RecommendationList
from tools.recommend.similar import BoughtTogetherItem, SimilarItem
from tools.recommend.stock import StockLevels, in_stock_now, load_stock_levels
from tools.store import Shopper
from tools.store.types import utcnow

HISTORY_LIMIT = 60  # the latest events a request reads; more changes nothing measurable
LIVE_CHECK_MARGIN = 5


_SHOPPER = select(
    col(Shopper.id), col(Shopper.timezone), col(Shopper.loyalty_tier), col(Shopper.preferences)
).where(col(Shopper.id) == bindparam("shopper_id"))


def shopper_facts(session: Session, shopper_id: str) -> ShopperFacts:
    """The shopper's record as profiles read it; unknown shoppers are refused."""
    row = session.connection().execute(_SHOPPER, {"shopper_id": shopper_id}).first()
    if row is None:
        raise UnknownShopperError(shopper_id)
    return ShopperFacts(row[0], row[1], row[2], dict(row[3] or {}))


@dataclass(frozen=True)
class ShopperState:
    """A shopper as one request sees them: record, history, current session and profile."""

    profile: ShopperProfile
    query: Query
    history: list[ShopperEvent]
    session: list[ShopperEvent]


@dataclass
class RecommendService:
    """Answers for the recommend and profile tools, over one fitted engine."""

    db: Engine
    engine: RecommendationEngine
    stock: StockLevels = field(default_factory=StockLevels)

    def refresh_stock(self, *, now: datetime | None = None) -> StockLevels:
        """Take a new stock snapshot of the whole catalog."""
        with Session(self.db) as session:
            self.stock = load_stock_levels(
                session, skus=self.engine.catalog.skus, now=as_utc(now or utcnow(), field="at")
            )
        return self.stock

    def shopper_state(
        self,
        session: Session,
        *,
        shopper_id: str | None,
        session_id: str | None = None,
        explain: bool = False,
    ) -> ShopperState:
        """The shopper's profile and query from their history and the current session."""
        facts = None
        history: list[ShopperEvent] = []
        if shopper_id is not None:
            facts = shopper_facts(session, shopper_id)
            history = shopper_events(session, shopper_id=shopper_id, limit=HISTORY_LIMIT)
        current = session_events(session, session_id=session_id) if session_id else []
        history = [e for e in history if not session_id or e.session_id != session_id]
        profile = build_profile(
            self.engine.profile_context(),
            shopper=facts,
            history=history,
            session=current,
            explain=explain,
        )
        query = query_of(
            [*history, *current], shopper_id=shopper_id, tier=facts.tier if facts else None
        )
        return ShopperState(profile=profile, query=query, history=history, session=current)

    def _situation(self, session: Session, now: datetime, query_text: str | None) -> Situation:
        def live(skus: Sequence[str]) -> set[str]:
            return in_stock_now(session, skus=list(skus), now=now) if skus else set()

        return Situation(
            today=now.date(),
            stock=self.stock,
            merch=load_merch_rules(session, now=now),
            query_text=query_text,
            live=live,
        )

    def recommend(
        self,
        *,
        shopper_id: str | None,
        k: int = 10,
        session_id: str | None = None,
        exclude: Collection[str] = (),
        now: datetime | None = None,
    ) -> RecommendationList:
        """Picks for a shopper (or an anonymous session), in stock now, with reasons."""
        now = as_utc(now or utcnow(), field="at")
        with Session(self.db) as session:
            state = self.shopper_state(session, shopper_id=shopper_id, session_id=session_id)
            situation = self._situation(session, now, None)
            return self.engine.recommend(
                state.profile, state.query, situation, k=k, exclude=exclude
            )

    def rank_candidates(
        self,
        *,
        skus: list[str],
        shopper_id: str | None,
        k: int = 10,
        session_id: str | None = None,
        query_text: str | None = None,
        now: datetime | None = None,
    ) -> RecommendationList:
        """The given skus re-ranked for the shopper (in stock now), with reasons."""
        now = as_utc(now or utcnow(), field="at")
        with Session(self.db) as session:
            state = self.shopper_state(session, shopper_id=shopper_id, session_id=session_id)
            situation = self._situation(session, now, query_text)
            return self.engine.rank_candidates(
                state.profile, state.query, situation, skus=skus, k=k
            )

    def similar_items(
        self, *, sku: str, k: int = 10, now: datetime | None = None
    ) -> list[SimilarItem]:
        """Items like `sku`, one per product, in stock now."""
        now = as_utc(now or utcnow(), field="at")
        found = self.engine.similar_items(sku, k=k + LIVE_CHECK_MARGIN, stock=self.stock)
        with Session(self.db) as session:
            live = in_stock_now(session, skus=[i.sku for i in found], now=now) if found else set()
        return [i for i in found if i.sku in live][:k]

    def bought_together(
        self, *, skus: list[str], k: int = 5, now: datetime | None = None
    ) -> list[BoughtTogetherItem]:
        """Items often bought with these, in stock now."""
        now = as_utc(now or utcnow(), field="at")
        found = self.engine.bought_together(skus, k=k + LIVE_CHECK_MARGIN, stock=self.stock)
        with Session(self.db) as session:
            live = in_stock_now(session, skus=[i.sku for i in found], now=now) if found else set()
        return [i for i in found if i.sku in live][:k]

    def profile(self, *, shopper_id: str | None, session_id: str | None = None) -> ShopperProfile:
        """The shopper's (or session's) profile, with its explanation."""
        with Session(self.db) as session:
            state = self.shopper_state(
                session, shopper_id=shopper_id, session_id=session_id, explain=True
            )
            return state.profile

    def vocabulary(self) -> Vocabulary:
        """The departments and brands preferences may name."""
        catalog = self.engine.catalog
        return Vocabulary(
            categories=frozenset(catalog.departments), brands=frozenset(catalog.brands)
        )

    def propose_preferences(
        self, *, shopper_id: str, changes: list[PreferenceChange]
    ) -> PreferenceProposal:
        """The preference update these stated changes would make (nothing is written)."""
        with Session(self.db) as session:
            stored = dict(shopper_facts(session, shopper_id).preferences)
        return propose_preference_change(
            shopper_id=shopper_id, stored=stored, changes=changes, vocabulary=self.vocabulary()
        )


def open_service(
    db: Engine, *, data_dir: Path, encoder: Encoder | None, now: datetime | None = None
) -> RecommendService:
    """The engine fitted on (or cached beside) the store, with a fresh stock snapshot."""
    service = RecommendService(db=db, engine=open_engine(db, data_dir=data_dir, encoder=encoder))
    service.refresh_stock(now=now)
    return service
