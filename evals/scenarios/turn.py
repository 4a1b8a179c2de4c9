"""What one scenario turn left behind, and small readers of the store the checks use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text

from agents.candidates import Candidate
from config import Settings
from orchestrator.runtime import TurnOutcome
from orchestrator.state import TurnState
from tools.store import make_engine


@dataclass
class Turn:
    """What one turn left behind, the thread before it, and when it happened."""

    settings: Settings
    engine: Engine
    thread: str
    outcome: TurnOutcome
    state: TurnState
    now: datetime
    before: list[Candidate] = field(default_factory=list)

    def rows(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        """The rows of a query on the store."""
        return query(self.engine, sql, **params)

    def kinds(self) -> list[str]:
        """Kinds of the actions proposed this turn, in order."""
        return [p.action.kind for p in self.state.get("proposals", [])]

    def executed(self) -> dict[str, str]:
        """Execution status by action kind."""
        return {e.kind: e.status for e in self.state.get("executed", [])}

    def reply(self) -> str:
        """The reply's text ('' when the turn paused)."""
        return self.outcome.reply.text if self.outcome.reply else ""

    def shown_skus(self) -> list[str]:
        """Products shown by an executed recommendation this turn."""
        done = {e.key for e in self.state.get("executed", []) if e.status in {"applied"}}
        skus: list[str] = []
        for j in self.state.get("judgements", []):
            action = j.decision.action
            if j.key in done and action is not None and action.kind == "show_recommendations":
                skus.extend(item.sku for item in action.items)
        return skus


@contextmanager
def engine_of(settings: Settings) -> Iterator[Engine]:
    """An engine on the store, disposed afterwards."""
    engine = make_engine(settings.resolved_database_url)
    try:
        yield engine
    finally:
        engine.dispose()


def query(engine: Engine, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """The rows of a query on the store."""
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]
