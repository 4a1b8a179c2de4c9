"""Small parts: measurements, parameter validation, plain data, the log's own failures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError
from sqlalchemy import text

from policies import derive
from policies.actions import QuoteOffer
from policies.audit import DecisionLog
from policies.audit.table import UTCTimestamp
from policies.context import ChannelFacts
from policies.exceptions import AuditError
from policies.loader import default_pack
from policies.params import QuietHours
from policies.views import plain
from tests.policies.builders import context, decide
from tools.store import make_engine


def test_change_pct() -> None:
    assert derive.change_pct(0, 0) == 0.0
    assert derive.change_pct(0, 5) == 100.0
    assert derive.change_pct(200, 150) == -25.0


def test_next_window_start_keeps_an_instant_inside_the_window() -> None:
    window = default_pack().spec.params.messaging.quiet_hours
    noon = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    assert derive.next_window_start(noon, "UTC", window) == noon


def test_quiet_hours_must_be_ordered() -> None:
    with pytest.raises(ValidationError, match="end_hour"):
        QuietHours(channels=("sms",), start_hour=21, end_hour=8)


def test_plain_turns_models_and_tuples_into_data() -> None:
    value = {"a": (ChannelFacts(consent=True),), "b": [1, "x"], "c": None}
    assert plain(value) == {
        "a": [{"consent": True, "inbound_since_consent": (), "sent_24h": 0}],
        "b": [1, "x"],
        "c": None,
    }
    marker = object()
    assert plain(marker) is marker


def test_utc_timestamps_read_back_aware() -> None:
    column = UTCTimestamp()
    naive = datetime(2026, 1, 1, 12, 0)
    assert column.process_result_value(naive, None) == naive.replace(tzinfo=UTC)  # type: ignore[arg-type]
    assert column.process_result_value(None, None) is None  # type: ignore[arg-type]
    assert column.process_bind_param(None, None) is None  # type: ignore[arg-type]


def test_a_log_that_cannot_write_raises(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    log = DecisionLog(engine)
    quote = QuoteOffer(shopper_id="s1", sku="p1", price_cents=2000)
    decision = decide(quote, context())
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_head"))
    with pytest.raises(AuditError, match="no head row"):
        log.record(decision, proposed=quote, context=context())
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE audit_head"))
    with pytest.raises(AuditError, match="cannot record decision"):
        DecisionLog(engine, create=False).record(decision, proposed=quote, context=context())
    engine.dispose()
