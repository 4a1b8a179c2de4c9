"""One writer at a time per SQLite file within a process, queued instead of polling.

SQLite lets one connection write at a time; the others wait in its busy handler, which sleeps in
growing steps (up to 100 ms) and retries. With many threads of one process writing, most of that
sleep is wasted while the lock is already free: throughput collapses and the slowest turns wait
for seconds. So a connection takes its file's writer lock at its first write statement and gives
it back when the transaction ends; writers of one process queue on it, and the busy handler only
arbitrates between processes. Readers never take it (WAL lets them read alongside a writer).

If the lock cannot be had within the busy timeout (a thread already writing on another
connection to the same file), the statement goes ahead and SQLite's own busy handling applies, as
without the lock: never a hang.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")
_LOCKS: dict[str, threading.Lock] = {}
_GUARD = threading.Lock()
_HELD = "concierge_writer_lock"


def writer_lock(path: str) -> threading.Lock:
    """The process-wide writer lock of one database file."""
    with _GUARD:
        return _LOCKS.setdefault(path, threading.Lock())


def is_write(statement: str) -> bool:
    """Whether a statement writes (its first keyword)."""
    head = statement.lstrip().split(None, 1)
    return bool(head) and head[0].upper() in WRITES


def queue_writers(engine: Engine, *, path: str, timeout_s: float) -> None:
    """Make the engine's connections take the file's writer lock for their write transactions."""
    lock = writer_lock(path)

    @event.listens_for(engine, "before_cursor_execute")
    def _take(
        conn: Connection, cursor: Any, statement: str, params: Any, context: Any, many: bool
    ) -> None:
        if conn.info.get(_HELD) or not is_write(statement):
            return
        if lock.acquire(timeout=timeout_s):
            conn.info[_HELD] = True

    def _give(conn: Connection) -> None:
        if conn.info.pop(_HELD, False):
            lock.release()

    event.listen(engine, "commit", _give)
    event.listen(engine, "rollback", _give)

    @event.listens_for(engine.pool, "checkin")
    def _returned(dbapi_connection: Any, record: Any) -> None:
        # A connection returned mid-transaction (an error, a closed session) is rolled back.
        if record is not None and record.info.pop(_HELD, False):
            lock.release()
