"""Actions: typed, versioned, one canonical serialisation and hash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from policies.actions import (
    ACTION_KINDS,
    ACTION_TYPES,
    CreatePromotion,
    MerchRuleChange,
    QuoteOffer,
    Scope,
    SendMessage,
    parse_action,
)
from policies.exceptions import PolicyInputError

WHEN = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


def test_every_kind_is_distinct_and_versioned() -> None:
    assert len(ACTION_KINDS) == len(ACTION_TYPES) == 9
    assert all(t.model_fields["version"].default == 1 for t in ACTION_TYPES)


def test_canonical_form_is_sorted_compact_and_stable() -> None:
    quote = QuoteOffer(shopper_id="s1", sku="p1", price_cents=1999)
    text = quote.canonical_json()
    assert text.startswith('{"disclosure":"","expires_at":null,"kind":"quote_offer"')
    assert " " not in text
    assert (
        quote.action_hash() == QuoteOffer(sku="p1", price_cents=1999, shopper_id="s1").action_hash()
    )


def test_equal_instants_hash_equally() -> None:
    plus_two = timezone(timedelta(hours=2))
    a = SendMessage(shopper_id="s1", channel="sms", body="hi", send_at=WHEN)
    b = SendMessage(shopper_id="s1", channel="sms", body="hi", send_at=WHEN.astimezone(plus_two))
    assert a.action_hash() == b.action_hash()
    assert a.payload()["send_at"] == "2026-03-03T15:00:00Z"


def test_any_change_changes_the_hash() -> None:
    quote = QuoteOffer(shopper_id="s1", sku="p1", price_cents=1999)
    assert quote.action_hash() != quote.model_copy(update={"price_cents": 1998}).action_hash()


@pytest.mark.parametrize("field", ["gender", "age", "ethnicity", "religion", "zip_code"])
def test_quotes_refuse_fields_they_do_not_declare(field: str) -> None:
    with pytest.raises(ValidationError):
        QuoteOffer(shopper_id="s1", sku="p1", price_cents=1, **{field: "x"})  # type: ignore[arg-type]


def test_naive_timestamps_are_refused() -> None:
    with pytest.raises(ValidationError):
        SendMessage(shopper_id="s1", channel="sms", body="hi", send_at=datetime(2026, 1, 1))


def test_parse_round_trips_every_kind() -> None:
    quote = QuoteOffer(shopper_id="s1", sku="p1", price_cents=1)
    assert parse_action(quote.payload()) == quote
    with pytest.raises(PolicyInputError, match="invalid action"):
        parse_action({"kind": "launch_rocket"})


def test_scope_and_windows_are_validated() -> None:
    with pytest.raises(ValidationError, match="category or at least one sku"):
        Scope()
    with pytest.raises(ValidationError, match="ends_at"):
        CreatePromotion(
            name="x", discount_pct=5, scope=Scope(category="a"), starts_at=WHEN, ends_at=WHEN
        )
    with pytest.raises(ValidationError, match="ends_at"):
        MerchRuleChange(op="pin", scope=Scope(skus=("p1",)), starts_at=WHEN, ends_at=WHEN)


def test_actions_are_immutable() -> None:
    quote = QuoteOffer(shopper_id="s1", sku="p1", price_cents=1)
    with pytest.raises(ValidationError):
        quote.price_cents = 0  # type: ignore[misc]
