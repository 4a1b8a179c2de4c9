from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from tests.tools.pricing.seed import seed_pricing
from tools.exceptions import InputError
from tools.pricing import (
    PricingInput,
    Quote,
    QuoteExpiredError,
    QuoteMismatchError,
    SkuFacts,
    decide_offer,
    honour_quote,
    make_quote,
    quote_decision,
    quote_of_offer,
    record_quote,
)
from tools.store import Offer, transaction

NOW = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
ITEM = SkuFacts(
    sku="SER-4", category="beauty/skincare/serum", list_price_cents=2900, unit_cost_cents=1160
)


def _offer_quote(now: datetime = NOW) -> Quote:
    decision = decide_offer(pricing_input=PricingInput(item=ITEM, purchase_propensity=0.3))
    ten_off = next(o for o in decision.options if o.key == "percent_off_10")
    return make_quote(
        sku="SER-4",
        list_price_cents=2900,
        now=now,
        shopper_id="thrifty",
        option=ten_off,
        decision_id=decision.decision_id,
    )


def test_quote_of_a_decision_holds_the_chosen_option() -> None:
    decision = decide_offer(
        pricing_input=PricingInput(item=ITEM, price_sensitivity=0.95, purchase_propensity=0.3)
    )
    quote = quote_decision(decision=decision, list_price_cents=2900, now=NOW, shopper_id="x")
    assert quote.offer == decision.chosen.kind != "none"
    assert quote.price_cents == decision.chosen.price_cents
    assert quote.free_shipping == decision.chosen.free_shipping
    assert quote.decision_id == decision.decision_id


def test_quote_id_is_deterministic_and_binds_the_contents() -> None:
    first = make_quote(sku="SER-4", list_price_cents=2900, now=NOW, shopper_id="thrifty")
    again = make_quote(sku="SER-4", list_price_cents=2900, now=NOW, shopper_id="thrifty")
    assert first == again and first.id.startswith("q-")
    assert first.price_cents == 2900 and first.offer == "none"
    assert first.expires_at - first.created_at == timedelta(minutes=30)
    other = make_quote(sku="SER-4", list_price_cents=2900, now=NOW, shopper_id="lavish")
    assert other.id != first.id
    local = NOW.astimezone(timezone(timedelta(hours=-5)))
    assert make_quote(sku="SER-4", list_price_cents=2900, now=local, shopper_id="thrifty") == first


def test_quote_is_honoured_until_it_expires() -> None:
    quote = _offer_quote()
    assert honour_quote(quote=quote, now=NOW) == quote.price_cents < 2900
    assert (
        honour_quote(quote=quote, now=quote.expires_at - timedelta(seconds=1)) == quote.price_cents
    )
    with pytest.raises(QuoteExpiredError, match="expired at 2026-11-01T10:30:00") as caught:
        honour_quote(quote=quote, now=quote.expires_at)
    assert caught.value.quote_id == quote.id
    with pytest.raises(QuoteExpiredError, match="ask for a new quote"):
        honour_quote(quote=quote, now=NOW + timedelta(days=1))


def test_altered_quote_is_refused() -> None:
    quote = _offer_quote()
    cheaper = quote.model_copy(update={"price_cents": 1})
    with pytest.raises(QuoteMismatchError):
        honour_quote(quote=cheaper, now=NOW)
    later = quote.model_copy(update={"expires_at": quote.expires_at + timedelta(days=1)})
    with pytest.raises(QuoteMismatchError):
        honour_quote(quote=later, now=NOW)


def test_bad_times_are_refused() -> None:
    with pytest.raises(InputError, match="timezone-aware"):
        make_quote(sku="S", list_price_cents=100, now=datetime(2026, 1, 1))
    with pytest.raises(InputError, match="ttl"):
        make_quote(sku="S", list_price_cents=100, now=NOW, ttl=timedelta(0))
    quote = make_quote(sku="S", list_price_cents=100, now=NOW)
    with pytest.raises(InputError, match="timezone-aware"):
        honour_quote(quote=quote, now=datetime(2026, 1, 1))


def test_record_quote_is_idempotent(sqlite_engine: Engine) -> None:
    seed_pricing(sqlite_engine)
    quote = _offer_quote()
    with transaction(sqlite_engine) as session:
        row = record_quote(session=session, quote=quote)
        assert row.id == quote.id
    with transaction(sqlite_engine) as session:
        record_quote(session=session, quote=quote)
        record_quote(session=session, quote=quote)
    with Session(sqlite_engine) as session:
        assert session.exec(select(func.count()).select_from(Offer)).one() == 1
        stored = session.get(Offer, quote.id)
        assert stored is not None
        assert stored.kind == quote.offer and stored.price_cents == quote.price_cents
        assert stored.decision_id == quote.decision_id
        back = quote_of_offer(stored)
    assert back == quote
    assert honour_quote(quote=back, now=NOW) == quote.price_cents


def test_record_quote_refuses_an_altered_quote(sqlite_engine: Engine) -> None:
    seed_pricing(sqlite_engine)
    altered = _offer_quote().model_copy(update={"price_cents": 5})
    with transaction(sqlite_engine) as session, pytest.raises(QuoteMismatchError):
        record_quote(session=session, quote=altered)
