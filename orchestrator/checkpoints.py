"""Thread checkpoints: SQLite in the data directory by default, PostgreSQL when the URL says so,
with a retention policy so they do not grow without bound.

Retention keeps the newest `keep_per_thread` checkpoints of each thread (enough to resume a
paused turn) and deletes threads idle for longer than `max_age_days`. Checkpoint ids are
time-ordered UUIDv6, so "idle since" is read from the newest id of each thread.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

import aiosqlite
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.base.id import UUID
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from psycopg import AsyncConnection
from sqlalchemy.engine import make_url

from config.settings import CheckpointSettings
from orchestrator.state import serde_allowlist

_UUID_EPOCH_OFFSET = 0x01B21DD213814000  # 100-ns intervals from 1582-10-15 to 1970-01-01


@dataclass(frozen=True)
class PruneReport:
    """What a prune removed."""

    checkpoints: int
    threads: int


def serializer() -> JsonPlusSerializer:
    """The checkpoint serializer: it reads back only the state's own types."""
    return JsonPlusSerializer(allowed_msgpack_modules=sorted(serde_allowlist()))


def checkpoint_id_at(moment: datetime) -> str:
    """The smallest checkpoint id that could have been written at `moment`."""
    timestamp = int(moment.timestamp() * 10_000_000) + _UUID_EPOCH_OFFSET
    value = ((timestamp >> 12) & 0xFFFFFFFFFFFF) << 80 | (timestamp & 0x0FFF) << 64
    return str(UUID(int=value, version=6))


@asynccontextmanager
async def open_checkpointer(url: str) -> AsyncIterator[BaseCheckpointSaver[Any]]:
    """A checkpointer for `sqlite:///file` or `postgresql://...`, set up and ready."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "checkpoints.db")
        path.parent.mkdir(parents=True, exist_ok=True)
        async with aiosqlite.connect(path) as conn:
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA busy_timeout=5000")
            saver = AsyncSqliteSaver(conn, serde=serializer())
            await saver.setup()
            yield saver
        return
    plain = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    async with AsyncPostgresSaver.from_conn_string(plain, serde=serializer()) as pg:
        await pg.setup()
        yield pg


async def prune(
    saver: BaseCheckpointSaver[Any], retention: CheckpointSettings, *, now: datetime
) -> PruneReport:
    """Apply the retention policy to every thread."""
    cutoff = checkpoint_id_at(now - timedelta(days=retention.max_age_days))
    if isinstance(saver, AsyncSqliteSaver):
        return await _prune_sqlite(saver.conn, retention.keep_per_thread, cutoff)
    if isinstance(saver, AsyncPostgresSaver):
        return await _prune_postgres(saver, retention.keep_per_thread, cutoff)
    raise TypeError(f"no retention for {type(saver).__name__}")


async def _prune_sqlite(conn: aiosqlite.Connection, keep: int, cutoff: str) -> PruneReport:
    idle = await conn.execute_fetchall(
        "SELECT thread_id FROM checkpoints GROUP BY thread_id HAVING MAX(checkpoint_id) < ?",
        (cutoff,),
    )
    threads = [row[0] for row in idle]
    for table in ("checkpoints", "writes"):
        await conn.executemany(f"DELETE FROM {table} WHERE thread_id = ?", [(t,) for t in threads])
    cursor = await conn.execute(
        """DELETE FROM checkpoints WHERE rowid IN (
             SELECT rowid FROM (
               SELECT rowid, ROW_NUMBER() OVER (
                 PARTITION BY thread_id, checkpoint_ns ORDER BY checkpoint_id DESC) AS rn
               FROM checkpoints)
             WHERE rn > ?)""",
        (keep,),
    )
    removed = cursor.rowcount
    await conn.execute(
        """DELETE FROM writes WHERE NOT EXISTS (
             SELECT 1 FROM checkpoints c WHERE c.thread_id = writes.thread_id
               AND c.checkpoint_ns = writes.checkpoint_ns
               AND c.checkpoint_id = writes.checkpoint_id)"""
    )
    await conn.commit()
    return PruneReport(checkpoints=max(removed, 0), threads=len(threads))


async def _prune_postgres(saver: AsyncPostgresSaver, keep: int, cutoff: str) -> PruneReport:
    # The library's own prune keeps its blob and write tables consistent; on PostgreSQL a
    # thread keeps its newest checkpoint (enough to resume), whatever `keep` says.
    count = "SELECT count(*) AS n FROM checkpoints"
    threads_sql = (
        "SELECT thread_id, MAX(checkpoint_id) AS newest FROM checkpoints GROUP BY thread_id"
    )
    conn = cast(AsyncConnection[dict[str, Any]], saver.conn)
    async with saver.lock, conn.cursor() as cur:
        await cur.execute(count)
        before = (await cur.fetchone() or {"n": 0})["n"]
        await cur.execute(threads_sql)
        rows = await cur.fetchall()
    idle = [r["thread_id"] for r in rows if r["newest"] < cutoff]
    live = [r["thread_id"] for r in rows if r["newest"] >= cutoff]
    if idle:
        await saver.aprune(idle, strategy="delete")
    if live:
        await saver.aprune(live, strategy="keep_latest")
    async with saver.lock, conn.cursor() as cur:
        await cur.execute(count)
        after = (await cur.fetchone() or {"n": 0})["n"]
    return PruneReport(checkpoints=int(before) - int(after), threads=len(idle))
