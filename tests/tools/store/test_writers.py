"""Writers of one process queue on their file's lock instead of polling SQLite's busy handler:
many threads writing at once all succeed, and the lock is free again after every transaction."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import text

from tools.store import make_engine
from tools.store.writers import is_write, writer_lock


def test_write_statements_are_told_from_reads() -> None:
    assert is_write("  insert into t values (1)") and is_write("UPDATE t SET a = 1")
    assert is_write("CREATE TABLE t (a)") and not is_write("SELECT * FROM t")
    assert not is_write("PRAGMA journal_mode=WAL") and not is_write("")


def _free(path: Path) -> bool:
    lock = writer_lock(str(path.resolve()))
    if not lock.acquire(blocking=False):
        return False
    lock.release()
    return True


def test_many_threads_writing_at_once_all_succeed_and_release_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    engine = make_engine(f"sqlite:///{path}", busy_timeout_ms=2000)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE counter (n INTEGER)"))
        conn.execute(text("INSERT INTO counter VALUES (0)"))
    failures: list[BaseException] = []

    def bump() -> None:
        try:
            for _ in range(25):
                with engine.begin() as conn:
                    conn.execute(text("UPDATE counter SET n = n + 1"))
                    conn.execute(text("SELECT n FROM counter")).scalar_one()
        except BaseException as exc:  # collected for the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=bump) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT n FROM counter")).scalar_one() == 16 * 25
    assert _free(path)
    engine.dispose()


def test_a_failed_write_gives_the_lock_back(tmp_path: Path) -> None:
    path = tmp_path / "f.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (a INTEGER NOT NULL)"))
    failed = False
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))
            conn.execute(text("INSERT INTO t VALUES (NULL)"))
    except Exception:
        failed = True
    assert failed and _free(path)
    engine.dispose()
