"""Checkpoints: typed state round-trips, retention keeps a few per thread and drops idle threads,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, TypedDict

import anyio
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.base.id import uuid6
from langgraph.graph import END, START, StateGraph

from agents.candidates import Candidate
from config.settings import CheckpointSettings
from orchestrator.checkpoints import checkpoint_id_at, open_checkpointer, prune


class Counter(TypedDict, total=False):
    n: int
    shown: list[Candidate]


def _graph(saver: BaseCheckpointSaver[Any]) -> Any:
    def step(state: Counter) -> Counter:
        n = state.get("n", 0) + 1
        shown = [Candidate(sku=f"S{n}", title="t", brand="b", category="c", list_price_cents=n)]
        return {"n": n, "shown": shown}

    graph = StateGraph(Counter)
    graph.add_node("step", step)
    graph.add_edge(START, "step")
    graph.add_edge("step", END)
    return graph.compile(checkpointer=saver)


async def _exercise(url: str) -> None:
    async with open_checkpointer(url) as saver:
        graph = _graph(saver)
        for thread in ("a", "b"):
            for _ in range(4):
                await graph.ainvoke({}, {"configurable": {"thread_id": thread}})

        async def kept(thread: str) -> int:
            return len([c async for c in saver.alist({"configurable": {"thread_id": thread}})])

        assert await kept("a") > 3
        report = await prune(saver, CheckpointSettings(keep_per_thread=2), now=datetime.now(UTC))
        assert report.threads == 0 and report.checkpoints > 0
        assert 1 <= await kept("a") <= 2
        state = await graph.aget_state({"configurable": {"thread_id": "a"}})
        assert state.values["n"] == 4 and isinstance(state.values["shown"][0], Candidate)
        later = datetime.now(UTC) + timedelta(days=31)
        report = await prune(saver, CheckpointSettings(max_age_days=30), now=later)
        assert report.threads == 2
        assert await kept("a") == 0 and await kept("b") == 0


def test_sqlite_checkpoints_keep_typed_state_and_follow_the_retention(tmp_path: Any) -> None:
    anyio.run(_exercise, f"sqlite:///{tmp_path / 'checkpoints.db'}")


def test_postgres_checkpoints_follow_the_retention(pg_url: str) -> None:
    anyio.run(_exercise, pg_url)


def test_checkpoint_ids_order_by_time() -> None:
    now = datetime.now(UTC)
    written = str(uuid6())
    assert checkpoint_id_at(now - timedelta(seconds=5)) < written
    assert written < checkpoint_id_at(now + timedelta(seconds=5))
    assert uuid.UUID(checkpoint_id_at(now)).version == 6
