"""The decision log on SQLite and PostgreSQL: append-only, hash-chained, tamper-evident."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from policies.actions import HoldInventory, QuoteOffer
from policies.audit import DecisionLog, RecordFilter, ensure_schema, record_hash, verify_chain
from policies.checker import PolicyChecker
from policies.loader import default_pack
from tests.policies.builders import context, staff
from tools.store import make_engine

QUOTE = QuoteOffer(shopper_id="s1", sku="p1", price_cents=2000)
CHEAP = QuoteOffer(shopper_id="s1", sku="p1", price_cents=1300)
TOO_HIGH = QuoteOffer(shopper_id="s1", sku="p1", price_cents=5000)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A fresh database of each kind with the decision log's tables."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    eng = make_engine(url)
    ensure_schema(eng)
    yield eng
    eng.dispose()


def fill(engine: Engine, n: int = 5) -> DecisionLog:
    log = DecisionLog(engine)
    checker = PolicyChecker(default_pack(), log)
    actions = [QUOTE, CHEAP, TOO_HIGH]
    for i in range(n):
        checker.check(actions[i % 3], context())
    return log


def unguard(engine: Engine) -> None:
    """What someone with DDL rights could do: remove the append-only triggers."""
    statements = (
        ["DROP TRIGGER audit_records_append_only ON audit_records"]
        if engine.dialect.name == "postgresql"
        else ["DROP TRIGGER audit_records_no_update", "DROP TRIGGER audit_records_no_delete"]
    )
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def run(engine: Engine, sql: str) -> None:
    with engine.begin() as conn:
        conn.execute(text(sql))


def problems(engine: Engine, **kwargs: str) -> list[tuple[int, str]]:
    return [(p.seq, p.code) for p in verify_chain(engine, **kwargs).problems]


def test_an_untouched_log_verifies(engine: Engine) -> None:
    fill(engine)
    report = verify_chain(engine)
    assert report.ok and report.records == report.head_seq == 5
    assert verify_chain(engine, expect_head=report.head_hash).ok


def test_an_empty_log_verifies(engine: Engine) -> None:
    assert verify_chain(engine).ok
    ensure_schema(engine)  # idempotent
    assert verify_chain(engine).records == 0


def test_records_hold_the_whole_decision(engine: Engine) -> None:
    log = DecisionLog(engine)
    decision = PolicyChecker(default_pack(), log).check(CHEAP, context())
    record = log.get(decision.decision_id)
    assert record is not None
    assert (record.seq, record.effect, record.actor) == (1, "modify", "agent-1")
    assert record.action == CHEAP.payload()
    assert record.final_action == decision.action.payload()  # type: ignore[union-attr]
    assert record.rule_ids == " pricing.discount_depth pricing.quote.baseline "
    assert record.evaluated_rules == list(decision.evaluated_rules)
    assert record.policy_version == decision.policy_version
    assert record.decision_hash == decision.decision_hash
    assert record.created_at == decision.decided_at
    assert record.record_hash == record_hash(record)
    assert log.get("nope") is None
    assert log.recorded(decision)
    assert not log.recorded(decision.model_copy(update={"decision_hash": "0" * 64}))


def test_updates_and_deletes_are_refused(engine: Engine) -> None:
    fill(engine, 2)
    with pytest.raises(DBAPIError, match="append-only"):
        run(engine, "UPDATE audit_records SET effect = 'approve' WHERE seq = 2")
    with pytest.raises(DBAPIError, match="append-only"):
        run(engine, "DELETE FROM audit_records WHERE seq = 1")


def test_an_edited_record_is_detected(engine: Engine) -> None:
    fill(engine)
    unguard(engine)
    run(engine, "UPDATE audit_records SET effect = 'approve' WHERE seq = 3")
    assert problems(engine) == [(3, "EDITED")]


def test_an_edited_record_with_a_recomputed_hash_breaks_the_next_link(engine: Engine) -> None:
    fill(engine)
    unguard(engine)
    run(engine, "UPDATE audit_records SET actor = 'someone-else' WHERE seq = 2")
    log = DecisionLog(engine, create=False)  # creating would put the guards back
    record = next(r for r in log.records() if r.seq == 2)
    run(engine, f"UPDATE audit_records SET record_hash = '{record_hash(record)}' WHERE seq = 2")
    assert problems(engine) == [(3, "BROKEN_LINK")]


def test_a_deleted_record_is_detected(engine: Engine) -> None:
    fill(engine)
    unguard(engine)
    run(engine, "DELETE FROM audit_records WHERE seq = 2")
    assert problems(engine) == [(3, "GAP"), (3, "BROKEN_LINK")]


def test_deleting_the_newest_records_is_detected(engine: Engine) -> None:
    fill(engine)
    unguard(engine)
    run(engine, "DELETE FROM audit_records WHERE seq >= 4")
    assert problems(engine) == [(5, "HEAD_MISMATCH")]


def test_a_moved_head_is_caught_by_an_anchor(engine: Engine) -> None:
    fill(engine)
    anchor = verify_chain(engine).head_hash
    unguard(engine)
    prev = next(r for r in DecisionLog(engine, create=False).records() if r.seq == 4).record_hash
    run(engine, "DELETE FROM audit_records WHERE seq = 5")
    run(engine, f"UPDATE audit_head SET seq = 4, record_hash = '{prev}'")
    assert problems(engine) == []
    assert problems(engine, expect_head=anchor) == [(4, "ANCHOR_MISMATCH")]


def test_a_missing_head_is_detected(engine: Engine) -> None:
    fill(engine, 1)
    run(engine, "DELETE FROM audit_head")
    assert problems(engine) == [(-1, "HEAD_MISMATCH")]


def test_listing_filters(engine: Engine) -> None:
    log = fill(engine, 6)
    checker = PolicyChecker(default_pack(), log)
    checker.check(
        HoldInventory(shopper_id="s1", sku="p1", location_id="store-1", quantity=1, hold_minutes=5),
        context(actor=staff()),
    )
    assert [r.seq for r in log.records()] == [7, 6, 5, 4, 3, 2, 1]
    assert [r.seq for r in log.records(newest_first=False)][:2] == [1, 2]
    assert {r.effect for r in log.records(RecordFilter(effect="deny"))} == {"deny"}
    assert [r.seq for r in log.records(RecordFilter(rule="pricing.discount_depth"))] == [5, 2]
    assert [r.seq for r in log.records(RecordFilter(rule="pricing"))] == []
    assert [r.seq for r in log.records(RecordFilter(actor="merchandiser-1"))] == [7]
    assert [r.seq for r in log.records(RecordFilter(kind="hold_inventory"))] == [7]
    assert len(log.records(RecordFilter(limit=2))) == 2


def test_concurrent_writers_keep_one_chain(engine: Engine) -> None:
    log = DecisionLog(engine)
    checker = PolicyChecker(default_pack(), log)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for _ in range(10):
                checker.check(QUOTE, context())
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = verify_chain(engine)
    assert report.ok and report.records == 40
